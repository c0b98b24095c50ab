;; priority = "medium"
;; category = "reliability"
;; summary = "The app's listen port disagrees with EXPOSE, compose ports or the health check."
;; message = "The app listens on port ${listen}, but ${declared} says otherwise: traffic or probes go to a port nothing listens on."
;; docs = """
;; ## What it finds
;; The port the server command listens on (`--port`, `--bind`, `runserver host:port`, the uvicorn
;; and gunicorn default of 8000, `${PORT:-8000}` defaults, `ENV PORT`) compared with the Dockerfile's
;; `EXPOSE`, the port of its `HEALTHCHECK` URL, and, for compose services built from the project,
;; their `ports`/`expose` container ports and healthcheck URL. A stage built from another
;; (`FROM builder`) listens under the `ENV`s it inherits. A compose file at a monorepo's root that
;; builds a service from a project folder of its own (`build: ./services/api`) is compared with the
;; Dockerfile in that folder.
;;
;; ## Why it matters in production
;; A port mismatch deploys cleanly and then fails every request or every health probe.
;;
;; ## Example
;; ```dockerfile
;; EXPOSE 8080
;; CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
;; ```
;;
;; ## Fix
;; Make them agree, ideally from one `PORT` variable. No quick fix: which side is right is yours
;; to say.
;;
;; ## References
;; - Docker, "EXPOSE": https://docs.docker.com/reference/dockerfile/#expose
;; """
