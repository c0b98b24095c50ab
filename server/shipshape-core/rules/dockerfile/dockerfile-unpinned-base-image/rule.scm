;; priority = "high"
;; category = "reliability"
;; summary = "A base image without a tag, or with `:latest`."
;; message = "`FROM ${finding}` has no version tag, so every build may pull a different image (a new Python, a new Debian); pin a tag such as `python:3.12-slim`, or a digest."
;; equivalents = ["DL3006", "DL3007"]
;; docs = '''
;; ## What it finds
;; A `FROM` whose image has no tag or the tag `latest`, after build arguments
;; are replaced by their defaults (`ARG BASE=python` then `FROM ${BASE}`).
;; `FROM scratch`, `FROM <earlier stage>` and images whose argument has no
;; default (it is chosen at build time) are not reported; a digest
;; (`@sha256:...`) counts as pinned.
;;
;; ## Why it matters in production
;; `latest` moves. A rebuild for a one-line fix silently upgrades the
;; interpreter, the C library and every system package, and a release that
;; worked yesterday fails to build or behaves differently today; nor can an
;; old release be rebuilt as it was.
;;
;; ## Example
;; ```dockerfile
;; FROM python:3.12-slim AS build
;; RUN pip wheel --wheel-dir /wheels -r requirements.txt
;;
;; FROM python
;; COPY --from=build /wheels /wheels
;; ```
;;
;; ## Fix
;; ```dockerfile
;; FROM python:3.12-slim AS build
;; RUN pip wheel --wheel-dir /wheels -r requirements.txt
;;
;; FROM python:3.12-slim
;; COPY --from=build /wheels /wheels
;; ```
;; When another stage of the same file pins the same image, the quick fix uses
;; that tag (the wheels above were built for it). It is not marked safe: a
;; different tag is a different image. With no such evidence there is no quick
;; fix; choose the version your project supports (`requires-python`).
;;
;; ## References
;; - Docker docs, "Dockerfile best practices": FROM
;; - hadolint DL3006 ("Always tag the version of an image explicitly"), DL3007 ("Using latest is prone to errors")
;; '''
;;
;; [fix]
;; title = "Pin the tag used elsewhere in this file"
;; safe = false
;; edits = [{ capture = "pinned", replace = "${pinned}" }]
((from_instruction) @instruction
  (#docker-from-image! @instruction "finding")
  (#docker-image-matches? @instruction "(?i)^(?:[^@$]*/)?[^/:@$]*$")
  (#not-docker-image-matches? @instruction "(?i)^scratch$")
  (#docker-image-pinned-elsewhere! @instruction "pinned"))
((from_instruction) @instruction
  (#docker-from-image! @instruction "finding")
  (#docker-image-matches? @instruction "(?i)^(?:[^@$]*/)?[^/:@$]*:latest$")
  (#docker-image-pinned-elsewhere! @instruction "pinned")
  (#set! message "`${finding}` follows `:latest`, so the image changes under you between builds; pin a version tag (or a digest)."))
