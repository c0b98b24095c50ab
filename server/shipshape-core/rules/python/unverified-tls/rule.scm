;; priority = "high"
;; category = "security"
;; summary = "TLS certificate verification is turned off for an HTTP client."
;; message = "`${key}=False` turns off TLS certificate checks: anyone on the network path can read and change this traffic; remove it (or point `verify=` at a CA bundle)."
;; equivalents = ["S501"]
;; docs = '''
;; ## What it finds
;; `verify=False` (requests, httpx), `ssl=False` / `verify_ssl=False` (aiohttp) on calls of
;; requests, httpx, aiohttp, urllib3 — module functions, clients and sessions, and methods of
;; sessions or clients built in the same module. Tests are skipped.
;;
;; ## Why it matters in production
;; Without certificate verification any machine between the service and the server — a
;; compromised Wi-Fi, a proxy, a pod on the same network — can impersonate the server, read
;; credentials and change responses. The warning it causes is usually silenced too.
;;
;; ## Example
;; ```python
;; response = requests.get(url, verify=False, timeout=10)
;; ```
;;
;; ## Fix
;; ```python
;; response = requests.get(url, timeout=10)
;; ```
;; The quick fix removes the argument. It is **unsafe**: a server with a self-signed or
;; internal-CA certificate will now be refused; pass `verify="/path/to/ca.pem"` for those.
;;
;; ## References
;; - requests, "SSL Cert Verification": https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification
;; - ruff S501, bandit B501
;; '''
;;
;; [fix]
;; title = "Remove the argument (verify certificates)"
;; safe = false
;; edits = [{ capture = "finding", delete_item = true }]
; A call of an HTTP client package.
(call
  function: (_) @function
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @key (#any-of? @key "verify" "ssl" "verify_ssl")
      value: (false)) @finding)
  (#resolves-to? @function "requests" "requests.*" "httpx" "httpx.*" "aiohttp" "aiohttp.*" "urllib3" "urllib3.*" "niquests" "niquests.*")
  (#not-test-path?))
; A method of a session or client built by one.
(call
  function: (attribute object: (_) @object) @function
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @key (#any-of? @key "verify" "ssl" "verify_ssl")
      value: (false)) @finding)
  (#not-resolves-to? @function "requests" "requests.*" "httpx" "httpx.*" "aiohttp" "aiohttp.*" "urllib3" "urllib3.*" "niquests" "niquests.*")
  (#built-by? @object "requests" "requests.*" "httpx" "httpx.*" "aiohttp" "aiohttp.*" "urllib3" "urllib3.*" "niquests" "niquests.*")
  (#not-test-path?))
