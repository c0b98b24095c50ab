;; priority = "medium"
;; category = "reliability"
;; summary = "A Railway config without `deploy.restartPolicyType`."
;; message = "This Railway config has no `deploy.restartPolicyType`: say what happens when the process exits (for example `ON_FAILURE` with a retry count)."
;; docs = """
;; ## What it finds
;; A `railway.json` or `railway.toml` whose `deploy` section has no `restartPolicyType`.
;;
;; ## Why it matters in production
;; A crash at 3 a.m. should restart the service, a bounded number of times, and the policy should
;; be in version control rather than in a dashboard.
;;
;; ## Example
;; ```toml
;; [deploy]
;; startCommand = "uvicorn app.main:app --host 0.0.0.0 --port $PORT"
;; ```
;;
;; ## Fix
;; ```toml
;; [deploy]
;; restartPolicyType = "ON_FAILURE"
;; restartPolicyMaxRetries = 10
;; ```
;; The quick fix adds those two keys. It is safe: it writes down a restart policy.
;;
;; ## References
;; - Railway, "Restart Policy": https://docs.railway.com/guides/restart-policy
;; """
;;
;; [fix]
;; title = "Restart on failure, up to 10 times"
;; safe = true
