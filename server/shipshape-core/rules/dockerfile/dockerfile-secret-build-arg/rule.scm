;; priority = "high"
;; category = "security"
;; summary = "A secret passed to the build as an `ARG`."
;; message = "`${finding}` is a build argument: its value is recorded in the image's history (`docker history`) and build metadata, readable by anyone who can pull the image; mount it as a build secret (`RUN --mount=type=secret,id=${finding}`) instead."
;; docs = '''
;; ## What it finds
;; `ARG` instructions that declare a secret-like name (`*SECRET*`,
;; `*PASSWORD*`, `*TOKEN*`, `*_API_KEY`, `*_PRIVATE_KEY`, `*_KEY`, ...)
;; without a literal default: `ARG NPM_TOKEN`, `ARG NPM_TOKEN=""`,
;; `ARG NPM_TOKEN=${NPM_TOKEN}`. The value arrives with
;; `docker build --build-arg` (or compose's `build.args`). An `ARG` with a
;; literal secret as its default is `dockerfile-secret-in-env`'s finding.
;; Names that describe a secret rather than hold it (`*_FILE`, `*_PATH`,
;; `*_URL`, `*_ID`) are not reported. BuildKit's `SecretsUsedInArgOrEnv`
;; check warns about the same names.
;;
;; ## Why it matters in production
;; Build arguments are not secret: the value of every `ARG` used by a `RUN`
;; is recorded in the image history and in the provenance attestations
;; BuildKit attaches to the image, so whoever can pull the image (a
;; registry, a CI cache, a customer) can read the token.
;;
;; ## Example
;; ```dockerfile
;; ARG PIP_INDEX_TOKEN
;; RUN pip install --index-url https://__token__:${PIP_INDEX_TOKEN}@pypi.example.com/simple -r requirements.txt
;; ```
;;
;; ## Fix
;; ```dockerfile
;; RUN --mount=type=secret,id=pip_index_token \
;;     PIP_INDEX_TOKEN="$(cat /run/secrets/pip_index_token)" \
;;     pip install --index-url "https://__token__:${PIP_INDEX_TOKEN}@pypi.example.com/simple" -r requirements.txt
;; ```
;; built with `docker build --secret id=pip_index_token,env=PIP_INDEX_TOKEN .`
;; (compose: `build.secrets`). The secret is mounted for that one `RUN` and
;; never written to a layer or the history. There is no quick fix: the
;; commands that read the argument and the build command both change.
;;
;; ## References
;; - Docker docs, "Build secrets"
;; - Docker docs, build checks: `SecretsUsedInArgOrEnv`
;; '''
((arg_instruction) @instruction
  (#docker-arg-without-literal! @instruction "finding")
  (#secret-name? "finding"))
