"""A notes API that was never prepared for production."""

import logging
import os

from fastapi import FastAPI
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

from app.config import settings

logging.basicConfig(level=logging.INFO)
logger = logging.getLogger(__name__)

Base = declarative_base()


# expect: migrations-missing
class Note(Base):
    __tablename__ = "notes"

    id = Column(Integer, primary_key=True)
    body = Column(String(2000))


# expect: missing-rate-limiting, missing-authentication, missing-health-endpoint, missing-exception-handler, missing-request-id, missing-security-headers, unstructured-logging, metrics-missing, tracing-missing, api-not-versioned, cors-not-configured, setting-default-insecure
app = FastAPI(title="Notes", debug=settings.debug)
STORAGE_URL = os.getenv("STORAGE_URL", "http://localhost:9000")


@app.get("/notes/{note_id}")
def read_note(note_id: int) -> dict[str, int]:
    return {"id": note_id}


# expect: missing-authentication
@app.post("/notes")
def create_note(body: dict) -> dict:
    logger.info("creating note")
    return body


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="0.0.0.0", port=8080)
