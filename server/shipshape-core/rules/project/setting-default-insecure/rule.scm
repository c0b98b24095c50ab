;; priority = "high"
;; category = "security"
;; summary = "A switch that must be off in production is given a settings value whose default turns it on."
;; message = "`${keyword}=${written}`: ${origin}, so ${consequence}. Make the safe value the default and let development opt in."
;; docs = """
;; ## What it finds
;; A settings attribute given to a switch that must be off in production, whose definition in
;; another module of the project turns it on by default:
;; - `allow_origins=settings.X` of Starlette/FastAPI's `CORSMiddleware`, where `X` defaults to
;;   `["*"]` or `"*"`;
;; - `debug=settings.X` of `FastAPI`, `Starlette`, `Flask`/`Quart`, `app.run(...)` or
;;   `uvicorn.run(...)`, and `reload=settings.X` of `uvicorn.run(...)`/`uvicorn.Config(...)`,
;;   where `X` defaults to `True`.
;;
;; The value is looked up by attribute name, on an object named as configuration
;; (`settings.X`, `get_settings().X`, `app.state.settings.X`, `config.X`; not `args.debug`),
;; in the project's pydantic `BaseSettings` classes (a field's default,
;; also `Field(default)`) and in the top-level constants of its configuration modules
;; (`config.py`, `settings.py`, `conf.py`): a literal, or `os.getenv("X", default)` /
;; `os.environ.get("X", default)` with a literal default.
;;
;; Conservative: a field or constant without a literal default (read from the environment, a
;; computed property) is not reported, nor is a name whose definitions in the project do not
;; all turn the switch on, nor tests. The production environment may set the variable; the
;; finding says which one, and is `high` rather than `critical` for that reason.
;; `settings-not-environment-aware` reports the settings class itself; this rule reports
;; where the default takes effect.
;;
;; ## Why it matters in production
;; A default is what production gets the day a variable is forgotten, renamed or set on one
;; service and not the next. A default of every origin lets any website call the API with a
;; user's browser; a default of debug mode returns tracebacks and settings to whoever triggers
;; an error; the reloader watches the file system and restarts the server in production.
;;
;; ## Example
;; ```python
;; # app/config.py
;; class Settings(BaseSettings):
;;     CORS_ORIGINS: list[str] = ["*"]
;;
;; # app/main.py
;; app.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS)
;; ```
;;
;; ## Fix
;; ```python
;; class Settings(BaseSettings):
;;     CORS_ORIGINS: list[str] = []  # development sets CORS_ORIGINS=["http://localhost:5173"]
;; ```
;; No quick fix: the safe default lives in another file, and development must then set the
;; variable.
;;
;; ## References
;; - The Twelve-Factor App, "Config": https://12factor.net/config
;; - Starlette, "CORSMiddleware": https://www.starlette.io/middleware/#corsmiddleware
;; - pydantic-settings docs: https://docs.pydantic.dev/latest/concepts/pydantic_settings/
;; """
