;; priority = "medium"
;; category = "reliability"
;; summary = "A `${VAR}` in a compose file that nothing defines and that has no default."
;; message = "`${name}` is used in this compose file but no `.env`, `env_file` or `.env.example` defines it and it has no default: compose substitutes an empty string."
;; docs = """
;; ## What it finds
;; A `${VAR}` or `$VAR` reference in a compose file without a default (`${VAR:-x}`) or required
;; marker (`${VAR:?message}`), whose name is not defined in the `.env` next to the compose file,
;; in a service's `env_file`, or in the example env file.
;;
;; ## Why it matters in production
;; Compose warns once and substitutes an empty string: a database starts with an empty password or
;; a service connects to an empty URL.
;;
;; ## Example
;; ```yaml
;; environment:
;;   DATABASE_URL: ${DATABASE_URL}
;; ```
;; with no `.env` defining it.
;;
;; ## Fix
;; Define it in `.env.example` (and `.env`), or make it explicit: `${DATABASE_URL:?set DATABASE_URL}`.
;; No quick fix.
;;
;; ## References
;; - Docker, "Interpolation": https://docs.docker.com/reference/compose-file/interpolation/
;; """
