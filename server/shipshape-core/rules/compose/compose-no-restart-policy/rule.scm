;; priority = "medium"
;; category = "reliability"
;; summary = "A long-running service without a restart policy."
;; message = "Service `${service}` has no `restart` policy: after a crash or a host reboot it stays down; add `restart: unless-stopped`."
;; docs = '''
;; ## What it finds
;; A service with neither `restart` nor `deploy.restart_policy`, except one-shot
;; jobs (services others wait for with `service_completed_successfully`,
;; `restart: "no"`, migrations/init/seed/test jobs), services that `extends`
;; another, services set up for `docker compose watch` (`develop:`), services
;; whose policy another file of the same stack sets (`compose.yml` deployed with
;; `-f compose.deploy.yml`: a `.prod`, `.production`, `.deploy` or `.staging`
;; variant in the same folder, or the base file from a variant), and override or
;; development files.
;;
;; ## Why it matters in production
;; The default policy is `no`: a crashed process, an OOM kill or a reboot of the
;; host leaves the service down until someone runs `docker compose up` again.
;;
;; ## Example
;; ```yaml
;; services:
;;   worker:
;;     image: ghcr.io/acme/worker:2.1.0
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   worker:
;;     image: ghcr.io/acme/worker:2.1.0
;;     restart: unless-stopped
;; ```
;; The quick fix adds `restart: unless-stopped` after the service's `image` or
;; `build` key. It is safe: the service runs the same; it is only started again
;; when it stops on its own (a `docker compose stop` is respected).
;;
;; ## References
;; - Docker docs, compose "restart" specification
;; '''
;;
;; [fix]
;; title = "Add `restart: unless-stopped`"
;; safe = true
;; edits = [{ capture = "finding", add_key = "restart", add_value = "unless-stopped", after = ["image", "build"] }]
(_
  key: (_) @finding
  (#compose-service! @finding "service")
  (#not-compose-has? @finding "restart" "deploy.restart_policy" "extends" "develop")
  (#not-compose-stack-has? @finding "restart" "deploy.restart_policy")
  (#not-compose-one-shot? @finding)
  (#not-compose-override-path?))
