from fastapi import APIRouter, Depends, HTTPException, Security
from fastapi.security import APIKeyHeader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import settings
from app.db import engine
from app.models import Note

api_key_header = APIKeyHeader(name="X-API-Key")


def require_api_key(key: str = Security(api_key_header)) -> None:
    if key != settings.api_key:
        raise PermissionError


router = APIRouter(prefix="/notes", dependencies=[Depends(require_api_key)])


@router.get("/{note_id}")
def read_note(note_id: int) -> dict[str, str]:
    with Session(engine) as session:
        note = session.scalars(select(Note).where(Note.id == note_id)).first()
    if note is None:
        raise HTTPException(status_code=404, detail="no such note")
    return {"body": note.body}
