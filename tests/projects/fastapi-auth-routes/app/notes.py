import secrets

from fastapi import APIRouter, Depends, HTTPException, Security
from fastapi.security import APIKeyHeader

api_key_header = APIKeyHeader(name="X-API-Key")


def verify_api_key(key: str = Security(api_key_header)) -> str:
    if not secrets.compare_digest(key, "expected"):
        raise HTTPException(status_code=401)
    return key


# Every route is authenticated by the router.
router = APIRouter(prefix="/notes", dependencies=[Depends(verify_api_key)])


@router.get("/")
def list_notes(key: str = Security(api_key_header)) -> list[dict]:
    return []


@router.post("/")
def create_note(body: dict, key: str = Depends(verify_api_key)) -> dict:
    return body


@router.delete("/{note_id}")
def delete_note(note_id: int) -> dict:
    return {"deleted": note_id}
