;; priority = "medium"
;; category = "observability"
;; summary = "A service that exports no metrics."
;; message = "This ${framework} service exports no metrics: no Prometheus client or instrumentator, no OpenTelemetry metrics, no StatsD. Request rates, error rates, latencies and the time spent in LLM and vector-store calls are invisible until users complain."
;; docs = """
;; ## What it finds
;; A web service in a project with no application metrics anywhere: no `prometheus_client`,
;; `prometheus-fastapi-instrumentator`, `starlette-exporter`, `aioprometheus`,
;; `prometheus-flask-exporter` or `django-prometheus`; no OpenTelemetry metrics (a
;; `MeterProvider`, `opentelemetry.metrics`, or the FastAPI/Flask/Django instrumentation or
;; `opentelemetry-distro` as a dependency); no StatsD or Datadog client; no Logfire. Imports in
;; any module and the project's dependency files both count. The finding points at the app.
;;
;; ## Why it matters in production
;; Logs say what happened to one request; metrics say how the service is doing: requests per
;; second, the share that fail, the 95th-percentile latency, how long the LLM, the speech API
;; and the vector store take, how many tokens a day cost. Without them there is nothing to
;; alert on before users notice, no way to see that a deployment made things slower, and no
;; numbers to size instances or quotas with.
;;
;; ## Example
;; ```python
;; app = FastAPI(title="Companion")
;; ```
;;
;; ## Fix
;; ```python
;; from prometheus_fastapi_instrumentator import Instrumentator
;;
;; app = FastAPI(title="Companion")
;; Instrumentator().instrument(app).expose(app, include_in_schema=False)
;; ```
;; This exports request counts and latency histograms per route at `/metrics`; add your own
;; (`prometheus_client.Histogram("llm_request_seconds", ...)`) around calls to external
;; services. Keep `/metrics` off the public internet (a separate port or the proxy). There is
;; no quick fix: the choice of backend is yours.
;;
;; ## References
;; - prometheus-fastapi-instrumentator: https://github.com/trallnag/prometheus-fastapi-instrumentator
;; - Prometheus, "Instrumentation" best practices: https://prometheus.io/docs/practices/instrumentation/
;; - OpenTelemetry Python, "Metrics": https://opentelemetry.io/docs/languages/python/instrumentation/#metrics
;; - Google SRE book, "The Four Golden Signals": https://sre.google/sre-book/monitoring-distributed-systems/
;; """
