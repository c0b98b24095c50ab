;; priority = "medium"
;; category = "performance"
;; summary = "Compilers and headers installed in the final image."
;; message = "Build tools (${finding}) are installed in the final image: they are only needed to build wheels, yet ship with every deploy; build in a separate stage (`FROM ... AS build`) and copy only the result."
;; docs = '''
;; ## What it finds
;; `apt-get install`, `apk add`, `dnf`/`yum install` of compilers and headers
;; (`build-essential`, `gcc`, `g++`, `make`, `cmake`, `clang`, `build-base`,
;; `*-dev`, `*-devel`) in a stage that is part of the final image. A `RUN` that
;; removes them again (`apt-get purge`, `apk del`, `dnf remove`) and
;; development Dockerfiles or stages are not reported.
;;
;; ## Why it matters in production
;; A compiler toolchain adds hundreds of MB and gives anyone who gets code
;; execution in the container the tools to build exploits. It is only needed
;; to compile wheels such as `psycopg2` or `uvloop`, once, at build time.
;;
;; ## Example
;; ```dockerfile
;; FROM python:3.12-slim
;; RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
;;     && rm -rf /var/lib/apt/lists/*
;; COPY requirements.txt .
;; RUN pip install --no-cache-dir -r requirements.txt
;; ```
;;
;; ## Fix
;; ```dockerfile
;; FROM python:3.12-slim AS build
;; RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
;;     && rm -rf /var/lib/apt/lists/*
;; COPY requirements.txt .
;; RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt
;;
;; FROM python:3.12-slim
;; RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
;;     && rm -rf /var/lib/apt/lists/*
;; COPY --from=build /wheels /wheels
;; RUN pip install --no-cache-dir /wheels/*
;; ```
;; There is no quick fix: splitting a build into stages needs to know which
;; runtime libraries (`libpq5` for `libpq-dev`) the app still needs.
;;
;; ## References
;; - Docker docs, "Multi-stage builds"
;; '''
((run_instruction) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#docker-in-deployed-image? @instruction)
  (#not-docker-development-file?)
  (#not-docker-development-only?)
  (#not-docker-has-command? @instruction "^(apt-get|apt)$" "^(purge|remove)$")
  (#not-docker-has-command? @instruction "^apk$" "^del$")
  (#not-docker-has-command? @instruction "^(yum|dnf|microdnf)$" "^(remove|erase|autoremove)$")
  (#not-docker-has-command? @instruction "^apt-mark$" "^auto$")
  (#docker-command! @instruction "command")
  (#docker-program! "command" "^(apt-get|apt|yum|dnf|microdnf)$" "program")
  (#docker-word! "program" "^install$" "install")
  (#docker-packages-matching! "install" "(?is)^(?:build-essential|gcc|g\\+\\+|make|cmake|clang|build-base|musl-dev|libc-dev|libc6-dev|autoconf|automake|libtool|gfortran|gcc-[^=:]*|g\\+\\+-[^=:]*|[^=:]*-dev|[^=:]*-devel|development tools)(?:[=:].*)?$" "finding"))
((run_instruction) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#docker-in-deployed-image? @instruction)
  (#not-docker-development-file?)
  (#not-docker-development-only?)
  (#not-docker-has-command? @instruction "^(apt-get|apt)$" "^(purge|remove)$")
  (#not-docker-has-command? @instruction "^apk$" "^del$")
  (#not-docker-has-command? @instruction "^(yum|dnf|microdnf)$" "^(remove|erase|autoremove)$")
  (#not-docker-has-command? @instruction "^apt-mark$" "^auto$")
  (#docker-command! @instruction "command")
  (#docker-program! "command" "^apk$" "program")
  (#docker-word! "program" "^add$" "install")
  (#docker-packages-matching! "install" "(?is)^(?:build-essential|gcc|g\\+\\+|make|cmake|clang|build-base|musl-dev|libc-dev|libc6-dev|autoconf|automake|libtool|gfortran|gcc-[^=:]*|g\\+\\+-[^=:]*|[^=:]*-dev|[^=:]*-devel|development tools)(?:[=:].*)?$" "finding"))
