from fastapi import APIRouter

from app.deps import CurrentUser

# Authenticated where it is included (`dependencies=` in main.py).
router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/stats")
def stats(current_user: CurrentUser) -> dict:
    return {}


@router.get("/audit")
def audit(current_user: CurrentUser) -> list[dict]:
    return []


@router.delete("/cache")
def clear_cache() -> dict:
    return {"cleared": True}
