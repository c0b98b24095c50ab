from fastapi import APIRouter, Depends

from app.core import deps

# Every route of this router depends on the caller, named through its module.
router = APIRouter(prefix="/teams", dependencies=[Depends(deps.load_caller)])


@router.get("/")
def list_teams() -> list[dict]:
    return []


@router.post("/")
def create_team(team: dict) -> dict:
    return team


@router.delete("/{team_id}")
def delete_team(team_id: int) -> dict:
    return {"deleted": team_id}
