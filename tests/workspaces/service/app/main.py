import logging
import os

from fastapi import FastAPI

logger = logging.getLogger(__name__)

DATABASE_URL = os.environ["DATABASE_URL"]

app = FastAPI()


@app.get("/health")
def health():
    return {"status": "ok"}
