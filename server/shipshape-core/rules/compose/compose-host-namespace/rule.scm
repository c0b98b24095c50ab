;; priority = "medium"
;; category = "security"
;; summary = "A service shares the host's network, process, IPC or user namespace."
;; message = "Service `${service}` shares a namespace of the host, so the container boundary no longer isolates it; drop the setting unless the service really needs the host's view."
;; docs = '''
;; ## What it finds
;; Services with `network_mode: host`, `pid: host`, `ipc: host`, `uts: host`,
;; `userns_mode: host` or `cgroup: host` (also through `<<` merge keys).
;; Development, test and override files (`compose.override.yaml`,
;; `docker-compose.dev.yml`, `*.test.yml`) are not reviewed.
;;
;; ## Why it matters in production
;; Namespaces are what makes a container a container. With the host's
;; network the service can bind any host port and reach services listening
;; on the host's loopback (databases, the cloud metadata proxy, admin
;; panels), and its own ports skip Docker's port mapping. With the host's
;; PID namespace it sees every process, their command lines and
;; environments, and can signal them; with the host's IPC namespace it
;; reads shared memory of host processes. A compromise of the service
;; reaches the whole host. (CIS Docker Benchmark 5.9, 5.15, 5.16, 5.20,
;; 5.21, 5.30.)
;;
;; ## Example
;; ```yaml
;; services:
;;   api:
;;     image: ghcr.io/acme/api:1.4.2
;;     network_mode: host
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   api:
;;     image: ghcr.io/acme/api:1.4.2
;;     ports:
;;       - "127.0.0.1:8000:8000"
;; ```
;; There is no quick fix: publish the ports the service serves (and connect
;; to other services by name on the compose network) instead of sharing the
;; host's network; monitoring agents that need the host's processes
;; (`pid: host`) are the usual exception, suppress the finding there.
;;
;; ## References
;; - Docker docs, compose "network_mode", "pid", "ipc", "userns_mode"
;; - CIS Docker Benchmark, section 5 (container runtime)
;; - OWASP Docker Security Cheat Sheet, rule 5
;; '''
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#not-compose-override-path?)
  (#compose-scalar-matches? @key "network_mode" "^host$")
  (#compose-value! @key "network_mode" "finding")
  (#set! message "Service `${service}` uses the host's network (`network_mode: host`): it can bind any host port and reach everything listening on the host's loopback, and Docker's port mapping no longer applies; publish the ports it serves instead."))
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#not-compose-override-path?)
  (#compose-scalar-matches? @key "pid" "^host$")
  (#compose-value! @key "pid" "finding")
  (#set! message "Service `${service}` shares the host's process namespace (`pid: host`): it sees every host process with its command line and environment and can signal them; drop it unless the service monitors the host."))
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#not-compose-override-path?)
  (#compose-scalar-matches? @key "ipc" "^host$")
  (#compose-value! @key "ipc" "finding")
  (#set! message "Service `${service}` shares the host's IPC namespace (`ipc: host`): it can read and write the shared memory of host processes; share IPC with a named service (`ipc: service:NAME`) or enlarge its own (`shm_size`) instead."))
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#not-compose-override-path?)
  (#compose-scalar-matches? @key "uts" "^host$")
  (#compose-value! @key "uts" "finding")
  (#set! message "Service `${service}` shares the host's UTS namespace (`uts: host`): it can change the host's hostname; set `hostname:` on the service instead."))
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#not-compose-override-path?)
  (#compose-scalar-matches? @key "userns_mode" "^host$")
  (#compose-value! @key "userns_mode" "finding")
  (#set! message "Service `${service}` opts out of user namespace remapping (`userns_mode: host`): root in the container is root on the host again; drop the setting."))
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#not-compose-override-path?)
  (#compose-scalar-matches? @key "cgroup" "^host$")
  (#compose-value! @key "cgroup" "finding")
  (#set! message "Service `${service}` runs in the host's cgroup namespace (`cgroup: host`): it sees and may change the host's control groups; use the default private namespace."))
