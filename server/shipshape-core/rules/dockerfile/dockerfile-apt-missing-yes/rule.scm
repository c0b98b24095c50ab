;; priority = "medium"
;; category = "reliability"
;; summary = "`apt-get install` without `-y`."
;; message = "`apt-get install` without `-y` asks for confirmation; in a build there is no one to answer, so it aborts whenever a package pulls in extra dependencies; add `-y`."
;; equivalents = ["DL3014"]
;; docs = '''
;; ## What it finds
;; `apt-get install` / `apt install` without `-y`, `--yes`, `--assume-yes` or
;; `-qq` (which implies it), unless its input comes from a pipe (`yes |`) or
;; the file configures `APT::Get::Assume-Yes`.
;;
;; ## Why it matters in production
;; apt prompts before installing more than was asked for. With no terminal the
;; prompt is answered "no" and the build fails — often only once a package
;; gains a dependency, long after the Dockerfile was written.
;;
;; ## Example
;; ```dockerfile
;; RUN apt-get update && apt-get install --no-install-recommends curl
;; ```
;;
;; ## Fix
;; ```dockerfile
;; RUN apt-get update && apt-get install -y --no-install-recommends curl
;; ```
;; The quick fix adds `-y` after `install`. It is safe: it only answers the
;; prompt the build cannot answer.
;;
;; ## References
;; - Docker docs, "Dockerfile best practices": apt-get
;; - hadolint DL3014 ("Use the -y switch to avoid manual input")
;; '''
;;
;; [fix]
;; title = "Add `-y`"
;; safe = true
;; edits = [{ capture = "finding.end", insert_after = " -y" }]
((run_instruction) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#not-docker-run-contains? "Assume-Yes" "apt.conf")
  (#docker-command! @instruction "command")
  (#docker-program! "command" "^(apt-get|apt)$" "finding")
  (#docker-subcommand! "command" "install" "finding.end")
  (#not-docker-piped? "command")
  (#not-docker-word? "finding" "^(--yes|--assume-yes|--force-yes|-qq)$|Assume-Yes|(?s)^-(y|[^-].*y|q.*q|[^-q].*q.*q)"))
