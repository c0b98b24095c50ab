;; priority = "high"
;; category = "security"
;; summary = "A Dockerfile that copies the whole build context with no `.dockerignore` excluding `.env` and `.git`."
;; message = "This image copies the whole build context, and there is ${missing}: `.env` secrets and the git history go into the image."
;; docs = """
;; ## What it finds
;; A Dockerfile with `COPY . ...` or `ADD . ...` and no `.dockerignore` next to it (nor
;; `<Dockerfile>.dockerignore`), or one that does not exclude `.env` and `.git`. Reported on the
;; `COPY` line, or on the `.dockerignore` that lacks the entries.
;;
;; ## Why it matters in production
;; Everything in the context ends up in a layer: `.env` secrets, the whole git history, the local
;; virtual environment. Anyone who can pull the image can read them.
;;
;; ## Example
;; ```dockerfile
;; COPY . /app
;; ```
;; with no `.dockerignore`.
;;
;; ## Fix
;; The quick fix creates a `.dockerignore` (`.git`, `.env`, `.env.*` but not `.env.example`,
;; virtual environments, caches), or appends the missing `.env`/`.git` entries. It is safe for the
;; app: those files are not needed at run time. Check that nothing your build needs is excluded.
;;
;; ## References
;; - Docker, ".dockerignore file": https://docs.docker.com/build/concepts/context/#dockerignore-files
;; """
;;
;; [fix]
;; title = "Exclude `.env` and `.git` from the build context"
;; safe = true
