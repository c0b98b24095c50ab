;; priority = "medium"
;; category = "security"
;; summary = "A service turns off its seccomp, AppArmor or SELinux confinement."
;; message = "Service `${service}` turns off a kernel confinement (`${finding}`): the profile that blocks the system calls and files used in container escapes no longer applies; drop the option, or give the service a custom profile that allows what it needs."
;; docs = '''
;; ## What it finds
;; `security_opt` items of a service that disable a confinement:
;; `seccomp:unconfined` (or `seccomp=unconfined`), `apparmor:unconfined`,
;; `label:disable` / `label=disable` (SELinux separation) and
;; `systempaths=unconfined`. Custom profiles (`seccomp:./profile.json`),
;; SELinux labels (`label:user:...`) and `no-new-privileges` are not
;; reported. Development, test and override files (`compose.override.yaml`,
;; `docker-compose.dev.yml`, `*.test.yml`) are not reviewed.
;;
;; ## Why it matters in production
;; Docker's default seccomp profile blocks about fifty system calls
;; (`mount`, `keyctl`, `unshare`, `bpf`, ...) that most container escapes
;; need, and the default AppArmor and SELinux policies keep the container
;; away from the host's `/proc` and `/sys` files. They cost nothing for an
;; ordinary web service; turning them off is usually a leftover from
;; debugging a permission error. (CIS Docker Benchmark 5.1, 5.2, 5.21.)
;;
;; ## Example
;; ```yaml
;; services:
;;   chrome:
;;     image: browserless/chrome:1.61
;;     security_opt:
;;       - seccomp:unconfined
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   chrome:
;;     image: browserless/chrome:1.61
;;     security_opt:
;;       - seccomp:./chrome-seccomp.json
;; ```
;; There is no quick fix: find the system call or file the service was
;; denied (`dmesg`, `auditd`) and allow it in a custom profile, or remove
;; the option if nothing needs it any more.
;;
;; ## References
;; - Docker docs, "Seccomp security profiles for Docker" and "AppArmor security profiles for Docker"
;; - CIS Docker Benchmark 5.1, 5.2, 5.21
;; '''
([(plain_scalar) (double_quote_scalar) (single_quote_scalar)] @finding
  (#compose-item-of! @finding "security_opt" "service")
  (#not-compose-override-path?)
  (#match? @finding "^[\"']?(?i:(seccomp|apparmor|systempaths)\\s*[:=]\\s*unconfined|label\\s*[:=]\\s*disable)[\"']?$"))
