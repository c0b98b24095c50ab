;; priority = "high"
;; category = "security"
;; summary = "The final image runs its process as root."
;; message = "The final stage never switches to an unprivileged `USER`, so the app runs as root: a compromise of the app is root in the container, one step from the host."
;; equivalents = ["DL3002"]
;; docs = '''
;; ## What it finds
;; A Dockerfile whose final image (the last stage, including the stages it is
;; built `FROM`) has no `USER` instruction, or whose last `USER` is `root` or
;; `0`. Base images that already run unprivileged (distroless `:nonroot`,
;; Chainguard, Bitnami, `nginx-unprivileged`) and entrypoints that drop
;; privileges themselves (`gosu`, `su-exec`, `setpriv`, `runuser`) are not
;; reported, nor are images that run tests in CI rather than a service (a file
;; name part `test`, `ci`, `e2e`, `playwright`, `cypress`, `selenium`, or a
;; Playwright, Cypress or Selenium base image).
;;
;; ## Why it matters in production
;; Containers share the host kernel. A process running as root inside the
;; container is root for every kernel bug, mounted volume and misconfigured
;; capability; a remote code execution in the app becomes root on the node.
;; Kubernetes `runAsNonRoot` policies also refuse such images.
;;
;; ## Example
;; ```dockerfile
;; FROM python:3.12-slim
;; WORKDIR /app
;; COPY . .
;; RUN pip install --no-cache-dir -r requirements.txt
;; CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
;; ```
;;
;; ## Fix
;; ```dockerfile
;; FROM python:3.12-slim
;; WORKDIR /app
;; COPY . .
;; RUN pip install --no-cache-dir -r requirements.txt
;; RUN groupadd --system app && useradd --system --gid app --no-create-home --shell /usr/sbin/nologin app
;; USER app
;; CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]
;; ```
;; The quick fix inserts the user before the final stage's first `CMD` or
;; `ENTRYPOINT`: `groupadd`/`useradd` on Debian, Ubuntu and RHEL-family bases,
;; `addgroup -S`/`adduser -S` on Alpine, `USER node` on Node images, a numeric
;; `USER` on distroless and `scratch`; when the file already creates or used a
;; user, it switches to that one; when later stages are built `FROM` the
;; deployed one (a development target), there is no quick fix, because they
;; would inherit the user. It is not marked safe: an app that writes
;; into root-owned directories (uploads, caches, SQLite files) fails until those
;; are `chown`ed to the new user, so review what the process writes.
;;
;; ## References
;; - Docker docs, "Dockerfile best practices": USER
;; - hadolint DL3002 ("Last USER should not be root")
;; - CIS Docker Benchmark 4.1
;; '''
;;
;; [fix]
;; title = "Create an unprivileged user and switch to it"
;; safe = false
