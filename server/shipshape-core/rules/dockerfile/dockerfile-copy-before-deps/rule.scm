;; priority = "low"
;; category = "performance"
;; summary = "`COPY . .` before the dependency install, so every code change reinstalls dependencies."
;; message = "`COPY` of the whole build context comes before the dependency install in this stage, so any code change invalidates the cache and reinstalls every dependency; copy the dependency files (requirements, pyproject, lock) first, install, then copy the code."
;; docs = '''
;; ## What it finds
;; `COPY . <dest>` (or `ADD .`) followed, in the same stage, by a dependency
;; install from the project's files (`pip install -r`, `pip install .`,
;; `poetry install`, `uv sync`, `pipenv`/`pdm install`, `npm ci`), with no
;; dependency install before the copy. An install after the copy that only
;; adds the project itself (`pip install --no-deps .`,
;; `poetry install --only-root`) is the good pattern and is not reported.
;;
;; ## Why it matters in production
;; Docker reuses a layer only while everything before it is unchanged. Copying
;; all sources first means a one-line code change re-downloads and rebuilds
;; every dependency: slow CI, slow hotfixes, and more load on package indexes.
;;
;; ## Example
;; ```dockerfile
;; WORKDIR /app
;; COPY . .
;; RUN pip install --no-cache-dir -r requirements.txt
;; ```
;;
;; ## Fix
;; ```dockerfile
;; WORKDIR /app
;; COPY requirements.txt .
;; RUN pip install --no-cache-dir -r requirements.txt
;; COPY . .
;; ```
;; There is no quick fix: which files describe the dependencies (and whether
;; the project must be installed too) depends on the build tool.
;;
;; ## References
;; - Docker docs, "Optimizing builds with cache management"
;; '''
([(copy_instruction) (add_instruction)] @finding
  (#not-has-parent? @finding "onbuild_instruction" "healthcheck_instruction")
  (#not-docker-param? @finding "from")
  (#not-docker-exec-form? @finding)
  (#docker-has-source? @finding)
  (#docker-source-matches? @finding "^\\./?$")
  (#not-docker-deps-installed-before? @finding)
  (#docker-deps-installed-after? @finding))
