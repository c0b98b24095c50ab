;; priority = "medium"
;; category = "reliability"
;; summary = "A FastAPI/Starlette app with no handler for unexpected exceptions."
;; message = "This ${framework} app has no handler for `Exception` (or 500): an unexpected error returns a bare `Internal Server Error` and is logged without request context. Register one with `@app.exception_handler(Exception)`."
;; docs = """
;; ## What it finds
;; A FastAPI or Starlette app in a project with no `@app.exception_handler(Exception)`,
;; `add_exception_handler(Exception | 500, ...)`, `exception_handlers={Exception: ...}` or HTTP
;; middleware that catches `Exception`.
;;
;; ## Why it matters in production
;; Unhandled errors then answer with plain text that clients cannot parse, and what gets logged is
;; whatever the server prints: no request id, no route, no structured fields to alert on.
;;
;; ## Example
;; ```python
;; app = FastAPI()
;; ```
;;
;; ## Fix
;; ```python
;; @app.exception_handler(Exception)
;; async def unhandled(request: Request, error: Exception) -> JSONResponse:
;;     logger.exception("unhandled error on %s", request.url.path)
;;     return JSONResponse({"detail": "internal error"}, status_code=500)
;; ```
;; No quick fix: the response format is the API's.
;;
;; ## References
;; - FastAPI, "Handling Errors": https://fastapi.tiangolo.com/tutorial/handling-errors/
;; """
