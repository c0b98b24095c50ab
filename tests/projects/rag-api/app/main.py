"""A retrieval API: documents in Postgres, their vectors in Qdrant."""

from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from redis import asyncio as aioredis

from app.config import settings
from app.routers import documents, library, ops


@asynccontextmanager
async def lifespan(app: FastAPI):
    # expect: graceful-shutdown-missing
    app.state.embeddings = httpx.AsyncClient(base_url=settings.qdrant_url, timeout=10)
    app.state.cache = aioredis.from_url(settings.database_url)
    async with httpx.AsyncClient(timeout=5) as warmup:
        await warmup.get("/healthz")
    yield
    await app.state.cache.aclose()


# expect: cors-not-configured, missing-rate-limiting, missing-authentication, missing-exception-handler, missing-request-id, missing-security-headers, unstructured-logging, metrics-missing, tracing-missing, api-not-versioned
app = FastAPI(title="Documents", lifespan=lifespan)
app.include_router(ops.router)
app.include_router(documents.router, prefix="/documents")
app.include_router(library.router)
