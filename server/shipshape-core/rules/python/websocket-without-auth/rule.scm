;; priority = "high"
;; category = "security"
;; summary = "A WebSocket endpoint accepts connections without authenticating them."
;; message = "This WebSocket handler accepts the connection without checking who is connecting; authenticate (token, cookie session or an auth dependency) before `accept()`."
;; docs = '''
;; ## What it finds
;; A handler decorated with `@app.websocket(...)`, `@router.websocket(...)` or
;; `@app.websocket_route(...)` that calls `accept()` with nothing before it that looks like
;; authentication: no parameter or dependency and no code mentioning auth, token, verify,
;; credentials, current user, API key, JWT, login, permission, session or cookie. Checking a
;; token sent as the first message after `accept()` counts too — browsers cannot set headers
;; on a WebSocket, so that is a common, sound pattern. Tests are skipped.
;;
;; ## Why it matters in production
;; Browsers do not apply CORS to WebSockets, and most HTTP authentication middleware does not
;; see them: an unauthenticated socket lets anyone on the internet stream from the backend,
;; use its LLM or voice quota and read other users' events.
;;
;; ## Example
;; ```python
;; @app.websocket("/ws")
;; async def stream(websocket: WebSocket):
;;     await websocket.accept()
;; ```
;;
;; ## Fix
;; ```python
;; @app.websocket("/ws")
;; async def stream(websocket: WebSocket, user: User = Depends(current_user_from_token)):
;;     await websocket.accept()
;; ```
;; No quick fix: the authentication scheme is the application's.
;;
;; ## References
;; - FastAPI, "WebSockets — Using Depends and others": https://fastapi.tiangolo.com/advanced/websockets/
;; - OWASP, "WebSocket Security Cheat Sheet"
;; '''
; `accept()` in a WebSocket handler (a function decorated with
; `@app.websocket(...)`, `@router.websocket_route(...)`, `@sock.ws(...)`)
; whose code — decorators included, comments left out — never mentions
; authentication: a token, a session, a cookie, a permission, ... (checked
; before `accept()` or, since browsers cannot send headers on a WebSocket,
; as the first message after it). Not in tests.
((call
  function: (attribute
    attribute: (identifier) @method (#eq? @method "accept"))) @finding
  (#not-test-path?)
  (#function-decorator-matches? @finding "(^|[.])(websocket|websocket_route|ws)$")
  (#not-decorated-function-mentions? @finding
    "auth" "token" "verify" "credential" "current_user" "get_user" "api_key" "apikey"
    "jwt" "login" "permission" "session" "cookie" "principal"))
