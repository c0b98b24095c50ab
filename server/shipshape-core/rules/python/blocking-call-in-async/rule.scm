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
;; edits = [
;;   { capture = "sleep", insert_before = "await " },
;;   { capture = "function", replace = "asyncio.sleep" },
;; ]
;; imports = ["asyncio"]
; Every pattern: a call in the body of an `async def` (not a nested `def` or
; `lambda`), outside tests. Only a `time.sleep(...)` statement has a fix: the
; fix edits `@sleep`, which no other pattern captures.

; `time.sleep(...)` as a statement: becomes `await asyncio.sleep(...)`.
(expression_statement
  (call
    function: [(identifier) (attribute)] @function
    arguments: (argument_list)) @finding @sleep
  (#resolves-to? @function "time.sleep")
  (#in-async? @finding)
  (#not-test-path?)
  (#set! message "`${function}` blocks the event loop inside `async def`: every other request on this worker waits for it; use `await asyncio.sleep(...)`."))

; `time.sleep(...)` inside an expression.
((call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list)) @finding
  (#resolves-to? @function "time.sleep")
  (#not-has-parent? @finding "expression_statement")
  (#in-async? @finding)
  (#not-test-path?)
  (#set! message "`${function}` blocks the event loop inside `async def`: every other request on this worker waits for it; use `await asyncio.sleep(...)`."))

; Subprocesses.
((call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list)) @finding
  (#resolves-to? @function "subprocess.run" "subprocess.call" "subprocess.check_call" "subprocess.check_output" "os.system")
  (#in-async? @finding)
  (#not-test-path?)
  (#set! message "`${function}` blocks the event loop inside `async def`: every other request on this worker waits for it; use `asyncio.create_subprocess_exec` or run it with `await asyncio.to_thread(...)`."))

; Blocking HTTP: urllib and requests' module functions.
((call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list)) @finding
  (#resolves-to? @function "urllib.request.urlopen"
    "requests.get" "requests.post" "requests.put" "requests.patch" "requests.delete"
    "requests.head" "requests.options" "requests.request")
  (#in-async? @finding)
  (#not-test-path?)
  (#set! message "`${function}` blocks the event loop inside `async def`: every other request on this worker waits for it; use an async client (httpx.AsyncClient, aiohttp) or `await asyncio.to_thread(...)`."))

; An HTTP method of a `requests.Session()` (the object's own name, not one of
; requests' module attributes).
((call
  function: (attribute object: (_) @object) @function
  arguments: (argument_list)) @finding
  (#resolves-to-matches? @function "[.](get|post|put|patch|delete|head|options|request)$")
  (#not-resolves-to? @function "requests.*")
  (#built-by? @object "requests.Session" "requests.session" "requests.sessions.Session")
  (#in-async? @finding)
  (#not-test-path?)
  (#set! message "`${function}` blocks the event loop inside `async def`: every other request on this worker waits for it; use an async client (httpx.AsyncClient, aiohttp) or `await asyncio.to_thread(...)`."))
