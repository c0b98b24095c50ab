;; priority = "medium"
;; category = "reliability"
;; summary = "An upload or request body read whole with no size check."
;; message = "The whole upload is read into memory with no size limit; check the size (or read in chunks up to a maximum) first."
;; docs = '''
;; ## What it finds
;; In a function, `file.read()` with no size argument on an `UploadFile` parameter,
;; `request.files[...].read()`, `await request.body()` or `request.get_data()`, when nothing
;; in the function checks a size (`size`, `content_length`, `len(...)`, a `MAX_...` limit).
;; The function must be a route handler or dependency, or live in a module that defines
;; routes: framework and library code reading a file for its caller is not reported.
;;
;; ## Why it matters in production
;; A single large request fills the worker's memory; a few concurrent ones get the container
;; killed by the OOM killer, taking every other request with it.
;;
;; ## Example
;; ```python
;; @app.post("/upload")
;; async def upload(file: UploadFile):
;;     data = await file.read()
;; ```
;;
;; ## Fix
;; ```python
;; MAX_UPLOAD_BYTES = 10 * 1024 * 1024
;;
;;
;; @app.post("/upload")
;; async def upload(file: UploadFile):
;;     data = await file.read(MAX_UPLOAD_BYTES + 1)
;;     if len(data) > MAX_UPLOAD_BYTES:
;;         raise HTTPException(status_code=413, detail="File too large")
;; ```
;; No quick fix: the limit and the error are the application's.
;;
;; ## References
;; - Starlette `UploadFile`: https://www.starlette.io/requests/#request-files
;; - Flask, `MAX_CONTENT_LENGTH`
;; '''
; The whole body or upload read with no argument in a function that serves
; requests — a route handler, a dependency of one (`Depends(name)`), or any
; function of a module defining routes (framework and library code reading
; files for its callers is not a service's upload handling) — whose code
; (signature and body, comments left out) never mentions a size: `size`,
; `content_length`, `max_`, `len(`. Not in tests. Each read appears twice:
; once for a request handler, once for a module with routes (a finding
; both report is reported once).

; `await file.read()` on a parameter annotated `UploadFile`.
((call
  function: (attribute
    object: (_) @object
    attribute: (identifier) @method (#eq? @method "read"))
  arguments: (argument_list) @arguments) @finding
  (#match? @arguments "^[(]\\s*[)]$")
  (#not-test-path?)
  (#request-handler! @finding "handler")
  (#parameter-annotated? @object "UploadFile")
  (#not-function-mentions? @finding "size" "content_length" "content-length" "max_" "len("))

((call
  function: (attribute
    object: (_) @object
    attribute: (identifier) @method (#eq? @method "read"))
  arguments: (argument_list) @arguments) @finding
  (#match? @arguments "^[(]\\s*[)]$")
  (#not-test-path?)
  (#has-ancestor? @finding "function_definition")
  (#defines-routes?)
  (#parameter-annotated? @object "UploadFile")
  (#not-function-mentions? @finding "size" "content_length" "content-length" "max_" "len("))

; Flask's `request.files["f"].read()`.
((call
  function: (attribute
    object: (_) @object (#match? @object "^request[.]files")
    attribute: (identifier) @method (#eq? @method "read"))
  arguments: (argument_list) @arguments) @finding
  (#match? @arguments "^[(]\\s*[)]$")
  (#not-test-path?)
  (#request-handler! @finding "handler")
  (#not-function-mentions? @finding "size" "content_length" "content-length" "max_" "len("))

((call
  function: (attribute
    object: (_) @object (#match? @object "^request[.]files")
    attribute: (identifier) @method (#eq? @method "read"))
  arguments: (argument_list) @arguments) @finding
  (#match? @arguments "^[(]\\s*[)]$")
  (#not-test-path?)
  (#has-ancestor? @finding "function_definition")
  (#defines-routes?)
  (#not-function-mentions? @finding "size" "content_length" "content-length" "max_" "len("))

; `await request.body()` (Starlette), `request.get_data()` (Flask).
((call
  function: (attribute
    object: (_) @object (#eq? @object "request")
    attribute: (identifier) @method (#any-of? @method "body" "get_data"))
  arguments: (argument_list) @arguments) @finding
  (#match? @arguments "^[(]\\s*[)]$")
  (#not-test-path?)
  (#request-handler! @finding "handler")
  (#not-function-mentions? @finding "size" "content_length" "content-length" "max_" "len("))

((call
  function: (attribute
    object: (_) @object (#eq? @object "request")
    attribute: (identifier) @method (#any-of? @method "body" "get_data"))
  arguments: (argument_list) @arguments) @finding
  (#match? @arguments "^[(]\\s*[)]$")
  (#not-test-path?)
  (#has-ancestor? @finding "function_definition")
  (#defines-routes?)
  (#not-function-mentions? @finding "size" "content_length" "content-length" "max_" "len("))
