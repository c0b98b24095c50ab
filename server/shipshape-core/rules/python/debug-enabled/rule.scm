;; priority = "high"
;; category = "security"
;; summary = "Debug mode is switched on in application code."
;; message = "Debug mode is on: tracebacks, settings and (for Flask/Werkzeug) an interactive console are exposed to anyone who triggers an error; read it from the environment."
;; equivalents = ["S201"]
;; docs = '''
;; ## What it finds
;; - `FastAPI(debug=True)`, `Starlette(debug=True)`, `app.run(debug=True)` (Flask, Dash's
;;   `run_server`), `uvicorn.run(debug=True)`;
;; - `app.debug = True` on an application object (a name containing `app`);
;; - `app.config["DEBUG"] = True`;
;; - Django `DEBUG = True` at module level of a settings module: a file named `settings.py`, a
;;   module of a `settings/` package, or a module defining `INSTALLED_APPS`. Development
;;   settings modules (`dev.py`, `development.py`, `local.py`, `test.py`, `ci.py`, `dev_*`,
;;   `local_*`) are meant to have it and are skipped, as are tests.
;;
;; ## Why it matters in production
;; Debug mode returns full tracebacks with local variables and settings to the client; Flask's
;; debugger also runs arbitrary Python for whoever reaches it. Django's `DEBUG = True` keeps
;; every SQL query in memory and shows settings on error pages.
;;
;; ## Example
;; ```python
;; app = FastAPI(debug=True)
;; ```
;;
;; ## Fix
;; ```python
;; import os
;;
;; app = FastAPI(debug=os.environ.get("DEBUG", "false").lower() == "true")
;; ```
;; The quick fix reads the flag from the `DEBUG` environment variable, off unless it is set
;; to `true`, adding `import os`. It is **unsafe**: local development loses debug mode until
;; `DEBUG=true` is set there.
;;
;; ## References
;; - Flask, "Debug Mode": https://flask.palletsprojects.com/en/latest/debugging/
;; - Django deployment checklist, `DEBUG`: https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug
;; - bandit B201 (flask_debug_true)
;; '''
;;
;; [fix]
;; title = "Read debug mode from the DEBUG environment variable"
;; safe = false
;; edits = [{ capture = "value", replace = 'os.environ.get("DEBUG", "false").lower() == "true"' }]
;; imports = ["os"]
; Tests are never production: no pattern reports in them.
; An application built, or a server started, with `debug=True`.
(call
  function: (_) @function
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @key (#eq? @key "debug")
      value: (_) @value (#flows-from? @value "^True$")) @finding)
  (#resolves-to-matches? @function "^(flask[.]Flask|quart[.]Quart|uvicorn[.]run)$|(^|[.])(FastAPI|Starlette)$")
  (#not-test-path?))

; `app.run(debug=True)`, `app.run_server(debug=True)` on any application object.
(call
  function: (attribute) @function
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @key (#eq? @key "debug")
      value: (_) @value (#flows-from? @value "^True$")) @finding)
  (#resolves-to-matches? @function "[.](run|run_server)$")
  (#not-test-path?))

; `app.debug = True` on an object named like an application.
(assignment
  left: (attribute
    object: (identifier) @object (#match? @object "[aA][pP][pP]")
    attribute: (identifier) @key (#eq? @key "debug"))
  right: (_) @value (#flows-from? @value "^True$")
  (#not-test-path?)) @finding

; `app.config["DEBUG"] = True`.
(assignment
  left: (subscript
    value: (attribute attribute: (identifier) @config (#eq? @config "config"))
    subscript: (string (string_content) @key (#eq? @key "DEBUG")))
  right: (_) @value (#flows-from? @value "^True$")
  (#not-test-path?)) @finding

; `DEBUG = True` at the top of a Django settings module.
(module
  (expression_statement
    (assignment
      left: (identifier) @setting (#eq? @setting "DEBUG")
      right: (_) @value (#flows-from? @value "^True$")) @finding)
  (#django-settings-module?)
  (#not-test-path?))
