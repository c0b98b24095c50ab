;; priority = "low"
;; category = "performance"
;; summary = "`apt-get install` without `--no-install-recommends`."
;; message = "`apt-get install` without `--no-install-recommends` also installs every \"recommended\" package, often hundreds of MB the app never uses; add `--no-install-recommends`."
;; equivalents = ["DL3015"]
;; docs = '''
;; ## What it finds
;; `apt-get install` / `apt install` in a stage of the final image without
;; `--no-install-recommends`, unless the file configures apt not to install
;; recommendations (`APT::Install-Recommends`).
;;
;; ## Why it matters in production
;; Recommended packages are pulled in by default: documentation, X11 libraries,
;; compilers. They make the image larger and slower to pull, and widen the
;; attack surface that scanners report on.
;;
;; ## Example
;; ```dockerfile
;; RUN apt-get update && apt-get install -y libpq5 \
;;     && rm -rf /var/lib/apt/lists/*
;; ```
;;
;; ## Fix
;; ```dockerfile
;; RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
;;     && rm -rf /var/lib/apt/lists/*
;; ```
;; The quick fix adds the flag after `install`. It is not marked safe: a tool
;; may rely on a package that was only recommended (`ca-certificates` for
;; `curl` is the usual one); install those explicitly.
;;
;; ## References
;; - Docker docs, "Dockerfile best practices": apt-get
;; - hadolint DL3015 ("Avoid additional packages by specifying --no-install-recommends")
;; '''
;;
;; [fix]
;; title = "Add `--no-install-recommends`"
;; safe = false
;; edits = [{ capture = "finding.end", insert_after = " --no-install-recommends" }]
((run_instruction) @instruction
  (#not-has-parent? @instruction "onbuild_instruction" "healthcheck_instruction")
  (#docker-in-deployed-image? @instruction)
  (#not-docker-run-contains? "Install-Recommends" "apt.conf")
  (#docker-command! @instruction "command")
  (#docker-program! "command" "^(apt-get|apt)$" "finding")
  (#docker-subcommand! "command" "install" "finding.end")
  (#not-docker-word? "finding" "^--no-install-recommends$|Install-Recommends"))
