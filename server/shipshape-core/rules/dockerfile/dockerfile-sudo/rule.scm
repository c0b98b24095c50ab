;; priority = "medium"
;; category = "security"
;; summary = "`sudo` in a RUN."
;; message = "`sudo` in a `RUN` hides which user the step runs as and brings sudo's unpredictable TTY and environment handling into the build; run the step as `USER root` and switch back with `USER` afterwards."
;; equivalents = ["DL3004"]
;; docs = '''
;; ## What it finds
;; A command run with `sudo` in a `RUN` (as a command, not a package named
;; `sudo` being installed).
;;
;; ## Why it matters in production
;; Build steps already run as the current `USER`. `sudo` needs a sudoers entry
;; in the image — so the runtime user can become root too — and behaves
;; differently without a TTY (`requiretty`), environment resets and password
;; prompts that hang the build.
;;
;; ## Example
;; ```dockerfile
;; USER app
;; RUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl
;; ```
;;
;; ## Fix
;; ```dockerfile
;; USER root
;; RUN apt-get update && apt-get install -y --no-install-recommends curl \
;;     && rm -rf /var/lib/apt/lists/*
;; USER app
;; ```
;; There is no quick fix: where to switch users back depends on the steps
;; around it.
;;
;; ## References
;; - Docker docs, "Dockerfile best practices": USER
;; - hadolint DL3004 ("Do not use sudo")
;; '''
((run_instruction) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#docker-command! @instruction "command")
  (#docker-command-name! "command" "^sudo$" "finding"))
