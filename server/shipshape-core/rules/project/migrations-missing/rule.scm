;; priority = "high"
;; category = "data-safety"
;; summary = "ORM models without migrations (Alembic, Django migrations)."
;; message = "`${model}` is a database model but the project has no ${tool}: schema changes will be applied by hand or by `create_all`, which never alters an existing table."
;; docs = """
;; ## What it finds
;; SQLAlchemy or SQLModel models (a class with `__tablename__`, `SQLModel` with `table=True`, Flask
;; `db.Model`) in a project without Alembic (`alembic.ini`, `alembic/env.py`, `migrations/env.py`),
;; and Django models in an app folder without a `migrations/` package. Reported on the first model.
;;
;; ## Why it matters in production
;; `Base.metadata.create_all()` creates missing tables but never adds a column or changes a type:
;; the first schema change after launch is made by hand against production data.
;;
;; ## Example
;; ```python
;; class Note(Base):
;;     __tablename__ = "notes"
;; ```
;;
;; ## Fix
;; Run `alembic init alembic`, point `env.py` at your metadata and create the first revision with
;; `alembic revision --autogenerate`. For Django: `python manage.py makemigrations`. No quick fix.
;;
;; ## References
;; - Alembic tutorial: https://alembic.sqlalchemy.org/en/latest/tutorial.html
;; """
