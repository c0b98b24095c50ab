;; priority = "low"
;; category = "reliability"
;; summary = "`RUN cd dir && ...` where `WORKDIR` says it."
;; message = "`RUN cd ${target} && ...` changes directory for this `RUN` only; use `WORKDIR ${target}`, which is explicit and applies to the following instructions."
;; equivalents = ["DL3003"]
;; docs = '''
;; ## What it finds
;; A `RUN` whose first command is `cd` to a project directory (a `RUN` that
;; only `cd`s has no effect at all). `cd` inside a subshell, to `/tmp`, or
;; later in a chain (after downloading and unpacking sources) is not reported.
;;
;; ## Why it matters in production
;; Each `RUN` starts in the `WORKDIR`; a `cd` does not carry over. Files end up
;; where the next instruction does not expect them, and a failed `cd` in a
;; chain without `&&` runs the rest of the command in the wrong directory.
;;
;; ## Example
;; ```dockerfile
;; RUN cd /app && pip install --no-cache-dir -r requirements.txt
;; ```
;;
;; ## Fix
;; ```dockerfile
;; WORKDIR /app
;; RUN pip install --no-cache-dir -r requirements.txt
;; ```
;; There is no quick fix: moving the directory into `WORKDIR` also changes
;; where later instructions run.
;;
;; ## References
;; - Docker docs, "Dockerfile best practices": WORKDIR
;; - hadolint DL3003 ("Use WORKDIR to switch to a directory")
;; '''
((run_instruction) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#docker-first-command! @instruction "finding")
  (#not-docker-in-subshell? "finding")
  (#docker-program! "finding" "^cd$" "program")
  (#docker-argument! "finding" "1" "target")
  (#not-docker-word-matches? "target" "^(/tmp|/var/tmp)|^-$|\\$")
  (#not-docker-single-command? @instruction))

((run_instruction) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#docker-first-command! @instruction "finding")
  (#not-docker-in-subshell? "finding")
  (#docker-program! "finding" "^cd$" "program")
  (#docker-argument! "finding" "1" "target")
  (#not-docker-word-matches? "target" "^(/tmp|/var/tmp)|^-$|\\$")
  (#docker-single-command? @instruction)
  (#set! message "`RUN cd ${target}` has no effect: each `RUN` starts in the `WORKDIR`; use `WORKDIR ${target}`."))
