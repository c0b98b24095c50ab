;; priority = "low"
;; category = "security"
;; summary = "`ADD` of a local path where `COPY` does."
;; message = "`ADD` of local files does what `COPY` does, plus URL downloads and archive extraction that can surprise; use `COPY`."
;; equivalents = ["DL3020"]
;; docs = '''
;; ## What it finds
;; `ADD` whose sources are local files or folders: not a URL, a git
;; repository, a tar archive (which `ADD` extracts) or a `$VARIABLE`, and with
;; no `--checksum`.
;;
;; ## Why it matters in production
;; `ADD` silently extracts anything that looks like an archive and fetches URLs
;; without verification. Using it for plain files hides which instructions do
;; that, and a renamed file (`vendor.tar.gz`) changes meaning. `COPY` does
;; exactly one thing.
;;
;; ## Example
;; ```dockerfile
;; ADD requirements.txt /app/
;; ADD --chown=app:app src/ /app/src/
;; ```
;;
;; ## Fix
;; ```dockerfile
;; COPY requirements.txt /app/
;; COPY --chown=app:app src/ /app/src/
;; ```
;; The quick fix replaces the keyword. It is safe: for local files and folders
;; both instructions copy the same content; every flag `ADD` accepts here
;; (`--chown`, `--chmod`, `--link`, `--exclude`) means the same for `COPY`.
;;
;; ## References
;; - Docker docs, "Dockerfile best practices": ADD or COPY
;; - hadolint DL3020 ("Use COPY instead of ADD for files and folders")
;; '''
;;
;; [fix]
;; title = "Use `COPY`"
;; safe = true
;; edits = [{ capture = "finding", replace = "COPY", match_case = true }]
((add_instruction) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#not-docker-param? @instruction "checksum" "keep-git-dir")
  (#docker-has-source? @instruction)
  (#not-docker-source-matches? @instruction "(?i)://|^git@|\\$|\\.(tar|tgz|tbz|tbz2|txz|gz|bz2|xz|tar\\.zst)$")
  (#docker-keyword! @instruction "finding"))
