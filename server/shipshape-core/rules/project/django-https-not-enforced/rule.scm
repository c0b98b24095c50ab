;; priority = "medium"
;; category = "security"
;; summary = "Django production settings neither redirect HTTP to HTTPS nor set HSTS."
;; message = "The production settings `${module}` do not keep browsers on HTTPS: ${problems}."
;; docs = '''
;; ## What it finds
;; `SECURE_SSL_REDIRECT` off or not set, or `SECURE_HSTS_SECONDS` zero or not set, in the
;; settings production runs (Django's deployment checks W008 and W004). One finding per
;; settings module, naming what is missing.
;;
;; Production settings and settings packages are read as for `django-cookies-not-secure`: the
;; module a `DJANGO_SETTINGS_MODULE` names (Dockerfile, compose, `wsgi.py`, `asgi.py`,
;; `manage.py`) or a settings module named `production`/`prod`/`live`, with what it
;; star-imports (`from .base import *`) and its own overrides; development modules never are.
;; A value read from the environment counts by its default; a value set under a condition
;; (`if not DEBUG:`) counts as set.
;;
;; ## Why it matters in production
;; Without the redirect, `http://` requests are served over plain HTTP; without HSTS, the
;; browser tries `http://` first every time, so an attacker on the network can keep a user on
;; plain HTTP (SSL stripping) and read or change everything.
;;
;; ## Example
;; ```python
;; # config/settings/production.py
;; from .base import *
;;
;; DEBUG = False
;; ```
;;
;; ## Fix
;; ```python
;; from .base import *
;;
;; DEBUG = False
;; SECURE_SSL_REDIRECT = True
;; SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # behind a TLS proxy
;; SECURE_HSTS_SECONDS = 3600  # raise it once HTTPS works everywhere
;; ```
;; No quick fix: behind a proxy that terminates TLS the redirect loops unless
;; `SECURE_PROXY_SSL_HEADER` says which header to trust, and HSTS cannot be taken back before
;; it expires. If the proxy or platform already redirects and sends HSTS, say so with
;; `# shipshape: ignore[django-https-not-enforced]`.
;;
;; ## References
;; - Django, "Security in Django", SSL/HTTPS: https://docs.djangoproject.com/en/stable/topics/security/#ssl-https
;; - Django system checks, security.W004 and W008: https://docs.djangoproject.com/en/stable/ref/checks/#security
;; - MDN, "Strict-Transport-Security"
;; '''
