from typing import Annotated

from fastapi import APIRouter, Depends

from app.deps import CurrentUser, get_current_user

router = APIRouter(prefix="/items", tags=["items"])


@router.get("/")
def read_items(current_user: CurrentUser) -> list[dict]:
    return []


@router.post("/")
def create_item(current_user: CurrentUser, item: dict) -> dict:
    return item


@router.put("/{item_id}")
def update_item(
    item_id: int, item: dict, user: Annotated[dict, Depends(get_current_user)]
) -> dict:
    return item


# A public read among authenticated routes is often meant.
@router.get("/options")
def item_options() -> list[str]:
    return ["small", "large"]


# The one route that forgot the dependency its neighbours have.
# expect: route-without-authentication
@router.delete("/{item_id}")
def delete_item(item_id: int) -> dict:
    return {"deleted": item_id}
