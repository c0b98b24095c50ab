"""The notes API."""

import secrets

import requests
import structlog
from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import Depends, FastAPI, HTTPException, Request, Security
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from prometheus_fastapi_instrumentator import Instrumentator
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from app.config import settings

structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.processors.JSONRenderer(),
    ]
)
logger = structlog.get_logger(__name__)

api_key_header = APIKeyHeader(name="X-API-Key")


def require_api_key(key: str = Security(api_key_header)) -> None:
    if not secrets.compare_digest(key, settings.api_key):
        raise HTTPException(status_code=401, detail="invalid API key")


limiter = Limiter(key_func=get_remote_address, default_limits=["60/minute"])

app = FastAPI(title="Notes", debug=settings.debug)
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)

app.add_middleware(
    CORSMiddleware,
    allow_origins=settings.allowed_origins,
    allow_methods=["GET", "POST"],
    allow_headers=["Authorization", "Content-Type"],
)
app.add_middleware(CorrelationIdMiddleware)
Instrumentator().instrument(app).expose(app, include_in_schema=False)
FastAPIInstrumentor.instrument_app(app)


@app.middleware("http")
async def security_headers(request: Request, call_next):
    response = await call_next(request)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


@app.exception_handler(Exception)
async def unhandled_error(request: Request, error: Exception) -> JSONResponse:
    logger.exception("unhandled error", path=request.url.path)
    return JSONResponse({"detail": "internal error"}, status_code=500)


session = requests.Session()


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/v1/notes/{note_id}", dependencies=[Depends(require_api_key)])
def read_note(note_id: int):
    try:
        response = session.get(f"https://storage.internal/notes/{note_id}", timeout=5)
        response.raise_for_status()
    except requests.RequestException as error:
        logger.warning("storage unavailable", error=str(error))
        raise HTTPException(status_code=503, detail="storage unavailable") from error
    return response.json()


@app.post("/v1/notes", dependencies=[Depends(require_api_key)])
def create_note(body: dict):
    logger.info("creating note")
    try:
        notify(body)
    except requests.RequestException:
        logger.exception("notification failed")
    return body


def notify(body: dict) -> None:
    requests.post("https://hooks.internal/notify", json=body, timeout=5)


if __name__ == "__main__":
    import uvicorn

    print("starting on http://127.0.0.1:8000")
    uvicorn.run(app, host="127.0.0.1", port=8000)
