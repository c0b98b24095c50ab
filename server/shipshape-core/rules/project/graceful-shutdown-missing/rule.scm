;; priority = "medium"
;; category = "reliability"
;; summary = "The server is started with no bound on its graceful shutdown, or a client opened at start-up is never closed."
;; message = "${what}: ${consequence}"
;; docs = """
;; ## What it finds
;; How the service is started in production, read from the deployment files — the final
;; stage's `CMD`/`ENTRYPOINT` of each Dockerfile, the `command` of each compose service that is
;; built from the project, Railway's `startCommand` (files named `dev`, `local`, `override`,
;; `test` or `debug` are left out) — when it starts uvicorn with no graceful timeout:
;; - the `uvicorn` command line without `--timeout-graceful-shutdown` (nor
;;   `UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN` in the image's or service's environment);
;; - `fastapi run`, which starts uvicorn and takes no graceful timeout;
;; - `python -m module` / `python file.py` where that module calls `uvicorn.run(...)` (or builds
;;   a `uvicorn.Config`) without `timeout_graceful_shutdown=`.
;;
;; Also reported: a client or pool opened at start-up — before the `yield` of the app's
;; lifespan (an `@asynccontextmanager` function passed as `lifespan=` or named so), or in an
;; `on_event("startup")` handler — and assigned to a name or attribute that the shutdown code
;; (after the `yield`, or an `on_event("shutdown")` handler of the same file) never mentions:
;; `httpx.AsyncClient`, `aiohttp.ClientSession`, `create_engine`/`create_async_engine`, Redis
;; clients and pools, `asyncpg.create_pool`, Motor and PyMongo clients, Qdrant clients,
;; `AsyncElasticsearch`, aiokafka producers and consumers, arq and psycopg pools. One opened
;; with `async with` (or an `AsyncExitStack`) is closed by construction and not reported.
;;
;; When no deployment file starts a server's command line (the service starts through a script
;; or a console entry point, or has no deployment file), every `uvicorn.run(...)` in the
;; service's code (tests and examples aside) is judged instead. Gunicorn (30 s by default),
;; Hypercorn (3 s), `--reload` development servers and calls that pass `**options` are not
;; reported.
;;
;; ## Why it matters in production
;; A deploy, a scale-down or a node drain sends SIGTERM, waits, then sends SIGKILL: 10 s for
;; `docker stop` and compose, 30 s for Kubernetes, 5 s for Fly. Uvicorn, given SIGTERM, stops
;; accepting connections and waits for the requests in flight — with no timeout by default,
;; and an LLM answer streamed over server-sent events or a long upload keeps it waiting. The
;; SIGKILL then cuts every open response at once, and the lifespan's shutdown half (closing the
;; database pool, flushing the tracing and analytics exporters, finishing background tasks)
;; never runs. A timeout a little below the platform's lets uvicorn cancel what is left, answer
;; cleanly and run the shutdown.
;;
;; ## Example
;; ```dockerfile
;; CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
;; ```
;;
;; ## Fix
;; ```dockerfile
;; CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--timeout-graceful-shutdown", "8"]
;; ```
;; In code: `uvicorn.run(app, host="0.0.0.0", port=8000, timeout_graceful_shutdown=8)`. Close
;; what the lifespan opened after its `yield`:
;; ```python
;; @asynccontextmanager
;; async def lifespan(app: FastAPI):
;;     app.state.http = httpx.AsyncClient(timeout=10)
;;     yield
;;     await app.state.http.aclose()
;; ``` Pick
;; the value from the platform's stop timeout (compose `stop_grace_period`, Kubernetes
;; `terminationGracePeriodSeconds`, Fly `kill_timeout`), leaving time for the lifespan shutdown.
;; There is no quick fix: the value depends on the platform.
;;
;; ## References
;; - Uvicorn, "Settings — Timeouts": https://www.uvicorn.org/settings/#timeouts
;; - Kubernetes, "Pod Lifecycle — Termination of Pods": https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
;; - Docker, "docker container stop": https://docs.docker.com/reference/cli/docker/container/stop/
;; - FastAPI docs, "Lifespan Events": https://fastapi.tiangolo.com/advanced/events/
;; """
