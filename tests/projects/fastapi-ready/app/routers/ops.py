from fastapi import APIRouter

router = APIRouter(prefix="/ops", tags=["ops"])


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
