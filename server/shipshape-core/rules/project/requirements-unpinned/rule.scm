;; priority = "medium"
;; category = "reliability"
;; summary = "A requirements line that does not pin an exact version."
;; message = "`${requirement}` is not pinned with `==`: each build may install a different version. Pin it (or install from a lock file)."
;; docs = """
;; ## What it finds
;; A requirement in a `requirements*.txt` file without an exact `==` pin (a bare name, `>=`,
;; `~=`). Files that pin the whole set (`--hash` lines, pip-compile/uv output), `.in` files (the
;; input of a compiler), files that use a constraints file (`-c`) and development requirements
;; (`requirements-dev.txt`, `requirements-test.txt`, ...: they never reach production) are left alone.
;;
;; ## Why it matters in production
;; An unpinned requirement installs whatever is newest on the day of the build: two deploys of the
;; same commit can behave differently, and a broken release upstream breaks yours.
;;
;; ## Example
;; ```
;; fastapi>=0.110
;; requests
;; ```
;;
;; ## Fix
;; ```
;; fastapi==0.115.6
;; requests==2.32.3
;; ```
;; When a lock file (uv.lock, poetry.lock, pdm.lock, a compiled requirements file) knows the
;; version, the quick fix pins to it. It is not marked safe: the pinned version may differ from
;; what your environment has installed today.
;;
;; ## References
;; - pip, "Repeatable Installs": https://pip.pypa.io/en/stable/topics/repeatable-installs/
;; """
;;
;; [fix]
;; title = "Pin to the locked version"
;; safe = false
