;; priority = "high"
;; category = "reliability"
;; summary = "An `image:` without a tag or with `:latest`."
;; message = "Service `${service}` uses `${image}` with no version tag, so each `pull` may run a different version (a new major of the database included); pin a tag."
;; docs = '''
;; ## What it finds
;; A service `image` with no tag or the tag `latest`. Digests count as pinned;
;; interpolated images (`${IMAGE}`, `app:${TAG}`) are chosen at deploy time and
;; are not reported; neither is `image` next to `build:`, where it names the
;; image being built.
;;
;; ## Why it matters in production
;; `latest` moves. A host that pulls on a Tuesday runs a different database
;; major, or an API with a breaking change, than the one tested — and rolling
;; back means finding out which version ran before.
;;
;; ## Example
;; ```yaml
;; services:
;;   db:
;;     image: postgres
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   db:
;;     image: postgres:16.4
;; ```
;; There is no quick fix: the version to pin is the one you run today (see
;; `docker compose images`).
;;
;; ## References
;; - Docker docs, compose "image" specification
;; - hadolint DL3007 (the same for Dockerfiles)
;; '''
