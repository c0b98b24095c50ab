;; priority = "medium"
;; category = "reliability"
;; summary = "`pip install name` without a version."
;; message = "`pip install ${finding}` installs whatever version is newest at build time, so two builds of the same commit can differ; pin it (`${finding}==X.Y.Z`) or install from a requirements/constraints file."
;; equivalents = ["DL3013"]
;; docs = '''
;; ## What it finds
;; Package names given to `pip install` without a version specifier, in a
;; `RUN` that installs no requirements or constraints file (`-r`, `-c`) and does
;; not use `--no-index`. Paths, URLs, wheels, `.`/`-e .`, `$VARIABLES` and pip's
;; own tooling (`pip`, `setuptools`, `wheel`) are not reported.
;;
;; ## Why it matters in production
;; An unpinned package drifts: a release of it (or of one of its dependencies)
;; lands between two builds and changes the behaviour of an image built from the
;; same commit, or breaks the build on the day of an urgent fix.
;;
;; ## Example
;; ```dockerfile
;; RUN pip install --no-cache-dir gunicorn uvicorn[standard]
;; ```
;;
;; ## Fix
;; ```dockerfile
;; RUN pip install --no-cache-dir gunicorn==23.0.0 "uvicorn[standard]==0.32.0"
;; ```
;; There is no quick fix: the version to pin is the one you tested. Better,
;; list the packages in the project's requirements or lock file and install
;; that.
;;
;; ## References
;; - pip docs, "Repeatable Installs"
;; - hadolint DL3013 ("Pin versions in pip")
;; '''
((run_instruction) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#docker-command! @instruction "command")
  (#docker-pip-install! "command" "install")
  (#not-docker-word? "install" "^(-r|--requirement|-c|--constraint|--no-index)$|^--requirement=|^--constraint=|^-r.|^-c.")
  (#docker-pip-unpinned! "install" "finding"))
