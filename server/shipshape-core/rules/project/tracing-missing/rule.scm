;; priority = "medium"
;; category = "observability"
;; summary = "A service with no distributed tracing."
;; message = "This ${framework} service has no tracing: no OpenTelemetry, Sentry performance (`traces_sample_rate`), Datadog or Elastic APM, Logfire or LLM tracing. A slow or failed request cannot be followed through its calls to the model, the vector store and the database."
;; docs = """
;; ## What it finds
;; A web service in a project with no distributed tracing anywhere: no OpenTelemetry traces
;; (`opentelemetry.trace`, a `TracerProvider`, `opentelemetry.instrumentation.*`, or the
;; FastAPI/Flask/Django instrumentation or `opentelemetry-distro` as a dependency), no Sentry
;; with `traces_sample_rate`, `traces_sampler` or `enable_tracing=True`, no `ddtrace`, Elastic APM or Logfire, and no
;; LLM tracing (Langfuse, LangSmith through `LANGCHAIN_TRACING_V2`/`LANGSMITH_TRACING`).
;; Imports in any module and the project's dependency files both count. The finding points at
;; the app.
;;
;; ## Why it matters in production
;; An AI service's request is a chain: the route, a retrieval from the vector store, one or
;; more LLM calls, a speech synthesis, a database write. When it takes 14 seconds or fails,
;; a trace shows which step did it and with what inputs; logs alone give a dozen unrelated
;; lines from different modules, and metrics only say that it happened. Tracing is also how a
;; request id reaches the services you call.
;;
;; ## Example
;; ```python
;; app = FastAPI(title="Companion")
;; ```
;;
;; ## Fix
;; ```python
;; from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
;; from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
;;
;; app = FastAPI(title="Companion")
;; FastAPIInstrumentor.instrument_app(app)
;; HTTPXClientInstrumentor().instrument()
;; ```
;; Configure the exporter with the standard environment variables
;; (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_SERVICE_NAME`) or run under
;; `opentelemetry-instrument`. With Sentry already in place, `traces_sample_rate=0.1` in
;; `sentry_sdk.init` is enough to start. There is no quick fix.
;;
;; ## References
;; - OpenTelemetry Python, "Getting started" and FastAPI instrumentation: https://opentelemetry.io/docs/languages/python/getting-started/
;; - Sentry for Python, "Tracing": https://docs.sentry.io/platforms/python/tracing/
;; - Langfuse, "Tracing": https://langfuse.com/docs/tracing
;; """
