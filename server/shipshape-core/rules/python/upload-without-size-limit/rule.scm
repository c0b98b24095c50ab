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
; requests (`#serves-requests?`: a route handler, a dependency of one
; (`Depends(name)`), or any function of a module defining routes —
; framework and library code reading files for its callers is not a
; service's upload handling) whose code (signature and body, comments left
; out) never mentions a size: `size`, `content_length`, `max_`, `len(`.
; Not in tests.

; `await file.read()` on a parameter annotated `UploadFile`.
((call
  function: (attribute
    object: (_) @object
    attribute: (identifier) @method (#eq? @method "read"))
  arguments: (argument_list) @arguments) @finding
  (#match? @arguments "^[(]\\s*[)]$")
  (#not-test-path?)
  (#serves-requests? @finding)
  (#parameter-annotated? @object "UploadFile")
  (#not-function-mentions? @finding "size" "content_length" "content-length" "max_" "len("))

; Flask's `request.files["f"].read()`, `request.get_data()`; Starlette's
; `await request.body()`.
((call
  function: (attribute) @function
  arguments: (argument_list) @arguments) @finding
  (#match? @function "^(request[.]files([.\\[].*)?[.]read|request[.](body|get_data))$")
  (#match? @arguments "^[(]\\s*[)]$")
  (#not-test-path?)
  (#serves-requests? @finding)
  (#not-function-mentions? @finding "size" "content_length" "content-length" "max_" "len("))
