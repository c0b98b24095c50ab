;; priority = "critical"
;; category = "security"
;; summary = "A `.env` file that `.gitignore` does not ignore."
;; message = "`${path}` holds environment values but no `.gitignore` ignores it: one `git add .` commits every secret in it."
;; docs = """
;; ## What it finds
;; A `.env` or `.env.*` file (examples such as `.env.example` excepted) that is not ignored by the
;; project's `.gitignore` files (matched with git's own rules, nested `.gitignore` files and the
;; repository's `.gitignore` above the project included). Reported on the `.env` file.
;;
;; ## Why it matters in production
;; `.env` files hold database passwords and API keys. Once committed they live in the history of
;; every clone and fork; rotating every key is the only fix.
;;
;; ## Example
;; A project with `.env` and a `.gitignore` that lists only `__pycache__/`.
;;
;; ## Fix
;; ```
;; # .gitignore
;; .env
;; ```
;; The quick fix adds the file's name to `.gitignore`, creating `.gitignore` when there is none.
;; It is safe: ignoring a file changes nothing in the app. If the file is already committed, also
;; run `git rm --cached .env` and rotate its secrets.
;;
;; ## References
;; - GitHub, "Removing sensitive data from a repository"
;; """
;;
;; [fix]
;; title = "Add it to `.gitignore`"
;; safe = true
