from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlmodel import Field, SQLModel


class Document(SQLModel, table=True):
    __table_args__ = (Index("ix_document_collection_status", "collection", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    # expect: db-filter-column-without-index
    owner_id: int = Field(foreign_key="user.id")
    title: str
    checksum: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=datetime.now, index=True)
    # expect: db-filter-column-without-index
    archived: bool = False
    collection: str
    status: str


class Base(DeclarativeBase):
    pass


class Chunk(Base):
    __tablename__ = "chunks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Indexed by the migration.
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    position: Mapped[int]
    body: Mapped[str] = mapped_column(Text)


Index("ix_chunks_position", Chunk.position)
