;; priority = "high"
;; category = "security"
;; summary = "Credentials are allowed together with a wildcard origin."
;; message = "`${key}=True` with a wildcard origin: browsers refuse credentialed requests to `*` (or every origin gets them, with a regex); list the origins explicitly."
;; docs = '''
;; ## What it finds
;; `allow_credentials=True` (Starlette/FastAPI) or `supports_credentials=True` (flask-cors)
;; in a CORS configuration whose origins are a wildcard (`"*"`, a constant holding it, an
;; everything-regex, or flask-cors' default); and Django's `CORS_ALLOW_CREDENTIALS = True`
;; (django-cors-headers) in settings that also set `CORS_ALLOW_ALL_ORIGINS = True` (or the
;; old `CORS_ORIGIN_ALLOW_ALL`), outside development settings. django-cors-headers then
;; answers every origin with that origin and `Access-Control-Allow-Credentials: true`.
;;
;; ## Why it matters in production
;; The CORS specification forbids `Access-Control-Allow-Origin: *` on credentialed requests,
;; so browsers reject them: the frontend's cookie or `Authorization` calls fail in production.
;; Worse, some middlewares answer by echoing the request's `Origin` instead, and then every
;; website may make credentialed calls and read the answers.
;;
;; ## Example
;; ```python
;; app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
;; ```
;;
;; ## Fix
;; ```python
;; app.add_middleware(CORSMiddleware, allow_origins=settings.allowed_origins, allow_credentials=True)
;; ```
;; No quick fix: decide whether the API needs credentials at all; if it does, list the
;; origins (see `cors-wildcard-origin`, whose fix does that).
;;
;; ## References
;; - MDN, "Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’"
;; - Starlette, "CORSMiddleware": https://www.starlette.io/middleware/#corsmiddleware
;; '''
; `allow_credentials=True` (Starlette, FastAPI) or `supports_credentials=True`
; (flask-cors) in a call that allows every origin, outside tests.
((call
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @key (#any-of? @key "allow_credentials" "supports_credentials")
      value: (true)) @finding)) @call
  (#not-test-path?)
  (#allows-every-origin? @call))

; django-cors-headers: `CORS_ALLOW_CREDENTIALS = True` in settings that allow every origin.
((expression_statement
    (assignment
      left: (identifier) @key (#eq? @key "CORS_ALLOW_CREDENTIALS")
      right: (true)) @finding) @statement
  (#not-has-ancestor? @statement "function_definition" "class_definition")
  (#module-constant-matches? "CORS_ALLOW_ALL_ORIGINS" "^True$")
  (#django-settings-module?)
  (#not-test-path?)
  (#set! message "`CORS_ALLOW_CREDENTIALS = True` with `CORS_ALLOW_ALL_ORIGINS = True`: django-cors-headers then echoes every origin back with credentials allowed, so any website can call the API with the user's cookies and read the answers; list the origins in `CORS_ALLOWED_ORIGINS`."))

((expression_statement
    (assignment
      left: (identifier) @key (#eq? @key "CORS_ALLOW_CREDENTIALS")
      right: (true)) @finding) @statement
  (#not-has-ancestor? @statement "function_definition" "class_definition")
  (#module-constant-matches? "CORS_ORIGIN_ALLOW_ALL" "^True$")
  (#django-settings-module?)
  (#not-test-path?)
  (#set! message "`CORS_ALLOW_CREDENTIALS = True` with `CORS_ORIGIN_ALLOW_ALL = True`: django-cors-headers then echoes every origin back with credentials allowed, so any website can call the API with the user's cookies and read the answers; list the origins in `CORS_ALLOWED_ORIGINS`."))
