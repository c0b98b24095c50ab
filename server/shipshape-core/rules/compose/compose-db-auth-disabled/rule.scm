;; priority = "high"
;; category = "security"
;; summary = "A database container started with authentication turned off."
;; message = "`${name}` turns off the database's password check: anyone who reaches its port (any container on the network, the host, the internet when the port is published) logs in as any user; set a password from the environment instead."
;; docs = '''
;; ## What it finds
;; `environment` entries of a service that make a database image accept
;; logins without a password: `POSTGRES_HOST_AUTH_METHOD: trust` (the
;; official postgres image), `MYSQL_ALLOW_EMPTY_PASSWORD`,
;; `MARIADB_ALLOW_EMPTY_ROOT_PASSWORD` set to `yes`/`true`/`1` (mysql,
;; mariadb), `ALLOW_EMPTY_PASSWORD: yes` (Bitnami images) and
;; `xpack.security.enabled: false` (Elasticsearch), also as the default of
;; an interpolation (`${ALLOW_EMPTY_PASSWORD:-yes}`). Development, test and override files (`compose.override.yaml`,
;; `docker-compose.dev.yml`, `*.test.yml`) are not reviewed.
;;
;; ## Why it matters in production
;; These switches exist for throwaway test containers. In a deployed
;; compose file they leave the database open to every other container on
;; the network, and to the world as soon as a port is published: open
;; Postgres, MySQL and Elasticsearch instances are found and wiped by
;; scanners within hours.
;;
;; ## Example
;; ```yaml
;; services:
;;   db:
;;     image: postgres:16
;;     environment:
;;       POSTGRES_HOST_AUTH_METHOD: trust
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   db:
;;     image: postgres:16
;;     environment:
;;       POSTGRES_PASSWORD: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
;; ```
;; There is no quick fix: give the database a password from the environment
;; (or a compose secret with `POSTGRES_PASSWORD_FILE`) and pass it to the
;; services that connect.
;;
;; ## References
;; - postgres image docs, `POSTGRES_HOST_AUTH_METHOD`
;; - MySQL docs, "Docker environment variables" (`MYSQL_ALLOW_EMPTY_PASSWORD`)
;; - CIS Docker Benchmark; OWASP Docker Security Cheat Sheet
;; '''
(_
  key: (_) @key
  (#compose-environment! @key "finding")
  (#not-compose-override-path?)
  (#compose-environment-matches? "finding" "^POSTGRES_HOST_AUTH_METHOD$" "^[\"']?trust[\"']?$")
  (#compose-environment-name! "finding" "name"))
(_
  key: (_) @key
  (#compose-environment! @key "finding")
  (#not-compose-override-path?)
  (#compose-environment-matches? "finding" "^((MYSQL|MARIADB)_ALLOW_EMPTY(_ROOT)?_PASSWORD|(REDIS_)?ALLOW_EMPTY_PASSWORD)$" "^[\"']?(?i:yes|true|1|on|y)[\"']?$")
  (#compose-environment-name! "finding" "name"))
(_
  key: (_) @key
  (#compose-environment! @key "finding")
  (#not-compose-override-path?)
  (#compose-environment-matches? "finding" "^xpack\\.security\\.enabled$" "^[\"']?(?i:false)[\"']?$")
  (#compose-environment-name! "finding" "name")
  (#set! message "`xpack.security.enabled=false` turns off Elasticsearch's authentication: anyone who reaches its port reads, changes and deletes every index; keep security on and give the services the `elastic` password from the environment."))
