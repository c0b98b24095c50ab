from fastapi import APIRouter, Depends

from app.deps import CurrentUser, get_current_active_superuser

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/", dependencies=[Depends(get_current_active_superuser)])
def read_users() -> list[dict]:
    return []


@router.get("/me")
def read_user_me(current_user: CurrentUser) -> dict:
    return current_user


@router.patch("/me")
def update_user_me(current_user: CurrentUser, body: dict) -> dict:
    return body


# Signing up is public.
@router.post("/signup")
def register_user(body: dict) -> dict:
    return body
