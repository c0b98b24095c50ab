;; priority = "high"
;; category = "reliability"
;; summary = "A health check probing a path that no route of the app serves."
;; message = "The health check probes `${path}`, but no route of the app serves it (${served}): every probe gets a 404 and the service is marked unhealthy."
;; docs = """
;; ## What it finds
;; A Dockerfile `HEALTHCHECK`, a compose `healthcheck` of a service built from the project, a Railway
;; `healthcheckPath` or a Fly check `path` probing a path that none of the app's routes matches. The
;; routes are read from the code with their full paths (router prefixes, `include_router`,
;; blueprints, Django `include()`); when an include cannot be resolved the rule stays quiet.
;;
;; A compose file at a monorepo's root that builds a service from a project folder of its own
;; (`build: ./services/api`, or `context: .` with `dockerfile: backend/Dockerfile`) has that
;; service's probe checked against the routes of the code in that folder, reported in the compose
;; file when the root is checked (`shipshape check services/api` does not read compose files above
;; it). Probes that are not HTTP (`pg_isready`, `redis-cli ping`) and services run from an image are
;; left alone.
;;
;; ## Why it matters in production
;; The platform restarts or never promotes a perfectly healthy service, or the check passes on a
;; proxy's error page while the app is down. Both are found at deploy time, at the worst moment.
;;
;; ## Example
;; ```dockerfile
;; HEALTHCHECK CMD curl -f http://localhost:8000/healthz || exit 1
;; ```
;; while the app serves `@app.get("/health")`.
;;
;; ## Fix
;; The quick fix replaces the probed path with the app's health route. It is safe: the probe then
;; asks the app the question it can answer.
;;
;; ## References
;; - Docker, "HEALTHCHECK": https://docs.docker.com/reference/dockerfile/#healthcheck
;; """
;;
;; [fix]
;; title = "Probe the app's health route"
;; safe = true
