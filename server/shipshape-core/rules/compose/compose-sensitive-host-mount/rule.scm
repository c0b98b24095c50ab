;; priority = "high"
;; category = "security"
;; summary = "A service mounts a sensitive host directory (`/`, `/etc`, `/var/lib/docker`, ...)."
;; message = "Service `${service}` mounts the host's `${source}`: a compromise of the service reads (and, unless `:ro`, rewrites) the host's configuration, credentials or other containers; mount only the files it needs."
;; docs = '''
;; ## What it finds
;; Bind mounts (short or long syntax, also through `${VAR:-default}`) whose
;; source is the host's root or one of its system directories as a whole:
;; `/`, `/etc`, `/root`, `/home`, `/boot`, `/usr`, `/lib`, `/bin`, `/sbin`,
;; `/dev`, `/proc`, `/sys`, `/run`, `/var/run`, `/var/lib/docker`,
;; `/var/lib/containerd`, and the secret-holding parts of `/etc` (`/etc/ssh`,
;; `/etc/shadow`, `/etc/sudoers`, `/etc/docker`, `/etc/kubernetes`).
;; Single files that carry no secret (`/etc/localtime`, `/etc/timezone`,
;; `/etc/hosts`), subdirectories of the service's own (`/var/log/nginx`) and
;; the Docker socket (`compose-privileged`) are not reported, nor a lone
;; path (`- /etc`), which is an anonymous volume inside the container.
;;
;; ## Why it matters in production
;; `/etc` holds the host's password hashes, SSH host keys and sudoers;
;; `/var/lib/docker` every other container's files and environment
;; (secrets included); `/` all of it. Writable, any of them is host root.
;; Read-only, they still hand over every secret on the host. Monitoring
;; agents (node-exporter, cAdvisor) mount `/` and `/sys` read-only on
;; purpose: suppress the finding there, with the reason. (CIS Docker
;; Benchmark 5.5.)
;;
;; ## Example
;; ```yaml
;; services:
;;   backup:
;;     image: ghcr.io/acme/backup:1.2.0
;;     volumes:
;;       - /etc:/host/etc
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   backup:
;;     image: ghcr.io/acme/backup:1.2.0
;;     volumes:
;;       - /etc/backup/config.yaml:/config.yaml:ro
;; ```
;; There is no quick fix: mount the one file or folder the service needs,
;; read-only.
;;
;; ## References
;; - CIS Docker Benchmark 5.5, "Ensure sensitive host system directories are not mounted on containers"
;; - OWASP Docker Security Cheat Sheet, rule 8
;; '''
([(plain_scalar) (double_quote_scalar) (single_quote_scalar) (block_mapping) (flow_mapping)] @finding
  (#compose-item-of! @finding "volumes" "service")
  (#compose-volume-source-matches? @finding "^(/|/etc|/root|/home|/boot|/usr|/lib|/lib64|/bin|/sbin|/dev|/proc|/sys|/run|/var/run|/var/lib/docker|/var/lib/containerd|/etc/(ssh|shadow|gshadow|sudoers|sudoers\\.d|docker|kubernetes))/*$")
  (#compose-volume-source! @finding "source"))
