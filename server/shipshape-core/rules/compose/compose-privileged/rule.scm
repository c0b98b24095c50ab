;; priority = "high"
;; category = "security"
;; summary = "`privileged: true`, or the Docker socket mounted into a service."
;; message = "This service can take over the host: `privileged: true` or a mounted Docker socket gives it root on the host."
;; docs = '''
;; ## What it finds
;; `privileged: true` on a service, and volumes (short or long syntax) whose
;; source is the Docker socket (`/var/run/docker.sock`, `/run/docker.sock`),
;; read-only or not.
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
