;; priority = "low"
;; category = "scalability"
;; summary = "Connection-pool sizes and timeouts written as literals instead of settings."
;; message = "This engine's pool sizes or timeouts are literals in code: matching the pool to the database's connection limit and the number of replicas then takes a release. Read them from settings (`DB_POOL_SIZE`, `DB_MAX_OVERFLOW`, ...)."
;; docs = '''
;; ## What it finds
;; `create_engine(...)` / `create_async_engine(...)` (SQLAlchemy, SQLModel) passing a number
;; literal to `pool_size`, `max_overflow`, `pool_timeout` or `pool_recycle` — one finding per
;; call. Values from settings, the environment or variables, and tests, are not reported.
;;
;; ## Why it matters in production
;; The right pool size depends on where the service runs, not on the code: the database's
;; `max_connections` is shared by every replica (replicas × (`pool_size` + `max_overflow`)
;; must stay below it), and it changes when the service scales out or the database plan
;; changes. A literal pool makes scaling out a code change — or an outage of "too many
;; connections" when someone forgets.
;;
;; ## Example
;; ```python
;; engine = create_async_engine(settings.database_url, pool_size=20, max_overflow=10, pool_pre_ping=True)
;; ```
;;
;; ## Fix
;; ```python
;; engine = create_async_engine(
;;     settings.database_url,
;;     pool_size=settings.db_pool_size,
;;     max_overflow=settings.db_max_overflow,
;;     pool_pre_ping=True,
;; )
;; ```
;; There is no quick fix: the settings object is yours.
;;
;; ## References
;; - SQLAlchemy docs, "Connection Pooling": https://docs.sqlalchemy.org/en/20/core/pooling.html
;; - The Twelve-Factor App, "III. Config": https://12factor.net/config
;; '''
(call
  function: (_) @function @finding
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @key (#any-of? @key "pool_size" "max_overflow" "pool_timeout" "pool_recycle")
      value: [(integer) (float)]))
  (#resolves-to? @function
    "sqlalchemy.create_engine" "sqlalchemy.engine.create_engine"
    "sqlalchemy.ext.asyncio.create_async_engine" "sqlmodel.create_engine")
  (#not-test-path?))
