;; priority = "high"
;; category = "data-safety"
;; summary = "SQLite is the database of a deployed service."
;; message = "SQLite as the database of a deployed service: one writer at a time (requests queue or fail with `database is locked` under load), one file in the container's filesystem (gone on redeploy unless a volume is mounted) and no second replica. Use PostgreSQL in production, or mount a volume and run exactly one instance."
;; docs = '''
;; ## What it finds
;; In a service project (a web framework, a Dockerfile or a deploy config), outside tests,
;; scripts and migrations:
;; - a SQLite database URL written in code — a settings default, a constant or an engine's
;;   argument: `"sqlite:///./app.db"`, `f"sqlite+aiosqlite:///{path}"`, Celery's
;;   `"db+sqlite:///results.db"`;
;; - a LangGraph SQLite checkpointer (`SqliteSaver`, `AsyncSqliteSaver`) holding the
;;   conversation state.
;;
;; In-memory databases (`sqlite://`, `sqlite:///:memory:`) and the bare prefix in a comparison
;; (`url.startswith("sqlite:///")`) are not reported.
;;
;; ## Why it matters in production
;; SQLite is an excellent embedded database and a poor shared one. It allows one writer at a
;; time: concurrent requests wait on the file lock and fail with `database is locked` once
;; the busy timeout passes. Its data is a file on the container's disk: on Railway, Fly,
;; Render or Kubernetes that disk is replaced on every deployment unless a volume is
;; mounted, so every conversation and user is lost silently. And a second replica gets its
;; own empty file, so the service cannot scale out or deploy without downtime.
;;
;; ## Example
;; ```python
;; class Settings(BaseSettings):
;;     database_url: str = "sqlite:///./data/app.db"
;; ```
;;
;; ## Fix
;; ```python
;; class Settings(BaseSettings):
;;     database_url: PostgresDsn  # DATABASE_URL, from the platform's managed PostgreSQL
;; ```
;; For LangGraph, `langgraph-checkpoint-postgres` (`AsyncPostgresSaver`) keeps the state in
;; the same database. If SQLite stays (a single-instance tool), mount a persistent volume at
;; the database's folder, run one replica, enable WAL (`PRAGMA journal_mode=WAL`) and back the
;; file up; then suppress the finding with that reason. There is no quick fix.
;;
;; ## References
;; - SQLite, "Appropriate Uses For SQLite": https://www.sqlite.org/whentouse.html
;; - Railway docs, "Volumes": https://docs.railway.com/reference/volumes
;; - LangGraph, "Persistence" (checkpointer libraries): https://langchain-ai.github.io/langgraph/concepts/persistence/
;; '''
((string) @finding
  (#match? @finding "^[rRbBuUfF]*(\"|')+([a-z]+\\+)?sqlite(\\+[a-z0-9_]+)?:///[^\"'\\s]")
  (#not-match? @finding ":memory:")
  (#not-has-parent? @finding "comparison_operator" "expression_statement")
  (#service-project?)
  (#not-test-path?)
  (#not-script-path?)
  (#not-path-matches? "(^|/)(migrations|alembic)/"))

(call
  function: (_) @finding
  (#resolves-to? @finding
    "langgraph.checkpoint.sqlite.SqliteSaver" "langgraph.checkpoint.sqlite.SqliteSaver.*"
    "langgraph.checkpoint.sqlite.aio.AsyncSqliteSaver" "langgraph.checkpoint.sqlite.aio.AsyncSqliteSaver.*")
  (#service-project?)
  (#not-test-path?)
  (#not-script-path?))
