;; priority = "high"
;; category = "reliability"
;; summary = "An except clause that catches everything and does nothing."
;; message = "This `except` swallows every error without a trace; log it (`logger.exception(...)`) or catch the specific exception you expect."
;; equivalents = ["S110", "S112"]
;; docs = '''
;; ## What it finds
;; An `except` clause that catches everything — bare `except:`, `except Exception` or
;; `except BaseException` (alone or in a tuple) — and whose body is only `pass`, `continue`
;; or `...`.
;;
;; Clauses naming a specific exception (`except ImportError: pass`,
;; `except FileNotFoundError: pass`, `except asyncio.CancelledError: pass`) are a deliberate
;; choice about one known condition and are not reported; neither is a clause with a comment
;; saying why the error is ignored (`# keep the raw string if it is not JSON`), nor test code.
;;
;; ## Why it matters in production
;; Every failure in the `try` block disappears: bugs, timeouts, a database that went away.
;; The service keeps running in a wrong state and nothing in the logs says why.
;;
;; ## Example
;; ```python
;; for item in items:
;;     try:
;;         index(item)
;;     except Exception:
;;         continue
;; ```
;;
;; ## Fix
;; ```python
;; for item in items:
;;     try:
;;         index(item)
;;     except Exception:
;;         logger.exception("Ignored error in reindex")
;;         continue
;; ```
;; The quick fix replaces `pass`/`...` with `logger.exception(...)` (before `continue`, which
;; is kept), using the module's logger or creating `logger = logging.getLogger(__name__)`
;; with `import logging`. It is safe: the error is still swallowed, only now it is logged. No
;; fix is offered at module level before the logger would exist.
;;
;; ## References
;; - ruff S110 (try-except-pass), S112 (try-except-continue), BLE001
;; - Python docs, `Logger.exception`
;; '''
;;
;; [fix]
;; title = "Log the exception"
;; safe = true
(except_clause
  "except" @finding
  (block) @body) @clause
