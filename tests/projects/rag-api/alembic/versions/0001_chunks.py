import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "chunks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id")),
        sa.Column("position", sa.Integer()),
        sa.Column("body", sa.Text()),
    )
    op.create_index("ix_chunks_document_id", "chunks", ["document_id"])
