;; priority = "high"
;; category = "reliability"
;; summary = "A `Procfile` process runs Django's development server (`manage.py runserver`)."
;; message = "The `${process}` process serves the app with `runserver`, Django's development server: one process, not security-audited, no graceful worker management; serve it with gunicorn (`web: gunicorn config.wsgi`)."
;; docs = '''
;; ## What it finds
;; A process of the project's `Procfile` (Heroku, Dokku, Render, Scalingo, ...) whose command
;; runs `runserver` (`web: python manage.py runserver 0.0.0.0:$PORT`, `django-admin
;; runserver`, django-extensions' `runserver_plus`), also inside `sh -c "..."` or after
;; `migrate &&`. Any process type counts (`web`, `worker`, `release`): `runserver` is a web
;; server wherever it runs. Processes that run something else (`release: python manage.py
;; migrate`, `worker: celery -A config worker`) are not judged. A process type written twice
;; counts once, as its last line, which is the one the platform runs (`web: python manage.py
;; runserver` followed by `web: gunicorn config.wsgi` runs gunicorn). Only the file named `Procfile`
;; is read: `Procfile.dev` and `Procfile.windows` list the processes of a developer's machine
;; (`heroku local -f Procfile.windows`, foreman, honcho).
;;
;; ## Why it matters in production
;; The platform starts the `Procfile`'s processes as they are written. Django's development
;; server "has not gone through security audits or performance tests": one process, no worker
;; supervision, code reloading, and `runserver_plus` adds the Werkzeug debugger, which runs
;; code for whoever reaches it.
;;
;; ## Example
;; ```
;; web: python manage.py runserver 0.0.0.0:$PORT
;; ```
;;
;; ## Fix
;; ```
;; release: python manage.py migrate --no-input
;; web: gunicorn config.wsgi --bind 0.0.0.0:$PORT
;; ```
;; Keep `runserver` in a `Procfile.dev` for local runs. No quick fix: the production server
;; must be installed and pointed at the project's WSGI or ASGI module.
;;
;; ## References
;; - Django, "django-admin runserver": https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver
;; - Heroku Dev Center, "The Procfile": https://devcenter.heroku.com/articles/procfile
;; '''
