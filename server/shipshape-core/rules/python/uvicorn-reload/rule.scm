;; priority = "high"
;; category = "performance"
;; summary = "`uvicorn.run(..., reload=True)` in application code."
;; message = "`reload=True` runs a file watcher and a single worker process meant for development; remove it from code that runs in production."
;; docs = '''
;; ## What it finds
;; `uvicorn.run(..., reload=True)` (also with `workers=`, which reload silently overrides),
;; whatever the import. Scripts folders and tests are skipped; `reload=settings.debug` is not
;; reported here: the project rule `setting-default-insecure` reports it when the setting
;; defaults to `True` in the project's settings.
;;
;; ## Why it matters in production
;; The reloader watches the file tree (CPU and inotify handles), restarts the server on any
;; file change — including files the app writes — and forces a single worker.
;;
;; ## Example
;; ```python
;; if __name__ == "__main__":
;;     uvicorn.run("app.main:app", host="0.0.0.0", port=8000, reload=True)
;; ```
;;
;; ## Fix
;; ```python
;; if __name__ == "__main__":
;;     uvicorn.run("app.main:app", host="0.0.0.0", port=8000)
;; ```
;; The quick fix removes the argument. It is safe: serving behaviour is unchanged; during
;; development, use `uvicorn --reload` or `fastapi dev` on the command line instead.
;;
;; ## References
;; - Uvicorn, "Settings — Development": https://www.uvicorn.org/settings/#development
;; '''
;;
;; [fix]
;; title = "Remove reload=True"
;; safe = true
;; edits = [{ capture = "finding", delete_item = true }]
(call
  function: (_) @function
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @key (#eq? @key "reload")
      value: (true)) @finding)
  (#resolves-to? @function "uvicorn.run")
  (#not-test-path?)
  (#not-script-path?))
