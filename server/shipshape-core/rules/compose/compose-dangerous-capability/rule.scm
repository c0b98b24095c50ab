;; priority = "high"
;; category = "security"
;; summary = "A service is given a capability that reaches the host (`SYS_ADMIN`, `SYS_PTRACE`, `ALL`, ...)."
;; message = "Service `${service}` adds `${finding}`, a capability that lets a compromised container reach the host; drop it, or grant the narrower capability the service needs."
;; docs = '''
;; ## What it finds
;; `cap_add` items of a service that give it a way out of the container:
;; `ALL`, `SYS_ADMIN` (mount, namespaces, most of root), `SYS_MODULE`
;; (load kernel modules), `SYS_PTRACE` (trace other processes),
;; `SYS_RAWIO` (raw device and port I/O), `DAC_READ_SEARCH` (read any host
;; file through a handle: the "shocker" escape), `BPF`, `PERFMON`,
;; `MAC_ADMIN`, `MAC_OVERRIDE`, `SYS_BOOT`, `SYSLOG`, with or without the
;; `CAP_` prefix. Narrow capabilities that services legitimately add
;; (`NET_ADMIN` for a VPN, `NET_BIND_SERVICE`, `CHOWN`, `SYS_NICE`,
;; `IPC_LOCK`) are not reported. Development, test and override files (`compose.override.yaml`,
;; `docker-compose.dev.yml`, `*.test.yml`) are not reviewed.
;;
;; ## Why it matters in production
;; Each of these capabilities alone has turned a container compromise into
;; host root in published escapes; `SYS_ADMIN` is close to `privileged:
;; true` and `ALL` is the same. (CIS Docker Benchmark 5.3.)
;;
;; ## Example
;; ```yaml
;; services:
;;   worker:
;;     image: ghcr.io/acme/worker:2.0.1
;;     cap_add:
;;       - SYS_ADMIN
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   worker:
;;     image: ghcr.io/acme/worker:2.0.1
;;     cap_drop:
;;       - ALL
;; ```
;; There is no quick fix: find out what the service does with the
;; capability (a FUSE mount, a debugger, a packet capture) and give it that
;; instead: a device (`devices: [/dev/fuse]`), a narrower capability, or a
;; separate, trusted tool container.
;;
;; ## References
;; - Docker docs, "Runtime privilege and Linux capabilities"
;; - CIS Docker Benchmark 5.3
;; - OWASP Docker Security Cheat Sheet, rule 3
;; '''
([(plain_scalar) (double_quote_scalar) (single_quote_scalar)] @finding
  (#compose-item-of! @finding "cap_add" "service")
  (#not-compose-override-path?)
  (#match? @finding "^[\"']?(?i:(CAP_)?(ALL|SYS_ADMIN|SYS_MODULE|SYS_PTRACE|SYS_RAWIO|DAC_READ_SEARCH|BPF|PERFMON|MAC_ADMIN|MAC_OVERRIDE|SYS_BOOT|SYSLOG))[\"']?$"))
