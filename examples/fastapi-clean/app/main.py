"""The notes API."""

import logging

import requests
from fastapi import FastAPI, HTTPException
from fastapi.middleware.cors import CORSMiddleware

from app.config import settings

logger = logging.getLogger(__name__)

app = FastAPI(title="Notes", debug=settings.debug)

app.add_middleware(
    CORSMiddleware,
    allow_origins=settings.allowed_origins,
    allow_methods=["GET", "POST"],
    allow_headers=["Authorization", "Content-Type"],
)

session = requests.Session()


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/notes/{note_id}")
def read_note(note_id: int):
    try:
        response = session.get(f"https://storage.internal/notes/{note_id}", timeout=5)
        response.raise_for_status()
    except requests.RequestException as error:
        logger.warning("storage unavailable: %s", error)
        raise HTTPException(status_code=503, detail="storage unavailable") from error
    return response.json()


@app.post("/notes")
def create_note(body: dict):
    logger.info("creating note")
    try:
        notify(body)
    except requests.RequestException:
        logger.exception("notification failed")
    return body


def notify(body: dict) -> None:
    requests.post("https://hooks.internal/notify", json=body, timeout=5)


if __name__ == "__main__":
    import uvicorn

    print("starting on http://127.0.0.1:8000")
    uvicorn.run(app, host="127.0.0.1", port=8000)
