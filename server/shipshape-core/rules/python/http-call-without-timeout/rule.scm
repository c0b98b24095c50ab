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
;; Calls passing `**kwargs` are skipped (the timeout may be in there), as are tests.
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
(call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list) @arguments) @finding
