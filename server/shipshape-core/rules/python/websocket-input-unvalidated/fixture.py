import json

from fastapi import Depends, FastAPI, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

app = FastAPI()


class ChatMessage(BaseModel):
    message: str = Field(min_length=1, max_length=4000)
    session_id: str


@app.websocket("/ws/chat")
async def chat(websocket: WebSocket, user=Depends(get_current_user)):
    await websocket.accept()
    while True:
        # expect: websocket-input-unvalidated
        data = await websocket.receive_json()
        answer = await agent.run(data["message"], session=data["session_id"])
        await websocket.send_json({"answer": answer})


@app.websocket("/ws/speech")
async def speech(ws: WebSocket, user=Depends(get_current_user)):
    await ws.accept()
    try:
        while True:
            # expect: websocket-input-unvalidated
            text = json.loads(await ws.receive_text())
            audio = await tts.synthesize(text["text"], voice=text.get("voice"))
            await ws.send_bytes(audio)
    except WebSocketDisconnect:
        return


@app.websocket("/ws/ask")
async def ask(websocket: WebSocket, user=Depends(get_current_user)):
    await websocket.accept()
    while True:
        # expect: websocket-input-unvalidated
        question = await websocket.receive_text()
        async for chunk in chain.astream({"question": question}):
            await websocket.send_text(chunk)


class Session:
    async def next_prompt(self) -> str:
        # expect: websocket-input-unvalidated
        return await self.websocket.receive_text()


# OK: a pydantic model, a model built from the data, a type adapter, a length check
@app.websocket("/ws/chat/v2")
async def chat_validated(websocket: WebSocket, user=Depends(get_current_user)):
    await websocket.accept()
    while True:
        try:
            incoming = ChatMessage.model_validate_json(await websocket.receive_text())
        except ValidationError as exc:
            await websocket.send_json({"error": exc.errors(include_input=False)})
            continue
        await websocket.send_json({"answer": await agent.run(incoming.message)})


@app.websocket("/ws/events")
async def events(websocket: WebSocket, user=Depends(get_current_user)):
    await websocket.accept()
    while True:
        data = await websocket.receive_json()
        if "q" not in data:
            await websocket.send_json({"error": "Missing required field 'q'"})
            continue
        body = ChatMessage(**data)
        await handle(body)


MESSAGES = TypeAdapter(list[ChatMessage])


@app.websocket("/ws/batch")
async def batch(websocket: WebSocket, user=Depends(get_current_user)):
    await websocket.accept()
    messages = MESSAGES.validate_python(await websocket.receive_json())
    await handle_all(messages)


@app.websocket("/ws/echo")
async def echo(websocket: WebSocket, user=Depends(get_current_user)):
    await websocket.accept()
    text = await websocket.receive_text()
    if len(text) > 4000:
        await websocket.close(code=1009)
        return
    await websocket.send_text(text)


def read_message(queue):
    # A synchronous queue's receive_text is not a websocket.
    return queue.receive_text()


# OK: text echoed back or broadcast, as in FastAPI's websocket tutorials: nothing parses it or
# passes it to a model, an LLM or a database.
@app.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket):
    # expect: websocket-without-auth
    await websocket.accept()
    while True:
        data = await websocket.receive_text()
        await websocket.send_text(f"Message text was: {data}")


class ConnectionManager:
    def __init__(self):
        self.active_connections: list[WebSocket] = []

    async def connect(self, websocket: WebSocket):
        await websocket.accept()
        self.active_connections.append(websocket)

    def disconnect(self, websocket: WebSocket):
        self.active_connections.remove(websocket)

    async def send_personal_message(self, message: str, websocket: WebSocket):
        await websocket.send_text(message)

    async def broadcast(self, message: str):
        for connection in self.active_connections:
            await connection.send_text(message)


manager = ConnectionManager()


@app.websocket("/ws/{client_id}")
async def room(websocket: WebSocket, client_id: int):
    await manager.connect(websocket)
    try:
        while True:
            data = await websocket.receive_text()
            await manager.send_personal_message(f"You wrote: {data}", websocket)
            await manager.broadcast(f"Client #{client_id} says: {data}")
    except WebSocketDisconnect:
        manager.disconnect(websocket)
        await manager.broadcast(f"Client #{client_id} left the chat")
