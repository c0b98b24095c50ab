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
;; An exception of a specific type (`except ValueError as e`) answered with a 4xx status is a
;; deliberate message about the client's input and is not reported; the same with a 5xx
;; status, or any text from a catch-all `except Exception`, is.
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
(call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @key (#any-of? @key "detail" "content" "body" "description")
      value: (_) @value) @finding)) @call

(call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list . (_) . (_) @value @finding)) @call

(call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list . (_) @value @finding)) @call

(return_statement
  "return" @kind
  [(dictionary) (call)] @value) @finding
