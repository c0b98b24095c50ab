;; priority = "critical"
;; category = "security"
;; summary = "A secret written in the source code."
;; message = "A secret is written in the source; read it from the environment."
;; equivalents = ["S105", "S106", "S107"]
;; docs = '''
;; ## What it finds
;; - a string literal assigned to a secret-like name — a variable, attribute, keyword
;;   argument, default argument, class field, dict key or `config["..."]` key; for a keyword
;;   argument or dict key, also a name the literal alone flows into (`password=pw` after
;;   `pw = "..."` in the function, or a module-level `pw = "..."`);
;; - a connection URL with a password (`postgresql://app:s3cr3t@db.internal/app`) passed to a
;;   database, cache or broker client (`create_engine`, `create_async_engine`, `psycopg.connect`,
;;   `asyncpg.create_pool`, `redis.from_url`, `MongoClient`, `pika.URLParameters`, ...), directly
;;   or through local dataflow (`url = "..."` before `create_engine(url)`, a module constant,
;;   `+` and f-strings); not for a local host (`localhost`, `127.0.0.1`) or a placeholder
;;   password (`user:password`, `guest:guest`, `{password}`);
;; - any string literal with a well-known key format: AWS `AKIA…`, OpenAI `sk-…`/`sk-proj-…`,
;;   Anthropic `sk-ant-…`, GitHub `ghp_…`/`github_pat_…`, Slack `xox?-…`, Groq `gsk_…`,
;;   Google `AIza…`, Stripe `sk_live_…`, PEM private key headers.
;;
;; **Secret-like names** are split into words (`SECRET_KEY` → secret key, `apiKey` → api key).
;; The name is secret-like when it has one of the words `secret`, `password`, `passwd`,
;; `passphrase`, `token`, `credentials`, `apikey` or the pairs `api key`, `private key`,
;; `access key`, `secret key`, `signing key`, followed by nothing but `key`/`value`-like words.
;; So `token_url`, `token_type`, `password_field`, `TOKEN_EXPIRE_MINUTES`, `max_tokens` and
;; `SECRET_KEY_FALLBACKS` are not secrets.
;;
;; **Placeholders are not reported.** A value is a placeholder when it is shorter than 4
;; characters; contains whitespace (a message or a label); equals the name it is assigned to
;; (`token = "token"`); is a known filler (`changeme`, `secret`, `password`, `dev`, `test`,
;; `dummy`, `example`, `string`, ...); contains a marker (`your`, `change_me`, `replace`,
;; `example`, `placeholder`, `xxxx`, `****`, `<`); is `${...}`/`{{...}}`; repeats one
;; character; is an upper-case environment variable name (`"OPENAI_API_KEY"`); is a URL or
;; path; is a flag (`true`, `yes`, `enabled`); names a secret itself (`"csrftoken"`,
;; `"Access-Control-Allow-Credentials"`, a config key such as `"audio.tts.openai.api_key"`).
;; Names with `hash`/`hashed`, `fake`, `dummy`, `example`, `sample`, `mock` or `test` are not
;; secrets (a password hash is meant to be stored). Key-format literals count as placeholders when they carry such a marker or their body
;; uses fewer than six distinct characters (`sk-xxxxxxxx…`).
;;
;; Not reported: tests; example data (`example=`, `examples=`, `json_schema_extra`); defaults
;; of environment lookups (`os.getenv("X", "changeme")` is `empty-secret-default`'s
;; business); placeholder defaults of settings classes (also `empty-secret-default`).
;;
;; ## Why it matters in production
;; A secret in the source is in every clone, fork, CI log and container image of the
;; repository, forever (git history keeps it). It cannot be rotated without a deploy, and
;; every environment shares it.
;;
;; ## Example
;; ```python
;; SECRET_KEY = "9f2c1e7b4d8a6f3e0c5b1a2d7e4f8c9b"
;; client = OpenAI(api_key="sk-proj-4hT9dk2LmQz8Rw1xVb7NcY3e")
;; ```
;;
;; ## Fix
;; ```python
;; import os
;;
;; SECRET_KEY = os.environ["SECRET_KEY"]
;; client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
;; ```
;; The quick fix reads the value from the environment (`os.environ["NAME"]`, the name from the
;; variable or the key format, adding `import os`); for a pydantic `BaseSettings` field it drops
;; the default so the field is required. It is **unsafe**: the program now fails at start when
;; the variable is not set — set it everywhere first. Rotate the leaked secret either way. PEM
;; keys get no fix.
;;
;; ## References
;; - OWASP, "Use of hard-coded password" (CWE-798)
;; - ruff S105/S106/S107; gitleaks and GitHub secret scanning key formats
;; '''
;;
;; [fix]
;; title = "Read the secret from the environment"
;; safe = false
(assignment
  left: [(identifier) (attribute)] @name
  right: [(string) (concatenated_string)] @value)

(assignment
  left: (subscript subscript: (string) @name)
  right: [(string) (concatenated_string)] @value)

(keyword_argument
  name: (identifier) @name
  value: [(string) (concatenated_string)] @value)

; A name a literal flows into (the hook follows it): only under names that
; may be secrets, so that every other keyword argument never reaches it.
(keyword_argument
  name: (identifier) @name (#match? @name "(?i)secret|passw|pwd|passphrase|token|credential|key")
  value: (identifier) @value)

(default_parameter
  name: (identifier) @name
  value: [(string) (concatenated_string)] @value)

(typed_default_parameter
  name: (identifier) @name
  value: [(string) (concatenated_string)] @value)

(pair
  key: (string) @name
  value: [(string) (concatenated_string)] @value)

(pair
  key: (string) @name (#match? @name "(?i)secret|passw|pwd|passphrase|token|credential|key")
  value: (identifier) @value)

(string) @literal

; A connection URL carrying a password (the hook follows the first argument
; through local dataflow to the string that holds the URL).
(call
  function: [(identifier) (attribute)] @connect
  arguments: (argument_list . (_) @url)
  (#resolves-to? @connect
    "sqlalchemy.create_engine" "sqlalchemy.engine.create_engine"
    "sqlalchemy.ext.asyncio.create_async_engine" "sqlmodel.create_engine"
    "databases.Database" "psycopg.connect" "psycopg.AsyncConnection.connect"
    "psycopg2.connect" "asyncpg.connect" "asyncpg.create_pool"
    "redis.from_url" "redis.Redis.from_url" "redis.StrictRedis.from_url"
    "redis.asyncio.from_url" "redis.asyncio.Redis.from_url"
    "pymongo.MongoClient" "motor.motor_asyncio.AsyncIOMotorClient"
    "pika.URLParameters" "aio_pika.connect" "aio_pika.connect_robust"))
