"""The database and the vector store the API answers from."""

from qdrant_client import AsyncQdrantClient
from sqlmodel import Session, create_engine

from app.config import settings

engine = create_engine(settings.database_url, pool_pre_ping=True, pool_size=5, max_overflow=5)
vectors = AsyncQdrantClient(url=settings.qdrant_url, timeout=5)


def get_session():
    with Session(engine) as session:
        yield session
