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
(call
  function: (attribute
    object: (_) @object
    attribute: (identifier) @method (#any-of? @method "read" "body" "get_data"))
  arguments: (argument_list)) @finding
