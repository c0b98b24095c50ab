"""A retrieval API: documents in Postgres, their vectors in Qdrant."""

from fastapi import FastAPI

from app.routers import documents, library, ops

# expect: cors-not-configured, missing-rate-limiting, missing-authentication, missing-exception-handler, missing-request-id, missing-security-headers, unstructured-logging, metrics-missing, tracing-missing
app = FastAPI(title="Documents")
app.include_router(ops.router)
app.include_router(documents.router, prefix="/documents")
app.include_router(library.router)
