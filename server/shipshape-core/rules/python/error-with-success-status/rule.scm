;; priority = "high"
;; category = "reliability"
;; summary = "A route handler catches an error and returns an error body with status 200."
;; message = "This handler catches an error and answers with an error body (`${key}`) and status 200: clients, retries, load balancers and dashboards all see a success. Raise `HTTPException` (or return a response with a 4xx/5xx `status_code`)."
;; docs = '''
;; ## What it finds
;; In a web route handler (`@app.get(...)`, `@router.post(...)`, `@bp.route(...)`), inside an
;; `except` clause, a `return` of an error body that goes out with the default status 200:
;; - a dict with an error key: `return {"error": str(exc)}` (also `errors`, `error_message`,
;;   `err`, `exception`), or `{"status": "error"}` / `{"status": "failed"}`, or
;;   `{"success": False}` / `{"ok": False}`;
;; - the same dict in `JSONResponse(...)` / `ORJSONResponse(...)` without `status_code=`, or in
;;   Flask's `jsonify(...)` returned alone (not as `jsonify(...), 500`).
;;
;; An `except` clause that sets the status first (`response.status_code = 500`) is not
;; reported, nor helpers outside route handlers (an agent tool returning `{"error": ...}` to a
;; model is fine), nor tests.
;;
;; ## Why it matters in production
;; Status codes are what everything between the code and the user reads: the client's error
;; handling, `raise_for_status()`, retries with backoff, the load balancer's and the APM's
;; error rates, alerts on 5xx. A failure sent as 200 is a success to all of them: the
;; dashboard stays green during an outage, clients parse an error body as data, caches may
;; keep it, and nobody retries a request that would have worked a second later.
;;
;; ## Example
;; ```python
;; @app.get("/notes/{note_id}")
;; def read_note(note_id: int):
;;     try:
;;         return storage.get(note_id)
;;     except StorageError as exc:
;;         return {"error": str(exc)}
;; ```
;;
;; ## Fix
;; ```python
;; @app.get("/notes/{note_id}")
;; def read_note(note_id: int):
;;     try:
;;         return storage.get(note_id)
;;     except StorageError as exc:
;;         logger.exception("storage failed for note %s", note_id)
;;         raise HTTPException(status_code=503, detail="Storage unavailable") from exc
;; ```
;; Pick the status that says whose fault it is: 4xx for the request, 502/503/504 for an
;; upstream, 500 for a bug. There is no quick fix: the status is a decision about the API.
;;
;; ## References
;; - FastAPI docs, "Handling Errors": https://fastapi.tiangolo.com/tutorial/handling-errors/
;; - RFC 9110, "Status Codes": https://www.rfc-editor.org/rfc/rfc9110#name-status-codes
;; - Flask docs, "Handling Application Errors": https://flask.palletsprojects.com/en/stable/errorhandling/
;; '''
(return_statement
  (dictionary
    (pair
      key: (string) @key)) @finding
  (#match? @key "^[\"'](error|errors|error_message|error_msg|err|exception)[\"']$")
  (#has-ancestor? @finding "except_clause")
  (#not-ancestor-matches? @finding "except_clause" "status_code\\s*=[^=]|\\.status\\s*=[^=]")
  (#in-route-handler? @finding)
  (#not-test-path?))

(return_statement
  (dictionary
    (pair
      key: (string) @name
      value: (string) @value) @key) @finding
  (#match? @name "^[\"'](status|result|state)[\"']$")
  (#match? @value "^[\"'](error|failed|failure|fail)[\"']$")
  (#has-ancestor? @finding "except_clause")
  (#not-ancestor-matches? @finding "except_clause" "status_code\\s*=[^=]|\\.status\\s*=[^=]")
  (#in-route-handler? @finding)
  (#not-test-path?))

(return_statement
  (dictionary
    (pair
      key: (string) @name
      value: (false)) @key) @finding
  (#match? @name "^[\"'](success|ok|succeeded)[\"']$")
  (#has-ancestor? @finding "except_clause")
  (#not-ancestor-matches? @finding "except_clause" "status_code\\s*=[^=]|\\.status\\s*=[^=]")
  (#in-route-handler? @finding)
  (#not-test-path?))

(return_statement
  (call
    function: (_) @function
    arguments: (argument_list
      [(dictionary (pair key: (string) @key))
       (keyword_argument
         name: (identifier) @content (#eq? @content "content")
         value: (dictionary (pair key: (string) @key)))]) @arguments) @finding
  (#match? @key "^[\"'](error|errors|error_message|error_msg|err|exception)[\"']$")
  (#resolves-to? @function
    "fastapi.responses.JSONResponse" "fastapi.responses.ORJSONResponse" "fastapi.responses.UJSONResponse"
    "starlette.responses.JSONResponse" "fastapi.JSONResponse")
  (#not-has-kwarg? @arguments "status_code")
  (#has-ancestor? @finding "except_clause")
  (#not-ancestor-matches? @finding "except_clause" "status_code\\s*=[^=]|\\.status\\s*=[^=]")
  (#in-route-handler? @finding)
  (#not-test-path?))

(return_statement
  (call
    function: (_) @function
    arguments: (argument_list
      [(dictionary (pair key: (string) @key))
       (keyword_argument name: (identifier) @key)])) @finding
  (#match? @key "^([\"'])?(error|errors|error_message|error_msg|err|exception)([\"'])?$")
  (#resolves-to? @function "flask.jsonify" "quart.jsonify")
  (#has-ancestor? @finding "except_clause")
  (#not-ancestor-matches? @finding "except_clause" "status_code\\s*=[^=]|\\.status\\s*=[^=]")
  (#in-route-handler? @finding)
  (#not-test-path?))
