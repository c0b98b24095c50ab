;; priority = "low"
;; category = "performance"
;; summary = "A RUN with `apt-get update`/`install` that leaves `/var/lib/apt/lists` in the layer."
;; message = "This `RUN` updates or installs with apt but does not remove `/var/lib/apt/lists/*`, so the package index (tens of MB) stays in the layer; append `&& rm -rf /var/lib/apt/lists/*`."
;; equivalents = ["DL3009"]
;; docs = '''
;; ## What it finds
;; A `RUN` in a stage of the final image that runs `apt-get update` or
;; `apt-get install` (or `apt`) and does not remove `/var/lib/apt/lists` in the
;; same `RUN`. A cache mount on `/var/lib/apt` keeps the lists out of the image
;; and is not reported.
;;
;; ## Why it matters in production
;; Layers are immutable: lists removed in a later `RUN` still ship in the
;; earlier layer. The index adds tens of MB to every pull, and a stale index
;; baked into the image makes a later `apt-get install` fetch outdated versions.
;;
;; ## Example
;; ```dockerfile
;; RUN apt-get update \
;;     && apt-get install -y --no-install-recommends libpq5
;; ```
;;
;; ## Fix
;; ```dockerfile
;; RUN apt-get update \
;;     && apt-get install -y --no-install-recommends libpq5 \
;;     && rm -rf /var/lib/apt/lists/*
;; ```
;; The quick fix appends the removal as the last command of the `RUN`,
;; continuing its layout (`\` continuations and the indentation of its last
;; line; in a heredoc, a last line). It is safe: the index is only needed while
;; installing.
;;
;; ## References
;; - Docker docs, "Dockerfile best practices": apt-get
;; - hadolint DL3009 ("Delete the apt-get lists after installing something")
;; '''
;;
;; [fix]
;; title = "Remove the apt lists in the same RUN"
;; safe = true
;; edits = [{ capture = "instruction", append_command = "rm -rf /var/lib/apt/lists/*" }]
((run_instruction) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#not-match? @instruction "/var/lib/apt/lists/\\*[\\s\\S]*rm |rm [\\s\\S]*/var/lib/apt/lists/\\*")
  (#docker-in-deployed-image? @instruction)
  (#not-docker-cache-mount? @instruction "^/var/lib/apt")
  (#not-docker-has-command? @instruction "^rm$" "^/var/lib/apt/lists")
  (#docker-command! @instruction "command")
  (#docker-program! "command" "^(apt-get|apt)$" "finding")
  (#docker-subcommand-matches! "command" "^(install|update)$" "finding.end")
  (#not-docker-command-before? "command" "^(apt-get|apt)$" "^(install|update)$"))
