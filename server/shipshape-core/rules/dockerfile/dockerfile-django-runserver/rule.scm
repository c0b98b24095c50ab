;; priority = "high"
;; category = "reliability"
;; summary = "The image runs Django's development server (`manage.py runserver`)."
;; message = "The image serves the app with `runserver`, Django's development server: one process, not security-audited, no graceful worker management; serve it with gunicorn or uvicorn (`gunicorn config.wsgi`)."
;; docs = '''
;; ## What it finds
;; A `CMD` or `ENTRYPOINT` of the deployed stage (the last stage that is not a development
;; target) that runs `runserver` — `python manage.py runserver 0.0.0.0:8000`,
;; `django-admin runserver`, `python -m django runserver`, django-extensions'
;; `runserver_plus` — in exec form, shell form or inside `sh -c "..."`. Development
;; Dockerfiles (`Dockerfile.dev`, `.devcontainer/`) and development stages are not reported.
;;
;; ## Why it matters in production
;; Django's documentation is blunt: "DO NOT USE THIS SERVER IN A PRODUCTION SETTING. It has not
;; gone through security audits or performance tests." It serves one request at a time per
;; thread with no worker supervision, reloads on file changes, and `runserver_plus` adds the
;; Werkzeug debugger, which runs code for whoever reaches it.
;;
;; ## Example
;; ```dockerfile
;; CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
;; ```
;;
;; ## Fix
;; ```dockerfile
;; CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "config.wsgi"]
;; ```
;; No quick fix: the production server must be installed (add `gunicorn` to the requirements)
;; and pointed at the project's WSGI or ASGI module; static files need whitenoise or a web
;; server once `runserver` no longer serves them.
;;
;; ## References
;; - Django, "django-admin runserver": https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver
;; - Django, "How to deploy with WSGI": https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/
;; '''
; The deployed stage's `CMD`/`ENTRYPOINT` (the hook finds the `runserver` word).
([(cmd_instruction) (entrypoint_instruction)] @instruction
  (#docker-deployed-stage? @instruction)
  (#not-docker-development-file?))
