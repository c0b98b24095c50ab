from sqlmodel import select

from app.models import Document


def test_titles(session):
    assert session.exec(select(Document).where(Document.title == "x")).first() is None
