;; priority = "medium"
;; category = "security"
;; summary = "Exception details are sent to the client."
;; message = "This sends exception details (messages, tracebacks) to the client; return a generic message and log the exception."
;; docs = '''
;; ## What it finds
;; The text of a caught exception (`str(e)`, `repr(e)`, `e`, `f"...{e}"`, `e.args`) or
;; `traceback.format_exc()` placed in what the client receives: `HTTPException(detail=...)`,
;; `JSONResponse(...)`, `jsonify(...)`, `abort(500, ...)`, Django `JsonResponse`/`HttpResponse`,
;; or `return {...}` in a route handler.
;;
;; The same in exception handlers, where the exception is the handler's parameter:
;; `@app.exception_handler(Exception)` (FastAPI, Starlette), `@app.errorhandler(...)` (Flask),
;; or a function registered with `add_exception_handler(...)`, `register_error_handler(...)` or
;; `exception_handlers={...}`.
;;
;; An exception of a specific type (`except ValueError as e`, a handler registered for
;; `ValueError`) answered with a 4xx status is a deliberate message about the client's input
;; and is not reported; the same with a 5xx status, or any text from a catch-all
;; `except Exception` or a handler for `Exception` (or status 500), is. A chosen field
;; (`exc.detail`, `exc.errors()`, `exc.status_code`, and in a handler for specific types the
;; custom exception's `exc.message`) is not the exception's text.
;;
;; ## Why it matters in production
;; Exception messages carry SQL, file paths, hostnames, library versions and sometimes data
;; of other users; tracebacks show the code. They help an attacker map the system, and
;; clients start to depend on internal messages.
;;
;; ## Example
;; ```python
;; except Exception as e:
;;     raise HTTPException(status_code=500, detail=str(e))
;; ```
;;
;; ## Fix
;; ```python
;; except Exception:
;;     logger.exception("Failed to create order")
;;     raise HTTPException(status_code=500, detail="Internal server error")
;; ```
;; No quick fix: the right client message depends on the error.
;;
;; ## References
;; - OWASP, "Improper Error Handling"; CWE-209 (information exposure through an error message)
;; '''
; Every pattern reports the value that reaches the client when it shows
; the exception being handled, outside tests, given to an error response or
; exception (`HTTPException`, `JSONResponse`, `jsonify`, `abort`, Django's
; `HttpResponse`, ...). `#leaks-exception?` holds the shared condition:
; inside an `except` clause that catches specific errors
; (`except ValueError as e`) a 4xx status makes it a deliberate message,
; so there only a server error status counts — `status_code=`, else the
; first positional argument.

; `detail=str(e)`, `content=...`, `body=...`, `description=...`.
((call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @key (#any-of? @key "detail" "content" "body" "description")
      value: (_) @finding))) @call
  (#resolves-to-matches? @function "(^|[.])(HTTPException|JSONResponse|jsonify|PlainTextResponse|HTMLResponse|Response|make_response|abort|JsonResponse|HttpResponse|HttpResponseServerError)$")
  (#not-test-path?)
  (#leaks-exception? @finding @call))

; The second positional argument (`HTTPException(500, str(e))`).
((call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list . (_) @status . (_) @finding)) @call
  (#resolves-to-matches? @function "(^|[.])(HTTPException|JSONResponse|jsonify|PlainTextResponse|HTMLResponse|Response|make_response|abort|JsonResponse|HttpResponse|HttpResponseServerError)$")
  (#not-is-kind? @finding "keyword_argument")
  (#not-test-path?)
  (#leaks-exception? @finding @call))

; The first positional argument (`jsonify(str(e))`).
((call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list . (_) @finding)) @call
  (#resolves-to-matches? @function "(^|[.])(HTTPException|JSONResponse|jsonify|PlainTextResponse|HTMLResponse|Response|make_response|abort|JsonResponse|HttpResponse|HttpResponseServerError)$")
  (#not-is-kind? @finding "keyword_argument")
  (#not-test-path?)
  (#leaks-exception? @finding @call))

; `return {"error": str(e)}` in a route handler, outside a clause that
; catches specific errors.
(return_statement
  "return" @kind
  [(dictionary) (call)] @finding
  (#not-test-path?)
  (#exposes-exception? @finding)
  (#in-route-handler? @finding)
  (#not-in-narrow-except? @finding))
