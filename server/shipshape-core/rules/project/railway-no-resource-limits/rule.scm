;; priority = "low"
;; category = "scalability"
;; summary = "A Railway or Fly config that sets no replicas or resource limits."
;; message = "This ${platform} config sets ${missing}: the platform's defaults decide how many instances run and how much memory they may take, so a leak or a traffic spike becomes a bill or an out-of-memory crash instead of a bounded slowdown."
;; docs = '''
;; ## What it finds
;; - A `railway.json` or `railway.toml` whose `deploy` section sets neither `numReplicas`,
;;   `multiRegionConfig` nor `limitOverride`.
;; - A `fly.toml` with an `[http_service]` or `[[services]]` section and neither a machine size
;;   (`[[vm]]`, `[vm]`, `vm_size`) nor a concurrency limit (`[http_service.concurrency]`, a
;;   service's `concurrency`). Fly's equivalents are reported under the same id.
;;
;; ## Why it matters in production
;; Without them the service runs with whatever the platform and plan default to: one replica
;; (no redundancy while it restarts) or as many as someone set in the dashboard, memory up to
;; the plan's ceiling (a leaking worker keeps growing and the bill with it), and on Fly a
;; default of 25 concurrent connections per machine that says nothing about what the app can
;; really serve. Writing them down makes capacity a reviewed decision. The reviewers rated
;; this low: it costs money and surprises, rarely data.
;;
;; ## Example
;; ```json
;; { "deploy": { "startCommand": "uvicorn app.main:app --host 0.0.0.0 --port $PORT" } }
;; ```
;;
;; ## Fix
;; ```json
;; { "deploy": { "numReplicas": 2, "startCommand": "..." } }
;; ```
;; ```toml
;; [[vm]]
;; memory = "1gb"
;; cpus = 1
;;
;; [http_service.concurrency]
;; type = "requests"
;; soft_limit = 50
;; hard_limit = 80
;; ```
;; There is no quick fix: the numbers depend on the service's load and budget.
;;
;; ## References
;; - Railway docs, "Config as Code" (`numReplicas`, `multiRegionConfig`): https://docs.railway.com/reference/config-as-code
;; - Railway docs, "Scaling": https://docs.railway.com/reference/scaling
;; - Fly.io docs, "The `[[vm]]` section": https://fly.io/docs/reference/configuration/#the-vm-section
;; - Fly.io docs, "`http_service.concurrency`": https://fly.io/docs/reference/configuration/#http_service-concurrency
;; '''
