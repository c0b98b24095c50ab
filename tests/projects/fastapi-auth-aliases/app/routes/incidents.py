from fastapi import APIRouter, Depends

from app.core import deps
from app.core.deps import Caller, CommonParameters, SessionDep

router = APIRouter(prefix="/incidents")


@router.get("/")
def list_incidents(common: CommonParameters) -> list[dict]:
    return []


@router.post("/")
def create_incident(caller: Caller, incident: dict) -> dict:
    return incident


@router.put("/{incident_id}", dependencies=[Depends(deps.load_caller)])
def update_incident(incident_id: int, incident: dict) -> dict:
    return incident


# A database session is not authentication.
# expect: route-without-authentication
@router.delete("/{incident_id}")
def delete_incident(incident_id: int, session: SessionDep) -> dict:
    return {"deleted": incident_id}
