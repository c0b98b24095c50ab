;; priority = "high"
;; category = "security"
;; summary = "`privileged: true`, or the Docker socket mounted into a service."
;; message = "This service can take over the host: `privileged: true` or a mounted Docker socket gives it root on the host."
;; docs = '''
;; ## What it finds
;; `privileged: true` on a service, and volumes (short or long syntax) whose
;; source is the Docker socket (`/var/run/docker.sock`, `/run/docker.sock`,
;; `${DOCKER_SOCK:-/var/run/docker.sock}`, `$XDG_RUNTIME_DIR/docker.sock`),
;; read-only or not, or whose source is a variable and whose target is the
;; socket (`${DOCKER_SOCKET}:/var/run/docker.sock`). A lone path
;; (`- /var/run/docker.sock`) is an anonymous volume created at that path
;; inside the container, not the host's socket, and is not reported.
;;
;; ## Why it matters in production
;; A privileged container has every capability and every host device; escaping
;; it takes one command. The Docker socket is an API that starts containers
;; with any mount and any privilege: whoever compromises the service (a web
;; dashboard, a CI runner) owns the host. `:ro` on the socket changes nothing.
;;
;; ## Example
;; ```yaml
;; services:
;;   traefik:
;;     image: traefik:v3.2
;;     volumes:
;;       - /var/run/docker.sock:/var/run/docker.sock:ro
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   socket-proxy:
;;     image: tecnativa/docker-socket-proxy:0.2
;;     environment:
;;       CONTAINERS: 1
;;     volumes:
;;       - /var/run/docker.sock:/var/run/docker.sock:ro
;;   traefik:
;;     image: traefik:v3.2
;;     command: --providers.docker.endpoint=tcp://socket-proxy:2375
;; ```
;; There is no quick fix: grant the capabilities (`cap_add`) or devices
;; (`devices`) the service needs, or put a socket proxy that allows only
;; read-only API calls in front of the socket; suppress the finding where the
;; service is trusted infrastructure.
;;
;; ## References
;; - Docker docs, "Runtime privilege and Linux capabilities"
;; - OWASP Docker Security Cheat Sheet, rule 1 (do not expose the Docker daemon socket)
;; '''
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#compose-scalar-matches? @key "privileged" "^true$")
  (#compose-value! @key "privileged" "finding")
  (#set! message "Service `${service}` runs privileged: it has every capability and all host devices, so escaping the container is trivial; grant only the capabilities it needs (`cap_add`) or the devices (`devices`)."))
([(plain_scalar) (double_quote_scalar) (single_quote_scalar) (block_scalar) (block_mapping) (flow_mapping)] @finding
  (#compose-item-of! @finding "volumes" "service")
  (#compose-volume-source-matches? @finding "docker\\.sock$")
  (#set! message "Service `${service}` mounts the Docker socket: whoever controls the service controls the Docker daemon, which is root on the host (read-only does not help); use a socket proxy that allows only the calls it needs."))
([(plain_scalar) (double_quote_scalar) (single_quote_scalar) (block_scalar) (block_mapping) (flow_mapping)] @finding
  (#compose-item-of! @finding "volumes" "service")
  (#compose-volume-source-matches? @finding "^\\$\\{?[A-Za-z_][A-Za-z0-9_]*\\}?$")
  (#compose-volume-target-matches? @finding "docker\\.sock$")
  (#set! message "Service `${service}` mounts the Docker socket (its source is a variable, its target the socket): whoever controls the service controls the Docker daemon, which is root on the host (read-only does not help); use a socket proxy that allows only the calls it needs."))
