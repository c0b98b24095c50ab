import logging

from fastapi import APIRouter, FastAPI, HTTPException, Response
from fastapi.responses import JSONResponse
from flask import Blueprint, jsonify

logger = logging.getLogger(__name__)
app = FastAPI()
router = APIRouter()
bp = Blueprint("notes", __name__)


@app.get("/notes/{note_id}")
def read_note(note_id: int):
    try:
        return storage.get(note_id)
    except StorageError as exc:
        # expect: error-with-success-status
        return {"error": str(exc)}


@router.post("/chat")
async def chat(body: ChatRequest):
    try:
        answer = await llm.complete(body.message)
    except Exception:
        logger.exception("completion failed")
        if body.stream:
            # expect: error-with-success-status
            return {"status": "error", "message": "The model is unavailable"}
        # expect: error-with-success-status
        return JSONResponse({"error": "The model is unavailable"})
    return {"status": "ok", "answer": answer}


@router.delete("/items/{item_id}")
async def delete_item(item_id: int):
    try:
        await items.delete(item_id)
    except ItemError:
        # expect: error-with-success-status
        return {"success": False}
    return {"success": True}


@router.post("/upload")
async def upload(file: UploadFile):
    try:
        await store(file)
    except ValueError as exc:
        # expect: error-with-success-status
        return JSONResponse(content={"error": str(exc)}, headers={"X-Reason": "invalid"})


@bp.route("/legacy")
def legacy():
    try:
        return jsonify(data=load())
    except LoadError:
        # expect: error-with-success-status
        return jsonify(error="could not load")


# OK: error statuses, statuses set first, success bodies, helpers and tools outside handlers
@app.get("/health")
def health():
    try:
        database.ping()
    except DatabaseError as exc:
        raise HTTPException(status_code=503, detail="Database unavailable") from exc
    return {"status": "ok"}


@router.post("/ingest")
async def ingest(response: Response):
    try:
        await pipeline.run()
    except PipelineError as exc:
        response.status_code = 502
        return {"error": str(exc)}
    return {"status": "ok"}


@router.post("/search")
async def search(query: str):
    try:
        return await index.search(query)
    except IndexError as exc:
        return JSONResponse(status_code=500, content={"error": "search unavailable"})


@bp.route("/export")
def export():
    try:
        return jsonify(data=dump())
    except DumpError:
        return jsonify(error="could not export"), 500


@router.get("/items")
async def list_items():
    try:
        return await items.all()
    except CacheMiss:
        return {"items": [], "cached": False}


def search_tool(query: str) -> dict:
    """A tool the agent calls: the model reads the error and tries again."""
    try:
        return {"results": index.search(query)}
    except Exception as exc:
        return {"error": str(exc)}


@router.get("/status")
async def status():
    try:
        return {"status": await backend.status()}
    except Exception:
        def fallback():
            return {"error": "unknown"}
        raise HTTPException(status_code=503, detail=fallback())
