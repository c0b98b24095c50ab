;; priority = "high"
;; category = "reliability"
;; summary = "A Railway config without `deploy.healthcheckPath`."
;; message = "This Railway config has no `deploy.healthcheckPath`: Railway switches traffic to a new deploy as soon as it starts, even if the app crashes a second later."
;; docs = """
;; ## What it finds
;; A `railway.json` or `railway.toml` whose `deploy` section has no `healthcheckPath`.
;;
;; ## Why it matters in production
;; With a health check path, Railway waits for the new deployment to answer 200 before routing
;; traffic to it, so a broken release never replaces a working one.
;;
;; ## Example
;; ```json
;; { "deploy": { "startCommand": "uvicorn app.main:app --host 0.0.0.0 --port $PORT" } }
;; ```
;;
;; ## Fix
;; ```json
;; { "deploy": { "healthcheckPath": "/health", "startCommand": "..." } }
;; ```
;; The quick fix adds `healthcheckPath` with the app's real health route (found in the code, with
;; router prefixes); it is offered only when the app has one. It is safe: a failing health check
;; only keeps the previous deployment running.
;;
;; ## References
;; - Railway, "Healthchecks": https://docs.railway.com/guides/healthchecks
;; """
;;
;; [fix]
;; title = "Add `healthcheckPath` with the app's health route"
;; safe = true
