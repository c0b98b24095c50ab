;; priority = "high"
;; category = "security"
;; summary = "An API that a browser app on another origin calls, with no CORS configuration."
;; message = "This ${framework} app is called from a browser app on another origin (${evidence}) but configures no CORS: browsers block its responses to that app's `fetch` calls (every call with a JSON body or an `Authorization` header is preflighted and refused). Add a CORS middleware that allows the frontend's origins, read from settings."
;; docs = """
;; ## What it finds
;; A web app with no CORS configuration anywhere in the project (no `CORSMiddleware` from
;; FastAPI or Starlette, Flask-CORS, Quart-CORS, `django-cors-headers`, aiohttp-cors, nor an
;; `Access-Control-Allow-Origin` header set by hand) in a project that shows a browser app
;; served from another origin:
;; - a frontend's development server origin written in code (`http://localhost:3000`,
;;   `:3001`, `:4200`, `:5173`, `:5174`), outside tests;
;; - a setting or environment variable that names the frontend's origin: `FRONTEND_URL`,
;;   `FRONTEND_HOST`, `WEBAPP_URL`, `CORS_ORIGINS`, `ALLOWED_ORIGINS`, `CLIENT_ORIGIN`,
;;   `BACKEND_CORS_ORIGINS` (any prefix), read in code, declared in a settings class or listed
;;   in a `.env` file.
;;
;; Not reported: an app that serves its own pages (templates, static files, a mounted Gradio
;; or SPA build) or uses cookies and sessions without any sign of another origin — the browser
;; calls it from its own origin, where CORS does not apply, and opening CORS there only widens
;; what other sites may do with a visitor's session.
;;
;; ## Why it matters in production
;; A browser runs the frontend's JavaScript under the frontend's origin
;; (`https://app.example.com`); a call to the API's origin (`https://api.example.com`) is
;; cross-origin. Unless the API answers with `Access-Control-Allow-Origin` (and answers the
;; `OPTIONS` preflight that every JSON `POST` and every call with an `Authorization` header
;; triggers), the browser hides the response from the page: the frontend works against a
;; development proxy and breaks the day it is deployed. The fix is an allow-list of exact
;; origins from configuration — not `*`, which `cors-wildcard-origin` reports.
;;
;; ## Example
;; ```python
;; class Settings(BaseSettings):
;;     frontend_url: str = "http://localhost:5173"
;;
;; app = FastAPI()
;; ```
;;
;; ## Fix
;; ```python
;; from fastapi.middleware.cors import CORSMiddleware
;;
;; app = FastAPI()
;; app.add_middleware(
;;     CORSMiddleware,
;;     allow_origins=[settings.frontend_url],
;;     allow_methods=["GET", "POST"],
;;     allow_headers=["Authorization", "Content-Type"],
;; )
;; ```
;; If a proxy in front of the app (nginx, a CDN, an API gateway) sets the CORS headers, say so
;; with `# shipshape: ignore[cors-not-configured]` on the app. There is no quick fix: the
;; allowed origins are yours to decide.
;;
;; ## References
;; - MDN, "Cross-Origin Resource Sharing (CORS)": https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS
;; - FastAPI docs, "CORS (Cross-Origin Resource Sharing)": https://fastapi.tiangolo.com/tutorial/cors/
;; - Flask-CORS: https://flask-cors.readthedocs.io/
;; - django-cors-headers: https://github.com/adamchainz/django-cors-headers
;; """
