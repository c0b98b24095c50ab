import secrets

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware

from app.settings import API_KEY


class ApiKeyMiddleware(BaseHTTPMiddleware):
    """Every request but the health check carries the service's key."""

    async def dispatch(self, request: Request, call_next):
        if request.url.path != "/health" and not secrets.compare_digest(
            request.headers.get("x-api-key", ""), API_KEY
        ):
            return JSONResponse({"detail": "unauthorized"}, status_code=401)
        return await call_next(request)


# Authentication in middleware covers every route: neither rule reports.
# expect: ci-missing, gitignore-missing, tests-missing, missing-rate-limiting, missing-exception-handler, missing-request-id, missing-security-headers, unstructured-logging, metrics-missing, tracing-missing, api-not-versioned
app = FastAPI()
app.add_middleware(ApiKeyMiddleware)


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}


@app.post("/jobs")
def create_job(job: dict) -> dict:
    return job


@app.delete("/jobs/{job_id}")
def delete_job(job_id: int) -> dict:
    return {"deleted": job_id}
