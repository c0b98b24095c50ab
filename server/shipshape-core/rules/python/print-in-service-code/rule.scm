;; priority = "medium"
;; category = "observability"
;; summary = "`print()` in the code of a web service or worker."
;; message = "`print()` in service code bypasses logging: no level, no timestamp, no request context, and it may never be flushed; use the module logger."
;; equivalents = ["T201"]
;; docs = '''
;; ## What it finds
;; A call to `print()` in a module of a service: the project depends on a web or worker
;; framework (FastAPI, Starlette, Flask, Django, Celery, aiohttp, ...), or the module imports
;; one. It is not reported in tests, scripts and command-line folders (`scripts/`, `bin/`,
;; `cli/`, `manage.py`, ...), under `if __name__ == "__main__":`, in click/typer commands, in
;; modules that import a CLI library (click, typer, argparse, rich, ...), or where `print`
;; is imported from elsewhere.
;;
;; ## Why it matters in production
;; Output from `print` has no level, timestamp or logger name, cannot be filtered or shipped
;; as structured logs, and stdout is block-buffered in containers, so the lines may appear
;; late or never when the process dies.
;;
;; ## Example
;; ```python
;; @app.post("/orders")
;; async def create_order(order: OrderIn):
;;     print("creating order", order.id)
;; ```
;;
;; ## Fix
;; ```python
;; import logging
;;
;; logger = logging.getLogger(__name__)
;;
;;
;; @app.post("/orders")
;; async def create_order(order: OrderIn):
;;     logger.info("%s %s", "creating order", order.id)
;; ```
;; The quick fix calls `logger.info(...)` — with a `%s` format for several arguments — using
;; the module's logger or creating one. It is **unsafe**: the message now goes through
;; logging, which drops `INFO` until logging is configured. Calls with `file=`, `sep=`,
;; `end=` or `*args` get no fix.
;;
;; ## References
;; - ruff T201 (print)
;; - Python logging HOWTO: https://docs.python.org/3/howto/logging.html
;; '''
;;
;; [fix]
;; title = "Use logger.info"
;; safe = false
(call
  function: (identifier) @function (#eq? @function "print")
  arguments: (argument_list) @arguments) @finding
