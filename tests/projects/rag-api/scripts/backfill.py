from sqlmodel import Session, select

from app.db import engine
from app.models import Document

# A one-off script: its lookups are not the service's.
with Session(engine) as session:
    for document in session.exec(select(Document).where(Document.title == "")):
        document.title = "untitled"
