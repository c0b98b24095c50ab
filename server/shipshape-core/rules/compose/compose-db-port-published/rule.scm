;; priority = "medium"
;; category = "security"
;; summary = "A database, cache or broker port published on every interface."
;; message = "Service `${service}` publishes `${finding}` on all host interfaces, so the database is reachable from any network the host is on (and Docker bypasses ufw/firewalld rules); bind it to `127.0.0.1:` or drop the mapping."
;; docs = '''
;; ## What it finds
;; `ports` of a database or cache service (postgres, mysql, mariadb, mongo,
;; redis, valkey, memcached, qdrant, elasticsearch, ...) or of another
;; service that only other services talk to (rabbitmq, kafka, zookeeper,
;; nats, etcd, consul, clickhouse, opensearch, influxdb) in short syntax
;; without a host IP (`"5432:5432"`, `"6379"`) or with `0.0.0.0`, and in long
;; syntax without a loopback `host_ip`. Mappings bound to a loopback or a
;; specific private address are not reported.
;;
;; ## Why it matters in production
;; Other services reach the database over the compose network; publishing the
;; port serves only people outside. Docker writes its own iptables rules, so a
;; host firewall does not block the port: internet-facing Redis and MongoDB
;; instances with default credentials are among the most common breaches.
;;
;; ## Example
;; ```yaml
;; services:
;;   redis:
;;     image: redis:7.4
;;     ports:
;;       - "6379:6379"
;; ```
;;
;; ## Fix
;; ```yaml
;; services:
;;   redis:
;;     image: redis:7.4
;;     ports:
;;       - "127.0.0.1:6379:6379"
;; ```
;; The quick fix binds the mapping to `127.0.0.1` (adding `host_ip` in long
;; syntax). It is not marked safe: tools on other machines that connected to
;; the port directly lose access; reach it over an SSH tunnel or remove the
;; mapping entirely.
;;
;; ## References
;; - Docker docs, "Packet filtering and firewalls" (published ports bypass ufw)
;; - Docker docs, compose "ports" specification
;; '''
;;
;; [fix]
;; title = "Bind the port to 127.0.0.1"
;; safe = false
;; edits = [{ capture = "finding", bind_port = "127.0.0.1" }]
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#compose-database? @key)
  (#compose-port! @key "finding")
  (#compose-port-on-all-interfaces? "finding"))
(_
  key: (_) @key
  (#compose-service! @key "service")
  (#compose-internal-service? @key)
  (#compose-port! @key "finding")
  (#compose-port-on-all-interfaces? "finding")
  (#set! message "Service `${service}` publishes `${finding}` on all host interfaces, so a broker or store that only other services need is reachable from any network the host is on (and Docker bypasses ufw/firewalld rules); bind it to `127.0.0.1:` or drop the mapping."))
