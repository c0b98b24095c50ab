;; priority = "high"
;; category = "security"
;; summary = "A service with no `.gitignore`."
;; message = "The project has no `.gitignore`: `.env` files, virtual environments and caches end up in commits."
;; docs = """
;; ## What it finds
;; A service project with no `.gitignore` at its root (nor in the repository above it). Reported on
;; the `[project]` table of `pyproject.toml`, else the first line of `requirements.txt`, else the
;; app creation.
;;
;; ## Why it matters in production
;; Without one, the first `git add .` commits `.env` secrets, `.venv` and `__pycache__`.
;;
;; ## Example
;; A folder with `pyproject.toml`, `app/` and `.env`, and no `.gitignore`.
;;
;; ## Fix
;; The quick fix creates a `.gitignore` with the Python and environment-file defaults (`.env`,
;; `.env.*` but not `.env.example`, `__pycache__/`, `.venv/`, caches). It is safe: it only adds a
;; file.
;;
;; ## References
;; - github/gitignore, `Python.gitignore`
;; """
;;
;; [fix]
;; title = "Create a `.gitignore` for a Python service"
;; safe = true
