;; priority = "high"
;; category = "observability"
;; summary = "A web app with no health or readiness route."
;; message = "This ${framework} app has no health route (`/health`, `/healthz`, `/ready`, `/livez`, `/ping`, ...): load balancers, orchestrators and deploy platforms cannot tell whether it is up."
;; docs = """
;; ## What it finds
;; A web app where no route of the project (router and `include_router` prefixes, blueprints and
;; Django `include()`s taken into account) ends in `health`, `healthz`, `ready`, `readyz`, `live`,
;; `livez`, `ping` or `status`.
;;
;; ## Why it matters in production
;; Railway, Fly, Kubernetes, ECS and Docker all decide whether to send traffic to an instance, or
;; to restart it, from a health probe. Without one a deploy that crashes at start-up is marked
;; healthy, and a hung process keeps receiving requests.
;;
;; ## Example
;; ```python
;; app = FastAPI(title="Notes")
;; ```
;;
;; ## Fix
;; ```python
;; app = FastAPI(title="Notes")
;;
;;
;; @app.get("/health")
;; def health() -> dict[str, str]:
;;     return {"status": "ok"}
;; ```
;; The quick fix inserts that route after the app is created (FastAPI and Flask apps). It is not
;; marked safe: it adds a public URL, and you may want it to check the database too.
;;
;; ## References
;; - Kubernetes, "Configure Liveness, Readiness and Startup Probes"
;; - Railway, "Healthchecks": https://docs.railway.com/guides/healthchecks
;; """
;;
;; [fix]
;; title = "Add a `GET /health` route"
;; safe = false
