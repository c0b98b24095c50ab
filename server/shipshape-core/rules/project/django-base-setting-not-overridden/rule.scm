;; priority = "high"
;; category = "security"
;; summary = "Django production settings inherit a development value from the base settings."
;; message = "The production settings `${module}` inherit development values from the base settings and do not override them: ${problems}."
;; docs = '''
;; ## What it finds
;; A base settings module (`base.py`, `common.py`, `defaults.py`, `default.py`, `shared.py`,
;; `core.py`: the part the environment modules star-import and override) that sets `DEBUG` on, `ALLOWED_HOSTS` with `"*"`, or
;; `CORS_ALLOW_ALL_ORIGINS`/`CORS_ORIGIN_ALLOW_ALL` on, when a production settings module
;; star-imports it (`from .base import *`, also through other modules) and does not set the
;; value again. One finding per production module, on its first statement, with the base
;; module's lines as related places.
;;
;; Production settings are the modules a `DJANGO_SETTINGS_MODULE` names (Dockerfile, compose,
;; `wsgi.py`, `asgi.py`, `manage.py`) and the settings modules named `production`, `prod` or
;; `live`. The base module alone is not reported by `debug-enabled`,
;; `django-allowed-hosts-wildcard` or `cors-wildcard-origin`: development values there are
;; fine as long as production overrides them. A value read from the environment counts by its
;; default.
;;
;; ## Why it matters in production
;; With settings split by environment, production is the base plus its overrides: a
;; development value that production forgets to override is a production value. `DEBUG` on
;; shows tracebacks and settings to anyone; any host lets forged `Host` headers into password
;; reset links; CORS for every origin lets any website read the API's answers.
;;
;; ## Example
;; ```python
;; # config/settings/base.py
;; DEBUG = True
;;
;; # config/settings/production.py
;; from .base import *
;;
;; SECURE_SSL_REDIRECT = True
;; ```
;;
;; ## Fix
;; ```python
;; # config/settings/production.py
;; from .base import *
;;
;; DEBUG = False
;; SECURE_SSL_REDIRECT = True
;; ```
;; Or move the development value into the development module and keep the safe one in the
;; base. No quick fix: which hosts and origins production serves is yours to say.
;;
;; ## References
;; - Django, "Deployment checklist": https://docs.djangoproject.com/en/stable/howto/deployment/checklist/
;; - Django system checks, security.W018 and W020: https://docs.djangoproject.com/en/stable/ref/checks/#security
;; '''
