;; priority = "medium"
;; category = "observability"
;; summary = "A web app with no request or correlation id middleware."
;; message = "This ${framework} app has no request id: log lines of one request cannot be tied together or to a client's report. Add `asgi-correlation-id` (or a middleware that sets `X-Request-ID`)."
;; docs = """
;; ## What it finds
;; A web app in a project with no request-id library (asgi-correlation-id, django-guid,
;; starlette-context) and no code that reads or sets `X-Request-ID` / `X-Correlation-ID`.
;;
;; ## Why it matters in production
;; With concurrent requests, logs interleave. A request id on every log line and in the response
;; lets you find everything one failing request did, and match it to a user's bug report.
;;
;; ## Example
;; ```python
;; app = FastAPI()
;; ```
;;
;; ## Fix
;; ```python
;; from asgi_correlation_id import CorrelationIdMiddleware
;;
;; app.add_middleware(CorrelationIdMiddleware)
;; ```
;; No quick fix: it needs a dependency and a logging filter.
;;
;; ## References
;; - asgi-correlation-id: https://github.com/snok/asgi-correlation-id
;; """
