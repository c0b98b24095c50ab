;; priority = "high"
;; category = "reliability"
;; summary = "A bare `except:` catches everything, including KeyboardInterrupt and SystemExit."
;; message = "Bare `except:` also catches KeyboardInterrupt and SystemExit and hides the error type; catch `Exception` (or something narrower)."
;; equivalents = ["E722", "B001"]
;; docs = """
;; ## What it finds
;; An `except:` clause without an exception type.
;;
;; ## Why it matters in production
;; A bare `except:` catches `BaseException`: `KeyboardInterrupt`, `SystemExit` and
;; `asyncio.CancelledError` too. A worker told to stop keeps running, a cancelled
;; request handler carries on, and the real error type is lost from the logs.
;;
;; ## Example
;; ```python
;; try:
;;     charge(order)
;; except:
;;     logger.warning("charge failed")
;; ```
;;
;; ## Fix
;; ```python
;; try:
;;     charge(order)
;; except Exception:
;;     logger.warning("charge failed")
;; ```
;; The quick fix writes `except Exception:`. It is safe: only exceptions that
;; should never be swallowed (interrupts, exits, cancellation) stop being caught.
;;
;; ## References
;; - PEP 8, "Programming Recommendations": bare except clauses
;; - ruff E722, flake8-bugbear B001
;; """
;;
;; [fix]
;; title = "Catch `Exception` instead"
;; safe = true
;; edits = [{ capture = "keyword", insert_after = " Exception" }]
(except_clause
  .
  "except" @keyword @finding
  .
  ":" @finding.end)
