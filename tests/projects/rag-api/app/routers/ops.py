from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["ops"])


class HealthResponse(BaseModel):
    status: str


# expect: health-check-shallow
@router.get("/health")
async def health() -> HealthResponse:
    """Return ok if the process is up."""
    return HealthResponse(status="ok")


# A liveness probe by name: meant to stay shallow.
@router.get("/livez")
def liveness() -> dict[str, str]:
    return {"status": "alive"}
