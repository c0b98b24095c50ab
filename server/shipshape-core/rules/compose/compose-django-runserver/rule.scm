;; priority = "high"
;; category = "reliability"
;; summary = "A service runs Django's development server (`manage.py runserver`)."
;; message = "Service `${service}` serves the app with `runserver`, Django's development server: one process, not security-audited, no worker management; run gunicorn or uvicorn outside development."
;; docs = '''
;; ## What it finds
;; A service whose `command` or `entrypoint` runs `runserver` (`python manage.py runserver
;; 0.0.0.0:8000`, `django-admin runserver`, django-extensions' `runserver_plus`), as a string
;; (also inside `sh -c "..."`) or a list. Development files (`compose.override.yaml`,
;; `docker-compose.dev.yml`, ...), services with a `develop:` section and services that
;; bind-mount the project folder or their own build context (`- .:/app`, `build: ./backend`
;; with `- ./backend:/app`: the container runs the working copy, a development setup) are not
;; reported.
;;
;; ## Why it matters in production
;; Django's development server "has not gone through security audits or performance tests":
;; no worker supervision, one process, code reloading; `runserver_plus` adds the Werkzeug
;; debugger, which runs code for whoever reaches it. A compose file used to deploy should run
;; the production server.
;;
;; ## Example
;; ```yaml
;; services:
;;   web:
;;     build: .
;;     command: python manage.py runserver 0.0.0.0:8000
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   web:
;;     build: .
;;     command: gunicorn --bind 0.0.0.0:8000 config.wsgi
;; ```
;; Keep `runserver` in `compose.override.yaml` for development. No quick fix: the production
;; server must be installed and pointed at the project's WSGI or ASGI module.
;;
;; ## References
;; - Django, "django-admin runserver": https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver
;; - Docker docs, "Merge Compose files" (override files)
;; '''
; `command: python manage.py runserver ...` as a string.
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#not-compose-has? @key "develop")
  (#not-compose-override-path?)
  (#not-compose-mounts-project? @key)
  (#compose-scalar-matches? @key "command" "(^|[\\s'\"])runserver(_plus)?([\\s'\";&|]|$)")
  (#compose-value! @key "command" "finding"))

(_
  key: (_) @key
  (#compose-service! @key "service")
  (#not-compose-has? @key "develop")
  (#not-compose-override-path?)
  (#not-compose-mounts-project? @key)
  (#compose-scalar-matches? @key "entrypoint" "(^|[\\s'\"])runserver(_plus)?([\\s'\";&|]|$)")
  (#compose-value! @key "entrypoint" "finding"))

; ... or as an item of a list: `command: ["python", "manage.py", "runserver"]`, or inside
; `["sh", "-c", "... runserver ..."]`.
((_) @finding
  (#compose-item-of! @finding "command" "service")
  (#match? @finding "^[\"']?([^\"']*\\s)?runserver(_plus)?([\\s;&|][^\"']*)?[\"']?$")
  (#not-compose-mounts-project? @finding)
  (#not-compose-override-path?))

((_) @finding
  (#compose-item-of! @finding "entrypoint" "service")
  (#match? @finding "^[\"']?([^\"']*\\s)?runserver(_plus)?([\\s;&|][^\"']*)?[\"']?$")
  (#not-compose-mounts-project? @finding)
  (#not-compose-override-path?))
