;; priority = "high"
;; category = "documentation"
;; summary = "The project reads environment variables but has no `.env.example`."
;; message = "The project reads ${count} environment variable(s) but has no `.env.example` (or `.env.sample`/`.env.template`): whoever deploys it has to read the code to learn what to set."
;; docs = """
;; ## What it finds
;; A service (or a project with a `.env`) that uses environment variables — keys of `.env`, fields
;; of pydantic `BaseSettings` classes (with their `env_prefix`), `os.getenv`/`os.environ` reads,
;; `${VAR}` in compose files — and has no example env file at its root, nor in a folder above it up
;; to the repository's root (a monorepo's services share the root's `.env.example`).
;;
;; ## Why it matters in production
;; The first deploy fails on a missing variable, or worse, starts with a default that was meant for
;; development. An example file is the contract between the code and the platform's settings.
;;
;; ## Example
;; `app/config.py` has `class Settings(BaseSettings): database_url: str`, and the root has only
;; `.env`.
;;
;; ## Fix
;; ```
;; # .env.example
;; DATABASE_URL=
;; ```
;; The quick fix creates `.env.example` with every variable the project uses and blank values. It
;; is safe: it only adds a file, and copies no value from `.env`.
;;
;; ## References
;; - The Twelve-Factor App, III. Config
;; """
;;
;; [fix]
;; title = "Create `.env.example` with every variable"
;; safe = true
