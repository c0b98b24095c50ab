;; priority = "high"
;; category = "security"
;; summary = "Django production settings send the session or CSRF cookie over plain HTTP."
;; message = "The production settings `${module}` let the browser send the session or CSRF cookie over plain HTTP: ${problems}. Set them to `True`."
;; docs = '''
;; ## What it finds
;; `SESSION_COOKIE_SECURE` or `CSRF_COOKIE_SECURE` off or not set (Django's default is off)
;; in the settings production runs (Django's deployment checks W012 and W016). One finding per
;; settings module.
;;
;; A settings package is read as one configuration: a module's own top-level assignments
;; override what it star-imports (`from .base import *`), so a value set in `base.py` and
;; overridden in `production.py` is judged by production's value. Production settings are the
;; modules a `DJANGO_SETTINGS_MODULE` names — a Dockerfile `ENV`, a compose service's
;; `environment`, `os.environ.setdefault(...)` in `wsgi.py`, `asgi.py` or `manage.py` — and the
;; settings modules named `production`, `prod` or `live`; development modules (`dev`,
;; `local`, `test`, `ci`, ...) never are. A value read from the environment counts by its
;; default (`env.bool("X", default=True)` is on); a value set under a condition counts as set.
;;
;; ## Why it matters in production
;; A cookie without the `Secure` flag is also sent over plain HTTP: one request to
;; `http://` (a link, a typed address, a downgrade on public Wi-Fi) hands the session cookie
;; to anyone on the network, and with it the user's session.
;;
;; ## Example
;; ```python
;; # config/settings/production.py
;; from .base import *
;;
;; SESSION_COOKIE_SECURE = False
;; ```
;;
;; ## Fix
;; ```python
;; from .base import *
;;
;; SESSION_COOKIE_SECURE = True
;; CSRF_COOKIE_SECURE = True
;; ```
;; The quick fix changes a literal `False` to `True` in the production module, and adds the
;; settings it lacks at its end. It is safe: a production site is served over HTTPS, where a
;; secure cookie changes nothing but who can read it. A value read from the environment with
;; an off default gets no fix: change its default.
;;
;; ## References
;; - Django, "Deployment checklist", HTTPS: https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#https
;; - Django settings, `SESSION_COOKIE_SECURE`: https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure
;; - Django system checks, security.W012 and W016: https://docs.djangoproject.com/en/stable/ref/checks/#security
;; '''
;;
;; [fix]
;; title = "Send the session and CSRF cookies over HTTPS only"
;; safe = true
