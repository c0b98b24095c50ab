from fastapi import APIRouter, Depends
from sqlmodel import Session, select

from app.db import get_session
from app.models import Chunk, Document

router = APIRouter()


@router.get("/library/{owner_id}")
def library(owner_id: int, session: Session = Depends(get_session)) -> list[Document]:
    statement = select(Document).where(Document.owner_id == owner_id, Document.archived == False)  # noqa: E712
    return list(session.exec(statement))


@router.get("/library/by-checksum/{checksum}")
def by_checksum(checksum: str, session: Session = Depends(get_session)) -> Document | None:
    return session.query(Document).filter_by(checksum=checksum).first()


@router.get("/library/{document_id}/chunks")
def chunks(document_id: int, session: Session = Depends(get_session)) -> list[str]:
    statement = (
        select(Chunk)
        .where(Chunk.document_id == document_id)
        .where(Chunk.position >= 0)
        .order_by(Chunk.position)
    )
    return [chunk.body for chunk in session.scalars(statement)]


@router.get("/library/recent")
def recent(session: Session = Depends(get_session)) -> list[Document]:
    statement = select(Document).where(
        Document.created_at > datetime_floor(), Document.collection == "default", Document.status == "ready"
    )
    return list(session.exec(statement))


def datetime_floor():
    from datetime import datetime, timedelta

    return datetime.now() - timedelta(days=7)


@router.get("/library/search")
def search(q: str, session: Session = Depends(get_session)) -> list[Document]:
    # A pattern with a leading wildcard: no plain index on `title` serves it.
    statement = select(Document).where(Document.title.ilike(f"%{q}%"))
    return list(session.exec(statement))


@router.get("/library/recent/titled")
def recent_titled(title: str, session: Session = Depends(get_session)) -> list[Document]:
    # Served by the index on `created_at`; `title` only narrows those rows.
    statement = select(Document).where(Document.created_at > datetime_floor(), Document.title == title)
    return list(session.exec(statement))
