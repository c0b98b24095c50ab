;; priority = "high"
;; category = "reliability"
;; summary = "A service without a memory limit."
;; message = "Service `${service}` has no memory limit: one leak or traffic spike can take the host's memory and the OOM killer picks which container dies; set `deploy.resources.limits.memory` (or `mem_limit`)."
;; docs = '''
;; ## What it finds
;; A service with neither `deploy.resources.limits.memory` nor `mem_limit`
;; (after resolving `<<` merge keys). Override and development files
;; (`compose.override.yaml`, `docker-compose.dev.yml`, `*.test.yml`), services
;; that `extends` another, services set up for `docker compose watch`
;; (`develop:`), one-shot jobs (migrations, init containers), and services whose
;; limit another file of the same stack sets (a `.prod`, `.production`,
;; `.deploy` or `.staging` variant of the compose file in the same folder, or the
;; base file from a variant) are not reported.
;;
;; ## Why it matters in production
;; Without a limit a container may use all of the host's memory. When it does,
;; the kernel's OOM killer ends *some* process — often the database next to
;; the leaking app — instead of just restarting the culprit.
;;
;; ## Example
;; ```yaml
;; services:
;;   api:
;;     image: ghcr.io/acme/api:1.4.2
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   api:
;;     image: ghcr.io/acme/api:1.4.2
;;     deploy:
;;       resources:
;;         limits:
;;           memory: 512M
;; ```
;; The quick fix adds the keys at the file's indentation, inside an existing
;; `deploy:`/`resources:` when there is one. It is not marked safe: `512M` is a
;; placeholder; measure the service's working set and set the limit above it,
;; or the service gets killed under normal load.
;;
;; ## References
;; - Docker docs, compose "deploy" specification: resources
;; - Docker docs, "Resource constraints"
;; '''
;;
;; [fix]
;; title = "Add a memory limit"
;; safe = false
;; edits = [{ capture = "finding", add_key = "deploy.resources.limits.memory", add_value = "512M" }]
(_
  key: (_) @finding
  (#compose-service! @finding "service")
  (#not-compose-has? @finding "mem_limit" "deploy.resources.limits.memory" "extends" "develop")
  (#not-compose-stack-has? @finding "mem_limit" "deploy.resources.limits.memory")
  (#not-compose-one-shot? @finding)
  (#not-compose-override-path?))
