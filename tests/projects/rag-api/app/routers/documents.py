from fastapi import APIRouter, Depends, HTTPException
from sqlmodel import Session

from app.db import get_session

router = APIRouter()


@router.get("/{document_id}/status")
def document_status(document_id: int, session: Session = Depends(get_session)) -> dict[str, str]:
    document = session.get(dict, document_id)
    if document is None:
        raise HTTPException(status_code=404, detail="no such document")
    return {"status": "indexed"}
