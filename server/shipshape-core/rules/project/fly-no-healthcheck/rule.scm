;; priority = "medium"
;; category = "reliability"
;; summary = "A `fly.toml` service without health checks."
;; message = "This Fly service has no checks: Fly cannot tell a hung machine from a healthy one. Add `[[http_service.checks]]` with the app's health path."
;; docs = """
;; ## What it finds
;; A `fly.toml` with an `[http_service]` or `[[services]]` section and no `checks`,
;; `http_checks` or `tcp_checks`.
;;
;; ## Why it matters in production
;; Fly's proxy uses checks to stop routing to unhealthy machines and deploys use them to decide
;; whether a release is good.
;;
;; ## Example
;; ```toml
;; [http_service]
;; internal_port = 8000
;; ```
;;
;; ## Fix
;; ```toml
;; [[http_service.checks]]
;; grace_period = "10s"
;; interval = "30s"
;; method = "GET"
;; path = "/health"
;; timeout = "5s"
;; ```
;; No quick fix: intervals and grace periods depend on the app's start-up time.
;;
;; ## References
;; - Fly.io, "Health checks": https://fly.io/docs/reference/health-checks/
;; """
