;; priority = "high"
;; category = "performance"
;; summary = "`--reload`/`--debug` development flags in a service command."
;; message = "Service `${service}` starts its server with `${finding}`: a development mode with a file watcher and a single worker (and, for Flask, the interactive debugger); remove it outside development."
;; docs = '''
;; ## What it finds
;; `--reload` (and `--reload-dir`, ...) for uvicorn, gunicorn, hypercorn or
;; granian, and `flask run --debug`/`--reload`, in a service's `command` or
;; `entrypoint` (string, list, or inside `sh -c "..."`). Development files
;; (`compose.override.yaml`, `docker-compose.dev.yml`, ...) and services with a
;; `develop:` section are not reported.
;;
;; ## Why it matters in production
;; Reload mode watches files and runs a single worker that restarts on every
;; change; Flask's debug mode exposes the Werkzeug debugger, which runs
;; arbitrary code for anyone who reaches it. A compose file used to deploy
;; should run the production server.
;;
;; ## Example
;; ```yaml
;; services:
;;   api:
;;     build: .
;;     command: uvicorn app.main:app --host 0.0.0.0 --reload
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   api:
;;     build: .
;;     command: uvicorn app.main:app --host 0.0.0.0
;; ```
;; Keep reloading in `compose.override.yaml`, which `docker compose` merges
;; automatically on developer machines. The quick fix deletes the flags (the
;; list item, or the word inside the string). It is safe: only hot reloading
;; stops. A command that comes from a YAML anchor is reported without a fix.
;;
;; ## References
;; - Uvicorn docs, "Deployment"
;; - Docker docs, "Merge Compose files" (override files)
;; '''
;;
;; [fix]
;; title = "Remove the development flag"
;; safe = true
;; edits = [{ capture = "removal", delete = true }]
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#not-compose-has? @key "develop")
  (#not-compose-override-path?)
  (#compose-dev-server-flag! @key "finding")
  (#compose-dev-server-flag-removal! "finding" "removal"))
