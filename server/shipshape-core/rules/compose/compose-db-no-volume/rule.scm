;; priority = "critical"
;; category = "data-safety"
;; summary = "A database service without a volume for its data."
;; message = "Database service `${service}` has no volume on its data directory `${dir}`: the data lives in the container and is lost when it is recreated (`docker compose down`, an image upgrade); mount a named volume there."
;; docs = '''
;; ## What it finds
;; A database service (postgres and its variants, mysql, mariadb, mongo,
;; qdrant, elasticsearch, opensearch, neo4j, clickhouse, ...) with no volume or
;; tmpfs whose target is its data directory, a parent of it or a folder inside
;; it. Caches (redis, memcached) and override, development and test files
;; (where a throw-away database is intended) are not reported.
;;
;; ## Why it matters in production
;; Without a named volume the data lives in the container's writable layer or
;; an anonymous volume. `docker compose down`, a `--force-recreate` or an
;; upgrade of the image creates a new, empty database.
;;
;; ## Example
;; ```yaml
;; services:
;;   db:
;;     image: postgres:16
;;     volumes:
;;       - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   db:
;;     image: postgres:16
;;     volumes:
;;       - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro
;;       - db-data:/var/lib/postgresql/data
;;
;; volumes:
;;   db-data:
;; ```
;; The quick fix adds a named volume `<service>-data` on the image's data
;; directory (`/var/lib/postgresql` for Postgres 18 and later) and declares it
;; under the top-level `volumes:`. It is not marked safe: a custom image may
;; keep its data elsewhere (`PGDATA`), and the existing container's data is not
;; moved into the new volume.
;;
;; ## References
;; - Docker docs, "Volumes"
;; - Docker Hub, postgres image: "Where to Store Data"
;; '''
;;
;; [fix]
;; title = "Add a named volume for the data"
;; safe = false
;; edits = [{ capture = "finding", add_volume = "${dir}", volume_name = "${service}-data" }]
(_
  key: (_) @finding
  (#compose-service! @finding "service")
  (#compose-data-dir! @finding "dir")
  (#not-compose-data-mounted? @finding)
  (#not-compose-override-path?))
