;; priority = "high"
;; category = "security"
;; summary = "A web app with routes and no authentication anywhere in the project."
;; message = "${subject} but nothing in the project authenticates requests (no `OAuth2PasswordBearer`/`HTTPBearer`/`APIKeyHeader` dependency, no `login_required`, no permission classes, no token verification)."
;; docs = """
;; ## What it finds
;; A web app with at least one route, in a project with no sign of authentication: no FastAPI
;; security dependency (`OAuth2PasswordBearer`, `HTTPBearer`, `APIKeyHeader`, `Security(...)`), no
;; `get_current_user`-style dependency, no Flask-Login/JWT extension, no Django `login_required`
;; or DRF permission classes, no JWT library in use, no authentication middleware and no route
;; that requires authentication.
;;
;; The app gets one finding, and so does each route that changes data (`POST`, `PUT`, `PATCH`,
;; `DELETE`, a Flask route whose `methods=` include one), anchored on its decorator, so the
;; editor marks the open doors where they are written. Routes meant to be public are left
;; alone: login, signup, tokens, password resets, OAuth callbacks, webhooks, health checks,
;; documentation and metrics. All of them are one cause, so the readiness report deducts
;; the rule once, however many routes it names. A project that authenticates somewhere is
;; left to `route-without-authentication`.
;;
;; ## Why it matters in production
;; Every route is public: anyone who finds the URL can read and change data, and pay for the
;; expensive calls behind it.
;;
;; ## Example
;; ```python
;; app = FastAPI()
;;
;; @app.delete("/notes/{note_id}")
;; def delete_note(note_id: int): ...
;; ```
;;
;; ## Fix
;; ```python
;; api_key_header = APIKeyHeader(name="X-API-Key")
;;
;; def require_api_key(key: str = Security(api_key_header)) -> None:
;;     if not secrets.compare_digest(key, settings.api_key):
;;         raise HTTPException(status_code=401)
;;
;; app = FastAPI(dependencies=[Depends(require_api_key)])
;; ```
;; No quick fix: who may call what is a design decision. A service that is only reachable behind
;; an authenticating proxy should say so in a suppression comment.
;;
;; ## References
;; - OWASP API Security Top 10, API2:2023 Broken Authentication
;; - FastAPI, "Security": https://fastapi.tiangolo.com/tutorial/security/
;; """
