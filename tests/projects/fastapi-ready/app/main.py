"""The notes API, prepared for production."""

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from prometheus_fastapi_instrumentator import Instrumentator
from secure import Secure
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from app.config import settings
from app.logging import logger
from app.routers import notes, ops

limiter = Limiter(key_func=get_remote_address, default_limits=["60/minute"])
secure_headers = Secure.with_default_headers()

app = FastAPI(title="Notes")
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
app.add_middleware(CorrelationIdMiddleware)
app.add_middleware(
    CORSMiddleware,
    allow_origins=settings.allowed_origins,
    allow_methods=["GET", "POST"],
    allow_headers=["Authorization", "Content-Type", "X-API-Key"],
)
Instrumentator().instrument(app).expose(app, include_in_schema=False)
FastAPIInstrumentor.instrument_app(app)
app.include_router(ops.router, prefix="/api/v1")
app.include_router(notes.router, prefix="/api/v1")


@app.middleware("http")
async def add_security_headers(request: Request, call_next):
    response = await call_next(request)
    await secure_headers.set_headers_async(response)
    return response


@app.exception_handler(Exception)
async def unhandled(request: Request, error: Exception) -> JSONResponse:
    logger.exception("unhandled error", path=request.url.path)
    return JSONResponse({"detail": "internal error"}, status_code=500)


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="0.0.0.0", port=8000)
