;; priority = "critical"
;; category = "security"
;; summary = "CORS allows every origin, so any website can call the API with a user's browser."
;; message = "CORS allows every origin; list the allowed origins instead."
;; docs = '''
;; ## What it finds
;; CORS configured to accept requests from every origin:
;; - Starlette/FastAPI `CORSMiddleware` with `allow_origins=["*"]` (also `"*"` alone, or
;;   through a module-level constant such as `origins = ["*"]`);
;; - `allow_origin_regex` that matches everything (`.*`, `^https?://.*$`);
;; - flask-cors `CORS(app)` / `@cross_origin()` with no origins (its default is `*`) or with
;;   `origins="*"` (also inside `resources={...: {"origins": "*"}}`); a module that sets
;;   `CORS_ORIGINS` in the app config is left alone;
;; - Django `CORS_ALLOW_ALL_ORIGINS = True` / `CORS_ORIGIN_ALLOW_ALL = True` at module level
;;   of a settings module that is not for development (`dev.py`, `local.py`, `test.py`, ...)
;;   nor a base settings module such as `base.py` or `common.py`
;;   (`django-base-setting-not-overridden` reports the value there when production keeps it).
;;
;; `allow_origins=settings.X`, whose value is defined in another module, is judged by the
;; project rule `setting-default-insecure` (a settings default of `["*"]`).
;;
;; ## Why it matters in production
;; With every origin allowed, any website a user visits can call the API from the user's
;; browser and read the answers. With cookies or other ambient credentials that is
;; cross-site request forgery with the responses readable; even without them, it removes the
;; browser's protection for an internal or IP-restricted API.
;;
;; ## Example
;; ```python
;; app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"])
;; ```
;;
;; ## Fix
;; ```python
;; import os
;;
;; app.add_middleware(
;;     CORSMiddleware,
;;     allow_origins=[origin for origin in os.environ.get("ALLOWED_ORIGINS", "").split(",") if origin],
;;     allow_methods=["*"],
;; )
;; ```
;; The quick fix reads the origins from a comma-separated `ALLOWED_ORIGINS` environment
;; variable (adding `import os`); for Django it writes `CORS_ALLOWED_ORIGINS` in place of the
;; allow-all flag. It is **unsafe**: until `ALLOWED_ORIGINS` is set, browsers on other origins
;; are refused, which is the point but must be deployed knowingly. A wildcard
;; `allow_origin_regex` gets no fix: only you know which domains it should match.
;;
;; ## References
;; - Starlette, "CORSMiddleware": https://www.starlette.io/middleware/#corsmiddleware
;; - flask-cors configuration: https://flask-cors.readthedocs.io/en/latest/configuration.html
;; - django-cors-headers settings: https://github.com/adamchainz/django-cors-headers#configuration
;; - OWASP, "CORS origin header scrutiny"
;; '''
;;
;; [fix]
;; title = "Read allowed origins from ALLOWED_ORIGINS"
;; safe = false
;; imports = ["os"]
(keyword_argument
  name: (identifier) @key (#any-of? @key "allow_origins" "allow_origin_regex")
  value: (_) @value) @finding

(call
  function: [(identifier) (attribute)] @function
  (#match? @function "(^|[.])(CORS|cross_origin)$")) @call

; Django (django-cors-headers), in settings that are not for development (as for
; `debug-enabled`).
; (At the top level: `#top-level?`, not a pattern rooted at `module`, whose walk reaches every
; top-level statement at every keystroke.)
((expression_statement
    (assignment
      left: (identifier) @setting (#any-of? @setting "CORS_ALLOW_ALL_ORIGINS" "CORS_ORIGIN_ALLOW_ALL")
      right: (true))) @statement
  (#top-level? @statement)
  (#django-settings-module?))
