;; priority = "high"
;; category = "performance"
;; summary = "A model column that queries filter on, with no index."
;; message = "`${model}.${column}` has no index${foreign}, yet queries look rows up by it (${lookups}): each of those scans the whole table, and gets slower as it grows. Add `index=True` (or an `Index(...)` in `__table_args__`) and a migration that creates it."
;; docs = """
;; ## What it finds
;; A column of a SQLAlchemy or SQLModel model (`Column(...)`, `mapped_column(...)`,
;; `Mapped[...]`, SQLModel fields of a `table=True` class) that the service's code compares
;; in a query — `select(Note).where(Note.created_at < cutoff)`,
;; `session.query(Note).filter(Note.archived == False)`, `.filter_by(archived=False)` on
;; `query(Note)`, `select(Note)` or Flask-SQLAlchemy's `Note.query` — and that has no index:
;; not `index=True`, `unique=True` or `primary_key=True` (also in a nested
;; `sa_column=Column(...)`), not in an `Index`, `UniqueConstraint` or `PrimaryKeyConstraint` of
;; `__table_args__` nor of a module-level `Index("ix", Note.created_at)`, and not indexed by an
;; Alembic migration (`op.create_index("ix", "notes", ["created_at"])`, an indexed or unique
;; column or a constraint of `op.create_table`). The finding points at the column's
;; declaration and lists every lookup as a related place.
;;
;; Only comparisons an index could serve count: `==`, `<`, `>`, `<=`, `>=` against a
;; value, `in_`, `between`, `like`/`ilike` with a fixed prefix, a boolean column alone.
;; Not counted: a column compared with another column of the same row
;; (`Credit.amount > Credit.used`), inside arithmetic or a function
;; (`Tx.created_at + Account.delay <= func.now()`, `func.lower(User.email)`), null checks
;; (`is_(None)`), `!=`, and patterns with a leading wildcard (`ilike(f"%{q}%")`). A query
;; that also looks rows up by an indexed column of the same model, in the same function, is
;; served by that index and is not counted either (`where(Order.org_id == o, Order.status == s)`).
;;
;; A foreign key is reported too: PostgreSQL and SQLite do not index foreign keys by
;; themselves; MySQL (InnoDB) does, so in a project that talks to MySQL they count as indexed.
;; Lookups in tests, migrations and scripts are not counted. A column the model inherits
;; (from a mixin or a non-table SQLModel base) is not judged, nor are Django models (whose
;; foreign keys are indexed by default).
;;
;; ## Why it matters in production
;; Without an index, every one of those queries reads the whole table. With a hundred rows
;; in development it takes a millisecond; with a few million rows in production it takes
;; seconds, holds a connection of the pool the whole time and competes with every other
;; query for the disk. Listing a user's documents by `owner_id`, expiring old messages by
;; `created_at` or filtering `archived` rows are the lookups that turn into timeouts first.
;;
;; ## Example
;; ```python
;; class Message(SQLModel, table=True):
;;     id: int | None = Field(default=None, primary_key=True)
;;     created_at: datetime
;;
;; session.exec(select(Message).where(Message.created_at < cutoff))
;; ```
;;
;; ## Fix
;; ```python
;; class Message(SQLModel, table=True):
;;     id: int | None = Field(default=None, primary_key=True)
;;     created_at: datetime = Field(index=True)
;; ```
;; and generate the migration (`alembic revision --autogenerate`), created `CONCURRENTLY` on a
;; large PostgreSQL table. For lookups on several columns at once, one composite index
;; (`Index("ix_message_owner_created", "owner_id", "created_at")`) serves them. A boolean
;; with few distinct values is better served by a partial index (`postgresql_where=`) or
;; by being the second column of a composite one. There is no quick fix: an index is a schema
;; change that needs a migration.
;;
;; ## References
;; - SQLAlchemy, "Indexes": https://docs.sqlalchemy.org/en/20/core/constraints.html#indexes
;; - SQLModel, "Indexes - Optimize Queries": https://sqlmodel.tiangolo.com/tutorial/indexes/
;; - PostgreSQL, "Indexes": https://www.postgresql.org/docs/current/indexes.html
;; - Use The Index, Luke: https://use-the-index-luke.com/
;; """
