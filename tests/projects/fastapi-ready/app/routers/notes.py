from fastapi import APIRouter, Depends, Security
from fastapi.security import APIKeyHeader

from app.config import settings

api_key_header = APIKeyHeader(name="X-API-Key")


def require_api_key(key: str = Security(api_key_header)) -> None:
    if key != settings.api_key:
        raise PermissionError


router = APIRouter(prefix="/notes", dependencies=[Depends(require_api_key)])


@router.get("/{note_id}")
async def read_note(note_id: int) -> dict[str, int]:
    return {"id": note_id}
