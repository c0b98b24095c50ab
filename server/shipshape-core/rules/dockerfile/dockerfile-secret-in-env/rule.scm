;; priority = "critical"
;; category = "security"
;; summary = "A secret written into `ENV` or `ARG`."
;; message = "`${name}` is given a literal value in the Dockerfile: it is stored in the image layers and history, readable by anyone who can pull the image; pass it at run time (or as a build secret)."
;; docs = '''
;; ## What it finds
;; `ENV` and `ARG` (both `KEY=value` and the legacy `KEY value` form) that give
;; a secret-like name (`*SECRET*`, `*PASSWORD*`, `*TOKEN*`, `*_API_KEY`,
;; `*_ACCESS_KEY`, `*_KEY`, ...) a literal value. References (`$TOKEN`),
;; booleans, numbers, paths (`/run/secrets/db`), and names that describe a
;; secret rather than hold it (`*_FILE`, `*_PATH`, `*_EXPIRE_MINUTES`, `*_URL`,
;; `*_ID`) are not reported, nor are public keys and fingerprints that verify
;; downloads (`GPG_KEY`, `PGP_KEY`, `*_PUBLIC_KEY`; `GPG_PRIVATE_KEY` is reported).
;;
;; ## Why it matters in production
;; Every `ENV` and `ARG` value is kept in the image config and `docker history`.
;; Whoever can pull the image — a registry, a CI cache, a customer — can read
;; the secret, and rotating it means rebuilding and repushing every image.
;;
;; ## Example
;; ```dockerfile
;; ARG PIP_INDEX_TOKEN=ghp_0123456789abcdef
;; ENV SECRET_KEY=django-insecure-123 DEBUG=0
;; ```
;;
;; ## Fix
;; ```dockerfile
;; ARG PIP_INDEX_TOKEN
;; ENV DEBUG=0
;; ```
;; Give secrets at run time (`docker run -e`, compose `environment`/`secrets`,
;; your platform's secret store) and to builds with
;; `RUN --mount=type=secret,id=...`. The quick fix drops the value of an `ARG`
;; and removes the `ENV` pair (or the whole `ENV` line when it is the only
;; pair). It is not marked safe: whatever relied on the value must now receive
;; it from outside, and the secret must be rotated, because it is already in
;; the history of every image built so far.
;;
;; ## References
;; - Docker docs, "Build secrets"
;; - OWASP Docker Security Cheat Sheet, rule 12
;; '''
;;
;; [fix]
;; title = "Remove the secret value"
;; safe = false
;; edits = [{ capture = "removal", delete = true }]
([(env_instruction) (arg_instruction)] @instruction
  (#docker-pair! @instruction "finding")
  (#docker-pair-name! "finding" "name")
  (#secret-name? "name")
  (#docker-pair-literal? "finding")
  (#docker-pair-removal! "finding" "removal"))
