;; priority = "medium"
;; category = "observability"
;; summary = "A service with no structured (JSON) logging."
;; message = "This ${framework} service logs plain text: no structlog, python-json-logger, loguru `serialize=True` or JSON formatter. Structured logs can be searched, filtered and alerted on by field."
;; docs = """
;; ## What it finds
;; A web service in a project with no structured logging: no structlog, python-json-logger or
;; ecs-logging, no loguru sink with `serialize=True`, no JSON `logging.Formatter`.
;;
;; ## Why it matters in production
;; Log platforms index JSON fields; plain text lines have to be grepped. Without fields (request
;; id, user, route, duration) you cannot build an alert on error rates or find one user's requests.
;;
;; ## Example
;; ```python
;; logging.basicConfig(level=logging.INFO)
;; ```
;;
;; ## Fix
;; ```python
;; import structlog
;;
;; structlog.configure(processors=[structlog.processors.add_log_level,
;;                                 structlog.processors.TimeStamper(fmt="iso"),
;;                                 structlog.processors.JSONRenderer()])
;; ```
;; No quick fix: the logging setup is the project's.
;;
;; ## References
;; - structlog: https://www.structlog.org/
;; - The Twelve-Factor App, XI. Logs
;; """
