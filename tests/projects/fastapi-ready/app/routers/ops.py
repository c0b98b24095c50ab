from fastapi import APIRouter, HTTPException
from sqlalchemy import text

from app.db import engine

router = APIRouter(prefix="/ops", tags=["ops"])


# Liveness: the process answers. The platform restarts the instance when it does not.
@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


# Readiness: the database answers too. Traffic goes elsewhere while it does not.
@router.get("/ready")
def ready() -> dict[str, str]:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        raise HTTPException(status_code=503, detail="database unavailable") from exc
    return {"status": "ready"}
