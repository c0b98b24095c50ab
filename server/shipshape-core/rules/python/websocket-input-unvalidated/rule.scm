;; priority = "high"
;; category = "security"
;; summary = "A websocket handler uses received data without validating it."
;; message = "`${method}()` data is used without validation: a websocket message skips the request model FastAPI applies to HTTP bodies, so a missing key, a wrong type or a 10 MB prompt reaches the handler (and the LLM bill). Parse it into a pydantic model (`Message.model_validate_json(...)`) or check its shape and length."
;; docs = '''
;; ## What it finds
;; In an `async` function of a FastAPI or Starlette module, data received from a websocket and
;; then parsed or passed on, when the enclosing function shows no validation of what it
;; received:
;; - `await websocket.receive_json()` (the message is parsed JSON, used as a dict);
;; - `await websocket.receive_text()` in a function that parses it (`json.loads`, `orjson.loads`)
;;   or hands data to a model, an LLM, a speech API or a database (`.invoke(`, `.astream(`,
;;   `.create(`, `.chat(`, `.generate(`, `.query(`, `.execute(`, `.insert(`, `.commit(`,
;;   `.synthesize(`, `.transcribe(`, `.embed...(`, `.similarity_search(`, `.retrieve(`, ...),
;;   or returns it to its caller (a helper that reads the next prompt).
;;
;; Text that is only echoed or broadcast to other sockets (FastAPI's websocket tutorials, a
;; chat room relaying messages) is not reported: nothing parses or acts on it.
;;
;; Validation anywhere in the receiving function silences it: a pydantic model
;; (`Model.model_validate(...)`, `model_validate_json`, `TypeAdapter`, `Model(**data)`,
;; `parse_obj`), a schema (`jsonschema`, `validate(...)`) or a length check (`len(...)`,
;; `max_length`). Tests are skipped. The hand-off calls are read from the function's text, not
;; traced from the received variable: a handler that relays text and also queries a database
;; for something else is reported.
;;
;; The check looks at the function that receives: a handler that passes the raw data to a
;; helper which validates it is reported; suppress the finding there, or validate where the
;; data arrives.
;;
;; ## Why it matters in production
;; For HTTP routes FastAPI validates the body against its pydantic model and answers 422 on
;; bad input. A websocket message gets none of that: it is whatever the client sent, up to
;; uvicorn's 16 MiB frame limit. `data["message"]` raises `KeyError` and kills the
;; connection (and every stream it carries), a number where a string was expected fails deep
;; in the pipeline, and an unbounded prompt goes straight to the LLM or the TTS API — paid
;; per token or character — or into the database.
;;
;; ## Example
;; ```python
;; @app.websocket("/ws/chat")
;; async def chat(websocket: WebSocket):
;;     await websocket.accept()
;;     while True:
;;         data = await websocket.receive_json()
;;         answer = await agent.run(data["message"], session=data["session_id"])
;;         await websocket.send_json({"answer": answer})
;; ```
;;
;; ## Fix
;; ```python
;; class ChatMessage(BaseModel):
;;     message: str = Field(min_length=1, max_length=4000)
;;     session_id: UUID
;;
;; @app.websocket("/ws/chat")
;; async def chat(websocket: WebSocket):
;;     await websocket.accept()
;;     while True:
;;         try:
;;             incoming = ChatMessage.model_validate_json(await websocket.receive_text())
;;         except ValidationError as exc:
;;             await websocket.send_json({"error": exc.errors(include_input=False)})
;;             continue
;;         answer = await agent.run(incoming.message, session=incoming.session_id)
;;         await websocket.send_json({"answer": answer})
;; ```
;; There is no quick fix: the model is the message's contract.
;;
;; ## References
;; - FastAPI docs, "WebSockets": https://fastapi.tiangolo.com/advanced/websockets/
;; - OWASP, "WebSocket Security Cheat Sheet" (input validation): https://cheatsheetseries.owasp.org/cheatsheets/WebSocket_Security_Cheat_Sheet.html
;; - pydantic docs, "Validating data": https://docs.pydantic.dev/latest/concepts/models/#validating-data
;; '''
(call
  function: (attribute
    object: (_) @socket
    attribute: (identifier) @method) @finding
  arguments: (argument_list) @arguments
  (#eq? @method "receive_json")
  (#match? @arguments "^\\(\\s*\\)$")
  (#in-async? @finding)
  (#imports? "fastapi" "starlette")
  (#not-ancestor-matches? @finding "function_definition" "model_validate|parse_obj|parse_raw|validate_json|validate_python|TypeAdapter|\\bvalidate\\(|jsonschema|\\(\\*\\*|\\blen\\(|max_length")
  (#not-test-path?))

(call
  function: (attribute
    object: (_) @socket
    attribute: (identifier) @method) @finding
  arguments: (argument_list) @arguments
  (#eq? @method "receive_text")
  (#match? @arguments "^\\(\\s*\\)$")
  (#in-async? @finding)
  (#imports? "fastapi" "starlette")
  (#ancestor-matches? @finding "function_definition" "\\bloads\\(|\\.(invoke|ainvoke|stream|astream\\w*|run|arun|generate|agenerate|predict|apredict|complete|acomplete|acreate|create|chat|achat|query|aquery|execute|insert\\w*|commit|upsert|synthesize|transcribe|embed\\w*|similarity_search\\w*|retrieve|aretrieve)\\(|\\breturn\\s+await\\s+[\\w.]+\\.receive_text\\(")
  (#not-ancestor-matches? @finding "function_definition" "model_validate|parse_obj|parse_raw|validate_json|validate_python|TypeAdapter|\\bvalidate\\(|jsonschema|\\(\\*\\*|\\blen\\(|max_length")
  (#not-test-path?))
