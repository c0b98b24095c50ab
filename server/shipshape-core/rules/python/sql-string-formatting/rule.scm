;; priority = "critical"
;; category = "security"
;; summary = "SQL built by string formatting and executed."
;; message = "SQL built with string formatting can be injected; pass the values as bound parameters."
;; equivalents = ["S608"]
;; docs = '''
;; ## What it finds
;; The SQL argument of `execute`, `executemany`, `executescript`, `exec_driver_sql`, `raw`,
;; asyncpg's `fetch`/`fetchrow`/`fetchval`, or SQLAlchemy `text(...)`, built with an f-string
;; with interpolations, `.format(...)`, `%`, `+` or `"...".join(...)` — directly or through
;; local dataflow: variables assigned (or added to with `+=`) earlier in the same function or
;; block, and module-level assignments. The text must look like SQL (`SELECT ... FROM`,
;; `WHERE`, `INSERT INTO`, ...).
;;
;; Not reported, because what is formatted in is the statement's structure rather than
;; user input: interpolating only upper-case constants (`TABLE`), numbers, `int(...)`/`len(...)`,
;; names of structure (`table_name`, `columns`, `placeholders`, `where`, `vector_length`, ...), or
;; the name of a bound parameter (`:tag_{index}`); statements executed with parameters
;; alongside (`execute(sql, params)`, `execute(sql, name=value)`, `text(...).params(...)`;
;; options such as `multi=False` are not parameters); migrations; tests.
;;
;; ## Why it matters in production
;; Any value that reaches the string can change the statement: read other users' rows, drop
;; tables, bypass logins. Escaping by hand fails on quotes, encodings and types.
;;
;; ## Example
;; ```python
;; cursor.execute(f"SELECT * FROM users WHERE email = '{email}'")
;; ```
;;
;; ## Fix
;; ```python
;; cursor.execute("SELECT * FROM users WHERE email = %s", (email,))
;; # SQLAlchemy
;; session.execute(text("SELECT * FROM users WHERE email = :email"), {"email": email})
;; ```
;; No quick fix: the placeholder style depends on the driver.
;;
;; ## References
;; - OWASP, "SQL Injection Prevention Cheat Sheet"
;; - ruff S608, bandit B608
;; '''
; The first argument of a statement-running method (`execute`, `raw`,
; `fetch`, ...) or of SQLAlchemy's `text(...)`, when SQL is built from
; values into it (directly or through local variables and module
; constants) and the call binds no parameters beside it (values passed
; alongside mean what is formatted in is the statement's structure;
; options such as `multi=False` are not values), and no enclosing
; `.params(...)`/`.bindparams(...)` gives the statement its parameters.
; Not in tests, nor in migrations (`migrations/`, `alembic/`), which
; splice table names, not input.

((call
  function: (attribute attribute: (identifier) @method)
  arguments: (argument_list . (_) @finding) @arguments) @call
  (#any-of? @method "execute" "executemany" "executescript" "exec_driver_sql" "raw" "fetch" "fetchrow" "fetchval")
  (#not-is-kind? @finding "keyword_argument")
  (#not-binds-parameters? @arguments)
  (#not-ancestor-matches? @call "attribute" "[.]\\s*(params|bindparams)$")
  (#not-test-path?)
  (#not-path-matches? "(^|/)(migrations|alembic)(/|$)")
  (#builds-sql? @finding))

((call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list . (_) @finding) @arguments) @call
  (#resolves-to? @function "sqlalchemy.text" "sqlalchemy.sql.text" "sqlalchemy.sql.expression.text" "sqlmodel.text")
  (#not-is-kind? @finding "keyword_argument")
  (#not-binds-parameters? @arguments)
  (#not-ancestor-matches? @call "attribute" "[.]\\s*(params|bindparams)$")
  (#not-test-path?)
  (#not-path-matches? "(^|/)(migrations|alembic)(/|$)")
  (#builds-sql? @finding))
