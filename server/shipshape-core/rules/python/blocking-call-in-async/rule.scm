;; priority = "high"
;; category = "performance"
;; summary = "A blocking call inside `async def` stalls the event loop."
;; message = "This call blocks the event loop."
;; equivalents = ["ASYNC251", "ASYNC210"]
;; docs = '''
;; ## What it finds
;; Inside the body of an `async def` (not in a nested `def` or a `lambda` handed to a
;; thread): `time.sleep`, requests calls (module functions and methods of a
;; `requests.Session()` built in the module), `urllib.request.urlopen`, `subprocess.run`,
;; `subprocess.call`, `subprocess.check_call`, `subprocess.check_output`, `os.system`.
;; Imports are resolved (`from time import sleep`).
;;
;; ## Why it matters in production
;; An async server runs every request of a worker on one thread. A blocking call stops all of
;; them: one slow outgoing request or a `time.sleep(5)` adds its whole duration to every
;; concurrent request, and health checks time out.
;;
;; ## Example
;; ```python
;; async def poll():
;;     time.sleep(1)
;; ```
;;
;; ## Fix
;; ```python
;; async def poll():
;;     await asyncio.sleep(1)
;; ```
;; The quick fix rewrites a `time.sleep(...)` statement as `await asyncio.sleep(...)` (adding
;; `import asyncio`); it is safe: the coroutine waits as long, without blocking the others.
;; For the other calls use an async client (httpx.AsyncClient, aiohttp),
;; `asyncio.create_subprocess_exec`, or `await asyncio.to_thread(...)`.
;;
;; ## References
;; - ruff ASYNC210, ASYNC220–222, ASYNC251
;; - FastAPI, "Concurrency and async / await": https://fastapi.tiangolo.com/async/
;; '''
;;
;; [fix]
;; title = "Use await asyncio.sleep"
;; safe = true
(call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list) @arguments) @finding
