;; priority = "low"
;; category = "documentation"
;; summary = "An API whose routes have no version prefix."
;; message = "None of this ${framework} app's ${count} public routes has a version prefix (${examples}): the first incompatible change to a request or response breaks every client at once. Mount the routers under `/v1` (or `/api/v1`) while the API is young."
;; docs = '''
;; ## What it finds
;; A FastAPI, Starlette or Flask app whose served routes — full paths, with router and
;; blueprint prefixes — all lack a version segment (`/v1/...`, `/api/v2/...`). Left out of the
;; count: health and readiness routes, `/docs`, `/redoc`, `/openapi.json`, `/metrics`,
;; `/static`, `/favicon.ico` and `/robots.txt`. The finding points at the app.
;;
;; Not reported:
;; - an app where any public route is versioned (one versioned router says the team has
;;   chosen its scheme);
;; - an app that serves pages (Jinja2 templates, `render_template`, `TemplateResponse`,
;;   `HTMLResponse` routes, static files with `html=True`, a mounted Gradio or NiceGUI UI):
;;   browsers follow links, they do not pin API versions; Django projects are left out for the same reason;
;; - an app whose paths are not all known (a prefix read from settings, an include the model
;;   cannot resolve): `prefix=settings.API_V1_STR` usually is the version.
;;
;; ## Why it matters in production
;; A mobile app, a partner's integration or last week's frontend bundle keeps calling the
;; paths it was built against. With `/v1` in the path, a breaking change ships as `/v2` next to
;; it and the old clients keep working until they move; without it, every breaking change is
;; a coordinated release of every client, or an outage. The reviewers rate it medium for a
;; public API and low for a young service with one client, which is the priority here.
;;
;; ## Example
;; ```python
;; app = FastAPI(title="Companion")
;; app.include_router(chat.router, prefix="/chat")
;; ```
;;
;; ## Fix
;; ```python
;; app = FastAPI(title="Companion")
;; app.include_router(chat.router, prefix="/api/v1/chat")
;; ```
;; No quick fix: moving the paths breaks today's clients unless the old ones stay served for a
;; while.
;;
;; ## References
;; - Microsoft REST API Guidelines, "Versioning": https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#api-versioning
;; - FastAPI docs, "Bigger Applications" (router prefixes): https://fastapi.tiangolo.com/tutorial/bigger-applications/
;; '''
