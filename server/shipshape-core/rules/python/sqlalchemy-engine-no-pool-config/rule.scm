;; priority = "critical"
;; category = "reliability"
;; summary = "A database engine with no connection-pool settings."
;; message = "This engine has no pool settings: stale connections fail the first request after the database restarts or a proxy drops them; add `pool_pre_ping=True` and size the pool."
;; docs = '''
;; ## What it finds
;; `create_engine(...)` / `create_async_engine(...)` (SQLAlchemy, SQLModel) whose URL is not
;; SQLite, with none of `pool_pre_ping`, `pool_size`, `max_overflow`, `pool_recycle`,
;; `poolclass` or `creator`. A URL that is a literal, a module constant or any expression
;; mentioning `sqlite` counts as SQLite. Calls passing `**kwargs` and tests are skipped.
;;
;; ## Why it matters in production
;; Without `pool_pre_ping`, a connection that the database, a proxy (PgBouncer, a cloud load
;; balancer) or a firewall closed is handed to a request, which fails with
;; "server closed the connection unexpectedly". Without `pool_recycle`, connections outlive
;; server-side idle timeouts (MySQL's `wait_timeout`). Unsized pools hide how many
;; connections each worker opens against the database's limit.
;;
;; ## Example
;; ```python
;; engine = create_engine(settings.database_url)
;; ```
;;
;; ## Fix
;; ```python
;; engine = create_engine(
;;     settings.database_url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_recycle=3600
;; )
;; ```
;; The quick fix adds `pool_pre_ping=True, pool_size=5, max_overflow=10, pool_recycle=3600`.
;; It is safe: `pool_size=5` and `max_overflow=10` are SQLAlchemy's defaults written out, pre-ping
;; only checks a connection before use, and recycling after an hour replaces connections
;; transparently. Tune the sizes to your database's connection limit divided by your workers.
;;
;; ## References
;; - SQLAlchemy, "Dealing with Disconnects": https://docs.sqlalchemy.org/en/20/core/pooling.html#dealing-with-disconnects
;; - SQLAlchemy, "Setting Pool Recycle"
;; '''
;;
;; [fix]
;; title = "Add pool_pre_ping and pool sizing"
;; safe = true
;; edits = [{ capture = "arguments", append_arguments = ["pool_pre_ping=True", "pool_size=5", "max_overflow=10", "pool_recycle=3600"] }]
; An engine of a database server (its URL, the first argument or `url=`,
; does not say SQLite, which has no pool to configure) built without any
; pool setting and without `**kwargs` that may hold one, outside tests.

; The URL as the first argument.
(call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list . (_) @url) @arguments
  (#resolves-to? @function
    "sqlalchemy.create_engine" "sqlalchemy.engine.create_engine"
    "sqlalchemy.ext.asyncio.create_async_engine" "sqlmodel.create_engine")
  (#not-is-kind? @url "keyword_argument")
  (#not-has-kwarg? @arguments "pool_pre_ping" "pool_size" "max_overflow" "pool_recycle" "poolclass" "creator")
  (#not-match? @url "[sS][qQ][lL][iI][tT][eE]")
  (#not-string-matches? @url "^sqlite")
  (#not-test-path?)) @finding

; The URL as `url=`, the first keyword argument.
(call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list
    .
    (keyword_argument
      name: (identifier) @key (#eq? @key "url")
      value: (_) @url)) @arguments
  (#resolves-to? @function
    "sqlalchemy.create_engine" "sqlalchemy.engine.create_engine"
    "sqlalchemy.ext.asyncio.create_async_engine" "sqlmodel.create_engine")
  (#not-has-kwarg? @arguments "pool_pre_ping" "pool_size" "max_overflow" "pool_recycle" "poolclass" "creator")
  (#not-match? @url "[sS][qQ][lL][iI][tT][eE]")
  (#not-string-matches? @url "^sqlite")
  (#not-test-path?)) @finding

; The URL as `url=` after other keyword arguments.
(call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list
    .
    (keyword_argument)
    (keyword_argument
      name: (identifier) @key (#eq? @key "url")
      value: (_) @url)) @arguments
  (#resolves-to? @function
    "sqlalchemy.create_engine" "sqlalchemy.engine.create_engine"
    "sqlalchemy.ext.asyncio.create_async_engine" "sqlmodel.create_engine")
  (#not-has-kwarg? @arguments "pool_pre_ping" "pool_size" "max_overflow" "pool_recycle" "poolclass" "creator")
  (#not-match? @url "[sS][qQ][lL][iI][tT][eE]")
  (#not-string-matches? @url "^sqlite")
  (#not-test-path?)) @finding
