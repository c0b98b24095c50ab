;; priority = "high"
;; category = "performance"
;; summary = "`--reload`/`--debug` development flags in a `Procfile` process."
;; message = "The `${process}` process starts its server with `${flag}`: a development mode with a file watcher and a single worker (and, for Flask, the interactive debugger); remove it outside development."
;; docs = '''
;; ## What it finds
;; `--reload` (and `--reload-dir`, ...) for uvicorn, gunicorn, hypercorn or granian, and
;; `flask run --debug`/`--reload`, in a process of the project's `Procfile` (also inside
;; `sh -c "..."`; a process type written twice counts as its last line, the one the platform
;; runs). Only the file named `Procfile` is read: `Procfile.dev` and
;; `Procfile.windows` are for a developer's machine.
;;
;; ## Why it matters in production
;; The platform runs the `Procfile` as written. Reload mode watches files and runs a single
;; worker that restarts on every change; Flask's debug mode exposes the Werkzeug debugger,
;; which runs arbitrary code for anyone who reaches it.
;;
;; ## Example
;; ```
;; web: uvicorn app.main:app --host 0.0.0.0 --port $PORT --reload
;; ```
;;
;; ## Fix
;; ```
;; web: uvicorn app.main:app --host 0.0.0.0 --port $PORT
;; ```
;; Keep reloading in a `Procfile.dev`. The quick fix deletes the flags (with the values of
;; those that take one, `--reload-dir src`). It is safe: only hot reloading stops.
;;
;; ## References
;; - Uvicorn docs, "Deployment": https://www.uvicorn.org/deployment/
;; - Heroku Dev Center, "The Procfile": https://devcenter.heroku.com/articles/procfile
;; '''
;;
;; [fix]
;; title = "Remove the development flag"
;; safe = true
