;; priority = "high"
;; category = "performance"
;; summary = "A development server flag (`--reload`, `flask --debug`, `fastapi dev`) in CMD/ENTRYPOINT."
;; message = "`${flag}` in the image's command runs the development server in production: a file watcher burns CPU, workers restart on file changes and debug mode can expose a debugger; remove it."
;; docs = '''
;; ## What it finds
;; `--reload` (and `--reload-dir`/`--reload-include`/...) given to uvicorn,
;; gunicorn, hypercorn or granian, `flask run --debug`/`--reload`, and
;; `fastapi dev`, in a `CMD` or `ENTRYPOINT` (exec form, shell form, or
;; `sh -c "..."`). Stages named for development (`dev`, `local`, `test`,
;; `debug`) and development Dockerfiles (`Dockerfile.dev`, `.devcontainer/`) are
;; not reported.
;;
;; ## Why it matters in production
;; Reload mode runs a file watcher next to a single worker process: it costs
;; CPU, ignores `--workers`, and restarts the app whenever a file in the image
;; changes. Flask's debug mode serves the interactive Werkzeug debugger, which
;; executes arbitrary code for anyone who can reach it.
;;
;; ## Example
;; ```dockerfile
;; CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--reload"]
;; ```
;;
;; ## Fix
;; ```dockerfile
;; CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
;; ```
;; The quick fix deletes the flags (with a `--reload-dir` its value too) and
;; turns `fastapi dev` into `fastapi run`. It is safe: the server behaves the
;; same apart from no longer reloading; keep reloading in a development stage
;; or a compose override.
;;
;; ## References
;; - Uvicorn docs, "Deployment": `--reload` is for development
;; - Flask docs, "Debug Mode": never enable it when deploying
;; '''
;;
;; [fix]
;; title = "Remove the development server flag"
;; safe = true
[(cmd_instruction) (entrypoint_instruction)] @instruction
