;; priority = "medium"
;; category = "reliability"
;; summary = "A settings class with development defaults and no notion of environment."
;; message = "`${class}` has no notion of environment (development, staging, production), yet its production-only settings default to development values: ${defaults}. A deployment that forgets one variable runs with it. Add an `environment` field and derive these from it, or make the safe value the default."
;; docs = '''
;; ## What it finds
;; A pydantic `BaseSettings` class outside tests where:
;; - a setting that must differ in production defaults to its development value: `debug` or
;;   `reload` = `True`, CORS origins or allowed hosts = `"*"`, a log level of `"DEBUG"`,
;;   secure cookies or `https_only` = `False` (a plain default or `Field(default)`);
;; - and nothing in the project says which environment it runs in: no settings field named
;;   `environment`, `env`, `app_env`, `stage` (or ending in `_environment`, `_env`, `_stage`),
;;   `app_mode`/`run_mode`/`deploy_mode`; no environment variable such as `ENVIRONMENT`,
;;   `APP_ENV`, `FLASK_ENV` or `STAGE` read in code; no per-environment settings classes
;;   (`DevSettings`, `ProductionSettings`, ...).
;;
;; A settings class whose defaults are the production values (`debug: bool = False`) is not
;; reported: its development setup opts in, production cannot forget to opt out.
;;
;; ## Why it matters in production
;; One settings object with development defaults means production is correct only if every
;; production value is set by hand on the platform. The variable that is forgotten — often
;; after a rename, or on the second service — silently keeps the development value: tracebacks
;; in responses, any origin allowed, debug logs with user data, cookies sent over HTTP. An
;; explicit environment lets the settings validate themselves ("in production, `debug` must be
;; off and origins must be listed") and makes the difference between environments reviewable.
;;
;; ## Example
;; ```python
;; class Settings(BaseSettings):
;;     debug: bool = True
;;     cors_origins: list[str] = ["*"]
;; ```
;;
;; ## Fix
;; ```python
;; class Settings(BaseSettings):
;;     environment: Literal["development", "staging", "production"] = "production"
;;     debug: bool = False
;;     cors_origins: list[str] = []
;;
;;     @model_validator(mode="after")
;;     def production_is_strict(self) -> "Settings":
;;         if self.environment == "production" and (self.debug or "*" in self.cors_origins):
;;             raise ValueError("debug and wildcard CORS are not allowed in production")
;;         return self
;; ```
;; No quick fix: which values each environment needs is the team's decision.
;;
;; ## References
;; - The Twelve-Factor App, "Config" and "Dev/prod parity": https://12factor.net/config
;; - pydantic-settings docs: https://docs.pydantic.dev/latest/concepts/pydantic_settings/
;; - FastAPI docs, "Settings and Environment Variables": https://fastapi.tiangolo.com/advanced/settings/
;; '''
