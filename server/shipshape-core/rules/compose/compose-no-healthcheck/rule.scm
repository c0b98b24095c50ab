;; priority = "medium"
;; category = "reliability"
;; summary = "An application or database service without a health check."
;; message = "Service `${service}` has no `healthcheck` (nor one in its Dockerfile): compose cannot tell when it is ready or hung, and dependants cannot wait for it with `condition: service_healthy`."
;; docs = '''
;; ## What it finds
;; A service that is built from the project (`build:`) or runs a database or
;; cache image (postgres, mysql, mariadb, mongo, redis, qdrant, ...) with no
;; `healthcheck`, when the Dockerfile it builds (if it can be read) declares no
;; `HEALTHCHECK` either. `healthcheck: {disable: true}` is a deliberate choice
;; and is not reported; neither are one-shot jobs, services set up for
;; `docker compose watch` (`develop:`) and override/development files.
;;
;; ## Why it matters in production
;; "Running" only means the process exists. Without a health check a stack
;; starts the API before the database accepts connections, and a hung app keeps
;; its place until someone notices.
;;
;; ## Example
;; ```yaml
;; services:
;;   db:
;;     image: postgres:16
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   db:
;;     image: postgres:16
;;     healthcheck:
;;       test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER:-postgres}"]
;;       interval: 10s
;;       timeout: 5s
;;       retries: 5
;; ```
;; There is no quick fix: the probe depends on the service (`pg_isready`,
;; `redis-cli ping`, `mysqladmin ping`, an HTTP health route of the app).
;;
;; ## References
;; - Docker docs, compose "healthcheck" specification
;; '''
(_
  key: (_) @finding
  (#compose-service! @finding "service")
  (#compose-has? @finding "build")
  (#not-compose-has? @finding "healthcheck" "develop")
  (#not-compose-healthcheck? @finding)
  (#not-compose-one-shot? @finding)
  (#not-compose-override-path?))
(_
  key: (_) @finding
  (#compose-service! @finding "service")
  (#not-compose-has? @finding "build" "healthcheck" "develop")
  (#compose-database? @finding)
  (#not-compose-one-shot? @finding)
  (#not-compose-override-path?))
