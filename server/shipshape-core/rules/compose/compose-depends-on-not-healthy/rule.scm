;; priority = "medium"
;; category = "reliability"
;; summary = "`depends_on` that does not wait for a dependency's health check."
;; message = "`${service}` depends on `${dependency}` without `condition: service_healthy`, so it starts as soon as the container starts, before `${dependency}` is ready (its healthcheck is never waited for)."
;; docs = '''
;; ## What it finds
;; A `depends_on` entry — short form (`- db`) or long form with
;; `condition: service_started` or no condition — naming a service that has a
;; health check (in the compose file, in a file it pulls in with top-level
;; `include:` — short or long syntax, followed through nested includes — or in
;; the Dockerfile the service builds). A dependency defined nowhere that can be
;; read (an interpolated include path, a missing file) is not judged.
;;
;; ## Why it matters in production
;; `depends_on` alone only orders container *starts*. The app boots while the
;; database is still initialising, fails its first connections, and either
;; crashes (restart loops on every deploy) or caches a broken state.
;;
;; ## Example
;; ```yaml
;; services:
;;   api:
;;     build: .
;;     depends_on:
;;       - db
;;   db:
;;     image: postgres:16
;;     healthcheck:
;;       test: ["CMD-SHELL", "pg_isready -U postgres"]
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   api:
;;     build: .
;;     depends_on:
;;       db:
;;         condition: service_healthy
;;   db:
;;     image: postgres:16
;;     healthcheck:
;;       test: ["CMD-SHELL", "pg_isready -U postgres"]
;; ```
;; The quick fix rewrites the short form as the long form (dependencies without
;; a health check get `condition: service_started`, which keeps their meaning),
;; adds the condition to a long-form entry, or changes `service_started`. It is
;; not marked safe: the service now waits, and never starts if the health check
;; is broken.
;;
;; ## References
;; - Docker docs, "Control startup and shutdown order in Compose"
;; '''
;;
;; [fix]
;; title = "Wait for the dependency to be healthy"
;; safe = false
;; edits = [{ capture = "finding", set_condition = "service_healthy" }]
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#compose-dependency! @key "finding")
  (#compose-dependency-condition-matches? "finding" "^service_started$")
  (#compose-dependency-healthy? "finding")
  (#compose-dependency-name! "finding" "dependency"))
