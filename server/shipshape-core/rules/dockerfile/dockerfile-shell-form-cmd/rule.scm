;; priority = "medium"
;; category = "reliability"
;; summary = "`CMD`/`ENTRYPOINT` in shell form: signals never reach the app."
;; message = "Shell-form `CMD`/`ENTRYPOINT` runs under `/bin/sh -c`, which does not forward SIGTERM, so the app gets no graceful shutdown and is killed after the stop timeout; use the JSON exec form."
;; equivalents = ["DL3025"]
;; docs = '''
;; ## What it finds
;; `CMD` and `ENTRYPOINT` written as plain text (`CMD uvicorn app:app`) instead
;; of a JSON array. Commands that start with `exec` (the shell replaces itself
;; with the app) are not reported; `HEALTHCHECK CMD` is not concerned.
;;
;; ## Why it matters in production
;; In shell form Docker runs `/bin/sh -c "..."` as PID 1. The shell does not
;; pass SIGTERM on, so on every deploy or scale-down the app never hears it:
;; in-flight requests are cut off when Docker sends SIGKILL after the stop
;; timeout (10 s by default), and shutdown hooks never run.
;;
;; ## Example
;; ```dockerfile
;; CMD gunicorn app.main:app --workers 4 --bind 0.0.0.0:8000
;; ```
;;
;; ## Fix
;; ```dockerfile
;; CMD ["gunicorn", "app.main:app", "--workers", "4", "--bind", "0.0.0.0:8000"]
;; ```
;; The quick fix rewrites the command as a JSON array, one element per shell
;; word (quotes resolved, line continuations kept). It is offered only when the
;; command needs no shell: with `$VAR`, `&&`, pipes, redirections, globs or
;; shell builtins there is no quick fix; prefix the command with `exec` or move
;; it into an entrypoint script that ends with `exec "$@"`. It is not marked
;; safe: the app becomes PID 1 and now receives SIGTERM itself, which servers
;; handle, but a custom script may not.
;;
;; ## References
;; - Docker docs, Dockerfile reference: "Shell and exec form"
;; - hadolint DL3025 ("Use arguments JSON notation for CMD and ENTRYPOINT arguments")
;; '''
;;
;; [fix]
;; title = "Rewrite in JSON exec form"
;; safe = false
;; edits = [{ capture = "shell", exec_form = true }]
([(cmd_instruction (shell_command) @finding @shell) (entrypoint_instruction (shell_command) @finding @shell)] @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#not-docker-first-word-matches? @instruction "^exec$")
  (#not-docker-needs-shell? @instruction))
((cmd_instruction (shell_command) @finding) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#not-docker-first-word-matches? @instruction "^exec$")
  (#docker-needs-shell? @instruction)
  (#set! message "`CMD` in shell form runs under `/bin/sh -c`, which does not forward SIGTERM, so the app is killed without a graceful shutdown; this command needs a shell, so start it with `exec` (`CMD exec ...`) or move it into an entrypoint script that ends in `exec \"$@\"`."))
((entrypoint_instruction (shell_command) @finding) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#not-docker-first-word-matches? @instruction "^exec$")
  (#docker-needs-shell? @instruction)
  (#set! message "`ENTRYPOINT` in shell form runs under `/bin/sh -c`, which does not forward SIGTERM, so the app is killed without a graceful shutdown; this command needs a shell, so start it with `exec` (`ENTRYPOINT exec ...`) or move it into an entrypoint script that ends in `exec \"$@\"`."))
