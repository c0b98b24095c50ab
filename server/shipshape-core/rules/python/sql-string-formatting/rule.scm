;; priority = "critical"
;; category = "security"
;; summary = "SQL built by string formatting and executed."
;; message = "SQL built with string formatting can be injected; pass the values as bound parameters."
;; equivalents = ["S608"]
;; docs = '''
;; ## What it finds
;; The SQL argument of `execute`, `executemany`, `executescript`, `exec_driver_sql`, `raw`,
;; asyncpg's `fetch`/`fetchrow`/`fetchval`, or SQLAlchemy `text(...)`, built with an f-string
;; with interpolations, `.format(...)`, `%` or `+` — directly or through a variable assigned
;; so earlier in the same function. The text must look like SQL (`SELECT ... FROM`, `WHERE`,
;; `INSERT INTO`, ...).
;;
;; Not reported, because what is formatted in is the statement's structure rather than
;; user input: interpolating only upper-case constants (`TABLE`), numbers, `int(...)`/`len(...)`,
;; names of structure (`table_name`, `columns`, `placeholders`, `where`, `vector_length`, ...), or
;; the name of a bound parameter (`:tag_{index}`); statements executed with parameters
;; alongside (`execute(sql, params)`, `text(...).params(...)`); migrations; tests.
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
(call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list) @arguments) @finding
