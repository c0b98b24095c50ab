;; priority = "medium"
;; category = "security"
;; summary = "A web app that sets none of the security headers (CSP, HSTS, X-Frame-Options, X-Content-Type-Options)."
;; message = "This ${framework} app sets none of the security headers (`Content-Security-Policy`, `Strict-Transport-Security`, `X-Frame-Options`, `X-Content-Type-Options`). Add them in a middleware (or `secure`, Flask-Talisman, Django's `SecurityMiddleware`)."
;; docs = """
;; ## What it finds
;; A web app in a project where nothing sets security headers: no `secure` or Flask-Talisman, no
;; Django `SecurityMiddleware`, and no code that names one of the headers.
;;
;; ## Why it matters in production
;; The headers tell browsers to refuse framing (clickjacking), sniffing of content types, plain
;; HTTP and injected scripts. They cost one middleware.
;;
;; ## Example
;; ```python
;; app = FastAPI()
;; ```
;;
;; ## Fix
;; ```python
;; @app.middleware("http")
;; async def security_headers(request: Request, call_next):
;;     response = await call_next(request)
;;     response.headers["X-Content-Type-Options"] = "nosniff"
;;     response.headers["X-Frame-Options"] = "DENY"
;;     response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
;;     return response
;; ```
;; No quick fix: a Content-Security-Policy must fit the app. When a proxy adds the headers,
;; suppress the finding with a reason.
;;
;; ## References
;; - OWASP Secure Headers Project
;; """
