;; priority = "high"
;; category = "security"
;; summary = "Credentials are allowed together with a wildcard origin."
;; message = "`${key}=True` with a wildcard origin: browsers refuse credentialed requests to `*` (or every origin gets them, with a regex); list the origins explicitly."
;; docs = '''
;; ## What it finds
;; `allow_credentials=True` (Starlette/FastAPI) or `supports_credentials=True` (flask-cors)
;; in a CORS configuration whose origins are a wildcard (`"*"`, a constant holding it, an
;; everything-regex, or flask-cors' default).
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
