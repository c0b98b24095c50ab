;; priority = "medium"
;; category = "documentation"
;; summary = "A variable the code, `.env` or compose uses that `.env.example` does not list."
;; message = "`.env.example` does not list ${missing}, which the project uses."
;; docs = """
;; ## What it finds
;; Variables used by the project (keys of `.env`, settings class fields with `env_prefix`,
;; `os.getenv`/`os.environ` reads outside tests, `${VAR}` in compose files without a default) that
;; the example env file does not list. Names compare case-insensitively, as pydantic settings do;
;; nested settings models (read from `PARENT__FIELD` variables) are not listed one by one.
;; Reported once, on the first line of the example file.
;;
;; ## Why it matters in production
;; An example that drifted from the code is worse than none: the deploy follows it and starts with a
;; variable unset.
;;
;; ## Example
;; `.env.example` lists `DATABASE_URL` while the settings class also reads `NOTES_SECRET_KEY`.
;;
;; ## Fix
;; The quick fix appends the missing names with blank values. It is safe: only the example changes.
;;
;; ## References
;; - The Twelve-Factor App, III. Config
;; """
;;
;; [fix]
;; title = "Add the missing variables to the example"
;; safe = true
