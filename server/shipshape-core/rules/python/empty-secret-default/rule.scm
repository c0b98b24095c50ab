;; priority = "critical"
;; category = "security"
;; summary = "A secret setting that silently falls back to an empty or known value."
;; message = "This secret falls back to a default when the environment does not set it; make it required."
;; docs = '''
;; ## What it finds
;; - `os.getenv("SECRET_KEY", "dev")`, `os.environ.get("API_TOKEN", "")`,
;;   `os.environ.setdefault(...)` with any string-literal default, for a secret-like name;
;;   also python-decouple's `config("SECRET_KEY", default="...")` and django-environ's
;;   `env("DJANGO_SECRET_KEY", default="...")`/`env.str(...)` (on an `environ.Env()`), whose
;;   default is the `default=` keyword (a Django `"django-insecure-..."` key included);
;; - a field of a pydantic settings class (a base named `BaseSettings` or `*Settings`) with a
;;   secret-like name and an empty or placeholder default: `SECRET_KEY: str = ""`,
;;   `Field(default="changeme")`, `Field("")`;
;; - a setting of any name whose default is a **connection URL with a literal password**:
;;   `os.environ.get("DATABASE_URL", "postgres://app:s3cret@db:5432/app")`, django-environ's
;;   `env.db("DATABASE_URL", default="...")` (also `env.db_url`, `env.cache`, `env.cache_url`,
;;   `env.url`, `env.email_url`), `config("DATABASE_URL", default="...")`,
;;   `dj_database_url.config(default="...")` and a settings class field such as
;;   `database_url: str = "postgresql://user:pass@localhost/db"`. The URL is read as
;;   `compose-hardcoded-secret` reads it: a URL without a password (`postgres://db/app`), with
;;   an interpolated one (`postgres://app:${DB_PASSWORD}@db/app`), SQLite URLs and the
;;   templates of tutorials (`postgres://user:pass@host:port/dbname`: host `host`, a port that
;;   is no number) are not reported. A `localhost` URL is reported too when the module runs in production: the
;;   password is still committed, and the same `postgres:postgres` tends to end up on the
;;   server.
;;
;; Secret-like names and placeholders are decided as in `hardcoded-secret` (names split into
;; words: `token_url` or `max_tokens` are not secrets). An **empty** default is reported only
;; for secrets the service signs or checks with — names with `secret`, `signing`, `jwt`,
;; `session`, `encryption`, `hmac` or `salt` (not an OAuth `client_secret`) — and only when the
;; module does not check for the empty value itself (`if not SECRET_KEY: raise ...`). An empty
;; `OPENAI_API_KEY` or `SMTP_PASSWORD` leaves an optional integration unconfigured: the call
;; fails loudly instead of opening a hole. A settings field with a real-looking
;; literal is `hardcoded-secret`'s finding. `Optional[str] = None` is not reported: a missing
;; secret is then visible as `None`, not disguised as a valid one.
;;
;; In Django settings the fallback is reported in the modules that run in production
;; (`settings/production.py`, `settings.py`, `base.py` that the others import), whatever the
;; literal: a `"django-insecure-..."` key or a placeholder such as `"changeme"` is then the key
;; production signs with, and it is in the repository. It is not reported in development, test
;; or CI settings (`settings/local.py`, `settings/dev.py`, `settings/test.py`, ...), which never
;; run in production, nor when the fallback is generated (`get_random_secret_key()`): a new key
;; on every start, not one committed with the code. The same goes for connection URLs: the
;; throwaway `postgres://postgres:postgres@localhost/app` of local and test settings and of
;; tests is not reported.
;;
;; ## Why it matters in production
;; When the variable is missing in one environment, the service starts anyway, signing
;; sessions or tokens with `"dev"` or `""` — values anyone can read in the repository. The
;; mistake shows no error; it is a silent authentication bypass.
;;
;; ## Example
;; ```python
;; SECRET_KEY = os.getenv("SECRET_KEY", "dev-secret")
;;
;; class Settings(BaseSettings):
;;     jwt_secret: str = ""
;; ```
;;
;; ## Fix
;; ```python
;; SECRET_KEY = os.environ["SECRET_KEY"]
;;
;; class Settings(BaseSettings):
;;     jwt_secret: str
;; ```
;; The quick fix makes the setting required: `os.environ["NAME"]` for environment lookups,
;; the `default=` dropped for `config(...)`/`env(...)` (both then fail on a missing variable)
;; and for `dj_database_url.config(...)` (Django then stops on the unconfigured database),
;; the default dropped (or `Field(...)`) for settings fields. It is **unsafe**: the service
;; now refuses to start where the variable is unset, which is the goal but must be rolled out.
;;
;; ## References
;; - OWASP, "Use of hard-coded credentials" (CWE-798), "Insecure default" (CWE-1188)
;; - pydantic-settings, required fields: https://docs.pydantic.dev/latest/concepts/pydantic_settings/
;; '''
;;
;; [fix]
;; title = "Make the secret required"
;; safe = false
(call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list . (string) @name) @arguments) @call

; `dj_database_url.config(default="postgres://...")`: no variable name first.
(call
  function: (attribute) @function
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @keyword
      value: (string))) @arguments
  (#eq? @keyword "default")
  (#resolves-to? @function "dj_database_url.config")) @call

(class_definition
  body: (block
    (expression_statement
      (assignment
        left: (identifier) @name
        type: (_)
        right: (_) @default)) @finding))
