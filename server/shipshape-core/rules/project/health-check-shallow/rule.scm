;; priority = "high"
;; category = "observability"
;; summary = "A health or readiness route that answers OK without checking the backends the service uses."
;; message = "This health check answers without touching the ${backends} the service uses: an instance whose ${first} is unreachable still reports healthy and keeps getting traffic. Check each backend (a `SELECT 1`, a `PING`, a collection list) with a short timeout and answer 503 when one fails."
;; docs = """
;; ## What it finds
;; A route whose path ends in `health`, `healthz`, `healthcheck`, `ready`, `readyz`,
;; `readiness` or `status` and whose handler answers without touching anything: no parameter
;; but the request or response (no injected session or client), no `await`, no branch, loop,
;; `try`, `with` or `raise`, and no call other than a response or model constructor, a
;; conversion or a clock — in a project whose non-test code imports a client of a database
;; (SQLAlchemy, SQLModel, psycopg, asyncpg, PyMongo, Motor, Django's ORM, SQLite, ...), a cache
;; (Redis, Valkey, memcached) or a vector store (Qdrant, Chroma, Pinecone, Weaviate, Milvus,
;; pgvector, Elasticsearch, the LangChain and LlamaIndex vector stores).
;;
;; Not reported: a shallow liveness route when another health or readiness route of the
;; project does check something (`/healthz` answering "alive" beside a `/readyz` that pings
;; the database is the right split); routes named only `live`, `livez`, `liveness` or `ping`;
;; handlers registered away from their definition (`add_api_route`), which are not judged;
;; projects that talk to no backend.
;;
;; ## Why it matters in production
;; The orchestrator, the load balancer and the deploy platform route traffic by the health
;; check. One that only proves the process runs says "healthy" while the database is down,
;; the connection pool is exhausted or the vector store was moved: every request then fails
;; with a 500 after a timeout, the instance is never taken out of rotation, and a deploy with
;; a wrong `DATABASE_URL` goes live because its health check passed.
;;
;; ## Example
;; ```python
;; @app.get("/health")
;; def health():
;;     return {"status": "ok"}
;; ```
;;
;; ## Fix
;; ```python
;; @app.get("/healthz")
;; def liveness():
;;     return {"status": "alive"}
;;
;;
;; @app.get("/readyz")
;; async def readiness(session: SessionDep):
;;     try:
;;         await asyncio.wait_for(session.execute(text("SELECT 1")), timeout=2)
;;     except Exception as exc:
;;         raise HTTPException(status_code=503, detail="database unavailable") from exc
;;     return {"status": "ready"}
;; ```
;; Keep liveness shallow (a restart does not fix a database outage) and point the platform's
;; readiness or deploy health check at the route that checks the backends. Bound each check
;; with a timeout so that the health check itself cannot hang. There is no quick fix: what to
;; check is yours to decide.
;;
;; ## References
;; - Kubernetes, "Configure Liveness, Readiness and Startup Probes": https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
;; - Microsoft, "Health Endpoint Monitoring pattern": https://learn.microsoft.com/en-us/azure/architecture/patterns/health-endpoint-monitoring
;; - Railway docs, "Healthchecks": https://docs.railway.com/guides/healthchecks
;; """
