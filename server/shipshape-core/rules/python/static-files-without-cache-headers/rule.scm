;; priority = "low"
;; category = "performance"
;; summary = "Static files served by the app with no Cache-Control header."
;; message = "These static files are served without a `Cache-Control` header: browsers revalidate every asset on every page load. Serve them from a CDN or the proxy, or set cache headers (a `StaticFiles` subclass or middleware)."
;; docs = '''
;; ## What it finds
;; Starlette's or FastAPI's `StaticFiles` mounted on the app or a router
;; (`app.mount("/static", StaticFiles(directory="static"))`). A subclass (for example one
;; that sets `Cache-Control` in `file_response`) is not reported.
;;
;; ## Why it matters in production
;; `StaticFiles` sends `ETag` and `Last-Modified` but no `Cache-Control`, so browsers and
;; CDNs treat the files as immediately stale: every page load asks the app again for every
;; script, stylesheet and image, each a conditional request through the Python worker
;; pool. Fingerprinted assets (`app.3f2a1c.js`) can be cached for a year.
;;
;; ## Example
;; ```python
;; app.mount("/static", StaticFiles(directory="static"), name="static")
;; ```
;;
;; ## Fix
;; ```python
;; class CachedStaticFiles(StaticFiles):
;;     def file_response(self, *args, **kwargs):
;;         response = super().file_response(*args, **kwargs)
;;         response.headers.setdefault("Cache-Control", "public, max-age=31536000, immutable")
;;         return response
;;
;; app.mount("/static", CachedStaticFiles(directory="static"), name="static")
;; ```
;; Use a long `max-age` only for fingerprinted file names; otherwise a short one
;; (`max-age=3600`). Better still, let the reverse proxy or a CDN serve them. There is no
;; quick fix.
;;
;; ## References
;; - Starlette docs, "Static Files": https://www.starlette.io/staticfiles/
;; - MDN, "Cache-Control": https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Cache-Control
;; '''
(call
  function: (attribute attribute: (identifier) @method (#eq? @method "mount"))
  arguments: (argument_list
    (call function: (_) @class) @finding)
  (#resolves-to? @class "starlette.staticfiles.StaticFiles" "fastapi.staticfiles.StaticFiles")
  (#not-test-path?))
