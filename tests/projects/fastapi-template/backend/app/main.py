"""The layout of the full-stack FastAPI template: the API prefix comes from settings."""

from fastapi import FastAPI

from app.api.main import api_router
from app.config import settings

# expect: missing-rate-limiting, missing-exception-handler, missing-request-id, missing-security-headers, unstructured-logging, metrics-missing, tracing-missing
app = FastAPI(title=settings.PROJECT_NAME, openapi_url=f"{settings.API_V1_STR}/openapi.json")
app.include_router(api_router, prefix=settings.API_V1_STR)
