from fastapi import Depends, FastAPI

from app import admin, items, login, notes, users, webhooks
from app.deps import get_current_active_superuser

# expect: missing-rate-limiting, missing-exception-handler, missing-request-id, missing-security-headers, unstructured-logging, metrics-missing, tracing-missing, api-not-versioned, ci-missing, gitignore-missing, tests-missing
app = FastAPI()
app.include_router(login.router)
app.include_router(users.router)
app.include_router(items.router)
app.include_router(notes.router)
app.include_router(webhooks.router)
app.include_router(admin.router, dependencies=[Depends(get_current_active_superuser)])


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}
