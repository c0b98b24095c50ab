;; priority = "critical"
;; category = "security"
;; summary = "A web app with no rate limiter anywhere in the project."
;; message = "This ${framework} app has no rate limiting anywhere in the project: one client can exhaust workers, the database or a paid API. Add a limiter (slowapi, fastapi-limiter, flask-limiter, django-ratelimit, DRF throttling) or document the one in front of the app."
;; docs = """
;; ## What it finds
;; A FastAPI, Starlette, Flask or Django app (reported on the line that creates it) in a project
;; where nothing limits request rates: no slowapi, fastapi-limiter, flask-limiter or
;; django-ratelimit import or dependency, no DRF `DEFAULT_THROTTLE_CLASSES`, no limiter middleware.
;;
;; ## Why it matters in production
;; Without a limit, one client (a buggy retry loop, a scraper, an attacker) can use every worker,
;; exhaust the database pool and run up the bill of every paid API the handlers call. Reviews
;; mark it critical because the failure is total and cheap to cause.
;;
;; ## Example
;; ```python
;; app = FastAPI()
;;
;; @app.post("/chat")
;; async def chat(message: Message): ...
;; ```
;;
;; ## Fix
;; ```python
;; from slowapi import Limiter, _rate_limit_exceeded_handler
;; from slowapi.errors import RateLimitExceeded
;; from slowapi.util import get_remote_address
;;
;; limiter = Limiter(key_func=get_remote_address, default_limits=["60/minute"])
;; app = FastAPI()
;; app.state.limiter = limiter
;; app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
;; ```
;; There is no quick fix: the limits and the key (client IP, API key, user) are a product decision.
;; When a gateway or CDN limits rates in front of the app, suppress the finding with a reason.
;;
;; ## References
;; - OWASP API Security Top 10, API4:2023 Unrestricted Resource Consumption
;; - slowapi: https://slowapi.readthedocs.io/
;; """
