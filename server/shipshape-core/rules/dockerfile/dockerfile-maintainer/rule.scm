;; priority = "low"
;; category = "documentation"
;; summary = "The deprecated `MAINTAINER` instruction."
;; message = "`MAINTAINER` is deprecated; use `LABEL maintainer=\"...\"`, which tools and registries read."
;; equivalents = ["DL4000"]
;; docs = '''
;; ## What it finds
;; A `MAINTAINER` instruction.
;;
;; ## Why it matters in production
;; `MAINTAINER` has been deprecated since Docker 1.13. Labels are what
;; registries, scanners and `docker inspect` show; the OCI convention is
;; `org.opencontainers.image.authors`, and `maintainer` is widely read.
;;
;; ## Example
;; ```dockerfile
;; MAINTAINER Jane Doe <jane@example.com>
;; ```
;;
;; ## Fix
;; ```dockerfile
;; LABEL maintainer="Jane Doe <jane@example.com>"
;; ```
;; The quick fix writes the same text as a `maintainer` label. It is safe: the
;; image metadata keeps the same value.
;;
;; ## References
;; - Docker docs, Dockerfile reference: MAINTAINER (deprecated)
;; - hadolint DL4000 ("MAINTAINER is deprecated")
;; '''
;;
;; [fix]
;; title = "Use `LABEL maintainer=...`"
;; safe = true
;; edits = [{ capture = "finding", replace = "LABEL maintainer=\"${maintainer}\"" }]
((maintainer_instruction) @finding
  (#not-has-parent? @finding "onbuild_instruction" "healthcheck_instruction")
  (#docker-instruction-string! @finding "maintainer"))
