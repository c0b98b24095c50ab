;; priority = "critical"
;; category = "security"
;; summary = "A literal secret in a service's `environment`."
;; message = "`${name}` is written into the compose file as a literal: it is in version control and in every copy of the file; read it from the environment with `$${${name}:?${name} must be set}`."
;; docs = '''
;; ## What it finds
;; An `environment` entry of a service (map form `NAME: value` or list form
;; `- NAME=value`, also through YAML anchors and `<<` merge keys) whose name is
;; secret-like (`*_PASSWORD`, `*_SECRET*`, `*_TOKEN`, `*_KEY`, `*_API_KEY`, ...)
;; and whose value is a literal. Interpolations (`${DB_PASSWORD}`), pass-through
;; entries (`- SECRET_KEY`), `*_FILE` variables pointing at compose `secrets`,
;; booleans and numbers are not reported. Connection URLs (`DATABASE_URL`,
;; `CELERY_BROKER_URL`, ... under any name) that carry a literal password
;; (`postgresql://app:s3cret@db:5432/app`) are reported too; a URL whose
;; password is interpolated (`postgresql://app:${DB_PASSWORD}@db/app`) or
;; that has no password is not. A secret, or a connection URL with a
;; password, that falls back to a literal default (`${PG_PASS:-authentik}`)
;; is reported as well: the default is what runs wherever the variable is
;; not set, and it is committed with the file. So is a literal password on
;; a service's `command` (`redis-server --requirepass s3cret`), which has no
;; quick fix.
;;
;; ## Why it matters in production
;; A compose file is committed, copied to servers and pasted into issues. A
;; password in it is shared with everyone who ever had the repository, and the
;; "dev" `postgres/postgres` credentials tend to become the production ones.
;;
;; ## Example
;; ```yaml
;; services:
;;   db:
;;     image: postgres:16
;;     environment:
;;       POSTGRES_PASSWORD: postgres
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
;; and put the value in an untracked `.env` file or the deployment's secret
;; store. The quick fix writes the required-variable interpolation (compose
;; stops with the message when the variable is unset). It is not marked safe:
;; `docker compose up` fails until the variable is provided, and the old value
;; must be rotated, since it stays in the repository history.
;;
;; ## References
;; - Docker docs, "Interpolation" (`${VAR:?error}`) and "Secrets in Compose"
;; - OWASP Secrets Management Cheat Sheet
;; '''
;;
;; [fix]
;; title = "Read the value from the environment"
;; safe = false
;; edits = [{ capture = "finding", set_environment = "$${${name}:?${name} must be set}" }]
;;
;; [fix.variants.command]
;; edits = []
;;
;; [fix.variants.default]
;; edits = [{ capture = "finding", set_environment = "$${${variable}:?${variable} must be set}" }]
(_
  key: (_) @key
  (#compose-environment! @key "finding")
  (#compose-environment-name! "finding" "name")
  (#secret-name? "name")
  (#compose-environment-literal? "finding"))
(_
  key: (_) @key
  (#compose-environment! @key "finding")
  (#compose-environment-literal? "finding")
  (#compose-environment-url-password? "finding")
  (#compose-environment-name! "finding" "name")
  (#set! message "`${name}` is a connection URL with a literal password: it is in version control and in every copy of the file; read it from the environment with `$${${name}:?${name} must be set}` (or build it from an interpolated password)."))
(_
  key: (_) @key
  (#compose-environment! @key "finding")
  (#compose-environment-name! "finding" "name")
  (#secret-name? "name")
  (#compose-environment-default! "finding" "variable")
  (#set! fix "default")
  (#set! message "`${name}` falls back to a literal default (`$${${variable}:-...}`): wherever `${variable}` is not set, the secret committed with the file is the one in use; require it with `$${${variable}:?${variable} must be set}`."))
(_
  key: (_) @key
  (#compose-environment! @key "finding")
  (#compose-environment-name! "finding" "name")
  (#not-secret-name? "name")
  (#compose-environment-default! "finding" "variable")
  (#compose-environment-url-password? "finding")
  (#set! fix "default")
  (#set! message "`${name}` falls back to a connection URL with a literal password (`$${${variable}:-...}`): wherever `${variable}` is not set, the password committed with the file is the one in use; require it with `$${${variable}:?${variable} must be set}`."))
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#compose-scalar-matches? @key "command" "--requirepass[= ]+[\"']?[^$\\s\"']")
  (#compose-value! @key "command" "finding")
  (#set! fix "command")
  (#set! message "Service `${service}` passes a literal password on its command line (`--requirepass`): it is in version control, in every copy of the file and in `docker inspect`; pass it from the environment (`--requirepass \"$${REDIS_PASSWORD:?REDIS_PASSWORD must be set}\"`)."))
