;; priority = "high"
;; category = "reliability"
;; summary = "An outgoing HTTP call that can wait forever."
;; message = "This HTTP call has no timeout; pass `timeout=`."
;; equivalents = ["S113"]
;; docs = '''
;; ## What it finds
;; - `requests.get/post/put/patch/delete/head/options/request(...)` without `timeout=`,
;;   whatever the import (`import requests as r`, `from requests import post`), and the same
;;   methods on a `requests.Session()` built in the module (`session = requests.Session()`,
;;   `self.session = ...`, `with requests.Session() as s`);
;; - `httpx.Client/AsyncClient(timeout=None)` and httpx calls with `timeout=None` (httpx has a
;;   5-second default, so a missing timeout is fine there);
;; - `aiohttp.ClientSession()` without `timeout=`.
;;
;; Calls passing `**kwargs` are skipped when the timeout may be in there: a parameter, an
;; attribute (`**self._request_kwargs`), a module-level dict, a dict the function changes in
;; place (`kwargs.setdefault("timeout", 10)`) or passes to another call. A dict the function
;; builds itself without `timeout` (`options = {"headers": ...}`, `dict(verify=True)`) is
;; reported. Tests are skipped.
;;
;; ## Why it matters in production
;; requests has no default timeout: a server that accepts the connection and never answers
;; holds the calling worker forever. A few such calls exhaust the worker pool and the whole
;; service stops answering.
;;
;; ## Example
;; ```python
;; response = requests.get(url)
;; ```
;;
;; ## Fix
;; ```python
;; response = requests.get(url, timeout=10)
;; ```
;; The quick fix adds `timeout=10` (`timeout=aiohttp.ClientTimeout(total=10)` for aiohttp;
;; `10` in place of `None` for httpx). It is **unsafe**: calls that legitimately take longer
;; than 10 seconds (large downloads) will now fail — pick the right value.
;;
;; ## References
;; - requests, "Timeouts": https://requests.readthedocs.io/en/latest/user/advanced/#timeouts
;; - ruff S113 (request-without-timeout)
;; '''
;;
;; [fix]
;; title = "Add timeout=10"
;; safe = false
;; edits = [{ capture = "arguments", append_argument = "timeout=10" }]
;;
;; [fix.variants.httpx]
;; edits = [{ capture = "value", replace = "10" }]
;;
;; [fix.variants.aiohttp]
;; edits = [{ capture = "arguments", append_argument = "timeout=aiohttp.ClientTimeout(total=10)" }]
;; imports = ["aiohttp"]
; Every pattern: outside tests, and never a call passing `**kwargs` that may
; hold the timeout.

; requests' module functions without `timeout=`.
((call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list) @arguments) @finding
  (#resolves-to? @function
    "requests.get" "requests.post" "requests.put" "requests.patch"
    "requests.delete" "requests.head" "requests.options" "requests.request")
  (#not-has-kwarg? @arguments "timeout")
  (#not-test-path?)
  (#set! message "`${function}` has no timeout: requests waits forever on a server that stops answering, holding this worker; pass `timeout=`."))

; The same methods of a `requests.Session()` (the object's own name, not
; one of requests' module attributes).
((call
  function: (attribute object: (_) @object) @function
  arguments: (argument_list) @arguments) @finding
  (#resolves-to-matches? @function "[.](get|post|put|patch|delete|head|options|request)$")
  (#not-resolves-to? @function "requests.*")
  (#built-by? @object "requests.Session" "requests.session" "requests.sessions.Session")
  (#not-has-kwarg? @arguments "timeout")
  (#not-test-path?)
  (#set! message "`${function}` has no timeout: requests waits forever on a server that stops answering, holding this worker; pass `timeout=`."))

; httpx with `timeout=None` (httpx's own default is 5 seconds).
(call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @key (#eq? @key "timeout")
      value: (_) @value (#flows-from? @value "^None$")) @finding) @arguments
  (#resolves-to? @function
    "httpx.Client" "httpx.AsyncClient" "httpx.get" "httpx.post" "httpx.put"
    "httpx.patch" "httpx.delete" "httpx.request" "httpx.stream")
  (#not-has-kwargs-splat? @arguments)
  (#not-test-path?)
  (#set! message "`timeout=None` turns off httpx's timeouts in `${function}`: a stalled server holds the request forever; set a timeout.")
  (#set! fix "httpx"))

; aiohttp's session without `timeout=` (its default is 5 minutes).
((call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list) @arguments) @finding
  (#resolves-to? @function "aiohttp.ClientSession" "aiohttp.client.ClientSession")
  (#not-has-kwarg? @arguments "timeout")
  (#not-test-path?)
  (#set! message "`aiohttp.ClientSession()` without `timeout=` waits up to 5 minutes per request; pass an `aiohttp.ClientTimeout` sized for your calls.")
  (#set! fix "aiohttp"))
