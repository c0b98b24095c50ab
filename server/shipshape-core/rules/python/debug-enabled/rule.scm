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
;;   `local_*`) are meant to have it and are skipped, as are tests; so are base settings
;;   modules (`base.py`, `common.py`, `defaults.py`, ...), which production overrides
;;   (`django-base-setting-not-overridden` reports a `DEBUG = True` there that production
;;   keeps);
;; - Django `DEBUG` read from the environment with a default that is on, in the same
;;   settings modules: `env.bool("DJANGO_DEBUG", default=True)`, `config("DEBUG",
;;   default=True, cast=bool)`, `os.environ.get("DEBUG", "True")`, `get_bool_from_env("DEBUG",
;;   True)`, `os.environ.get("DEBUG", "True").lower() == "true"`. A deployment that forgets
;;   the variable runs in debug mode. No quick fix for these: turn the default off, and let
;;   development set the variable.
;;
;; `debug=settings.X`, whose value is defined in another module, is judged by the project rule
;; `setting-default-insecure` (a settings default of `True`).
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
;;
;; [fix.variants.none]
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
; (`#top-level?`, not a pattern rooted at `module`: such a pattern walks every top-level
; statement at every keystroke.)
((expression_statement
    (assignment
      left: (identifier) @setting (#eq? @setting "DEBUG")
      right: (_) @value (#flows-from? @value "^True$")) @finding) @statement
  (#top-level? @statement)
  (#django-settings-module?)
  (#not-test-path?))

; Django's `DEBUG` read from the environment with a default that is on:
; `env.bool("DJANGO_DEBUG", default=True)`, `config("DEBUG", default=True, cast=bool)`.
((expression_statement
    (assignment
      left: (identifier) @setting (#eq? @setting "DEBUG")
      right: (call
        arguments: (argument_list
          . (string (string_content) @variable)
          (keyword_argument
            name: (identifier) @key (#eq? @key "default")
            value: (_) @default))) @finding)) @statement
  (#not-has-ancestor? @statement "function_definition" "class_definition")
  (#match? @default "^(True|1|[\"'](?i:true|1|yes|on)[\"'])$")
  (#django-settings-module?)
  (#not-test-path?)
  (#set! message "`DEBUG` is on unless the environment sets `${variable}`: a deployment that forgets the variable serves tracebacks and settings to anyone who triggers an error; make the default off and let development turn it on.")
  (#set! fix "none"))

; ... with the default as the second argument: `os.environ.get("DEBUG", "True")`,
; `get_bool_from_env("DEBUG", True)`.
((expression_statement
    (assignment
      left: (identifier) @setting (#eq? @setting "DEBUG")
      right: (call
        arguments: (argument_list
          . (string (string_content) @variable)
          . (_) @default)) @finding)) @statement
  (#not-has-ancestor? @statement "function_definition" "class_definition")
  (#match? @default "^(True|1|[\"'](?i:true|1|yes|on)[\"'])$")
  (#django-settings-module?)
  (#not-test-path?)
  (#set! message "`DEBUG` is on unless the environment sets `${variable}`: a deployment that forgets the variable serves tracebacks and settings to anyone who triggers an error; make the default off and let development turn it on.")
  (#set! fix "none"))

; ... compared with the default itself: `os.environ.get("DEBUG", "True") == "True"`.
((expression_statement
    (assignment
      left: (identifier) @setting (#eq? @setting "DEBUG")
      right: (comparison_operator
        (call
          arguments: (argument_list
            . (string (string_content) @variable)
            . (string (string_content) @default)))
        "=="
        (string (string_content) @compared)) @finding)) @statement
  (#not-has-ancestor? @statement "function_definition" "class_definition")
  (#eq? @default @compared)
  (#django-settings-module?)
  (#not-test-path?)
  (#set! message "`DEBUG` is on unless the environment sets `${variable}`: a deployment that forgets the variable serves tracebacks and settings to anyone who triggers an error; make the default off and let development turn it on.")
  (#set! fix "none"))

; ... lower-cased first: `os.environ.get("DEBUG", "True").lower() == "true"`.
((expression_statement
    (assignment
      left: (identifier) @setting (#eq? @setting "DEBUG")
      right: (comparison_operator
        (call
          function: (attribute
            object: (call
              arguments: (argument_list
                . (string (string_content) @variable)
                . (string (string_content) @default)))
            attribute: (identifier) @method (#eq? @method "lower")))
        "=="
        (string (string_content) @compared)) @finding)) @statement
  (#not-has-ancestor? @statement "function_definition" "class_definition")
  (#match? @default "^(?i:true)$")
  (#eq? @compared "true")
  (#django-settings-module?)
  (#not-test-path?)
  (#set! message "`DEBUG` is on unless the environment sets `${variable}`: a deployment that forgets the variable serves tracebacks and settings to anyone who triggers an error; make the default off and let development turn it on.")
  (#set! fix "none"))
