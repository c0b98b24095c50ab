;; priority = "medium"
;; category = "observability"
;; summary = "The final image of a service has no HEALTHCHECK."
;; message = "This image serves traffic but has no `HEALTHCHECK`, so Docker cannot tell a hung app from a healthy one; add `HEALTHCHECK CMD` probing the app's health route."
;; docs = '''
;; ## What it finds
;; The final image of a service (it `EXPOSE`s a port or its `CMD`/`ENTRYPOINT`
;; starts a server such as uvicorn, gunicorn, flask, nginx or node) with no
;; `HEALTHCHECK` instruction in its stages. `HEALTHCHECK NONE` is a deliberate
;; choice and is not reported; neither are development Dockerfiles
;; (`Dockerfile.dev`, `.devcontainer/`), nor an image that a compose file beside
;; it or above it (inside the repository or the folder being checked: a monorepo's root
;; `compose.yaml` with `build: ./services/api`) builds for a service with its
;; own `healthcheck:`.
;;
;; ## Why it matters in production
;; Without a health check a container is "running" as long as its process
;; exists: a deadlocked worker, an exhausted connection pool or an app stuck on
;; startup keeps receiving traffic. Docker, Swarm and compose
;; `depends_on: condition: service_healthy` rely on it to restart or wait.
;;
;; ## Example
;; ```dockerfile
;; FROM python:3.12-slim
;; EXPOSE 8000
;; CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
;; ```
;;
;; ## Fix
;; ```dockerfile
;; FROM python:3.12-slim
;; EXPOSE 8000
;; HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
;;   CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"
;; CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
;; ```
;; There is no quick fix yet: the right probe needs the app's port and its
;; health route, which only the cross-file checks know (see
;; `healthcheck-path-not-served`). Slim images often lack `curl`; probe with the
;; interpreter the image already has. When an orchestrator probes the container
;; itself (Kubernetes liveness/readiness probes), suppress this finding.
;;
;; ## References
;; - Docker docs, Dockerfile reference: HEALTHCHECK
;; - Docker docs, compose `depends_on` with `condition: service_healthy`
;; '''
((from_instruction) @finding
  (#docker-deployed-stage? @finding)
  (#not-docker-development-file?)
  (#not-docker-image-has? @finding "healthcheck_instruction")
  (#not-docker-compose-healthcheck?)
  (#docker-image-has? @finding "expose_instruction"))
((from_instruction) @finding
  (#docker-deployed-stage? @finding)
  (#not-docker-development-file?)
  (#not-docker-image-has? @finding "healthcheck_instruction")
  (#not-docker-compose-healthcheck?)
  (#not-docker-image-has? @finding "expose_instruction")
  (#docker-image-command-word? @finding "^(?:[\\s\\S]*/)?(?:uvicorn|gunicorn|hypercorn|daphne|granian|waitress-serve|uwsgi|streamlit|nginx|node|fastapi|flask|httpd|caddy)$|^runserver$"))
