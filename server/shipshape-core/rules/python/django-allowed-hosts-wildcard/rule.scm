;; priority = "high"
;; category = "security"
;; summary = "Django `ALLOWED_HOSTS` accepts any host (`\"*\"`)."
;; message = "`ALLOWED_HOSTS` accepts any `Host` header: Django builds absolute URLs (password reset links, redirects) from the header, so a forged one points them at another site; list the site's domains."
;; docs = '''
;; ## What it finds
;; In a Django settings module (as for `debug-enabled`: `settings.py`, a module of a
;; `settings/` package or one defining `INSTALLED_APPS`; not a development module such as
;; `dev.py`, `local.py`, `test.py`, nor a base settings module such as `base.py` or `common.py`), at its top level:
;; - `ALLOWED_HOSTS = ["*"]` (a list or tuple holding `"*"`);
;; - `ALLOWED_HOSTS` read from the environment with `"*"` as its default:
;;   `env.list("DJANGO_ALLOWED_HOSTS", default=["*"])`, `config("ALLOWED_HOSTS", default="*",
;;   cast=Csv())`, `os.getenv("DJANGO_ALLOWED_HOSTS", "*").split(",")`.
;;
;; A `"*"` in a base settings module that production does not override is
;; reported by `django-base-setting-not-overridden`.
;;
;; ## Why it matters in production
;; `ALLOWED_HOSTS` is Django's defence against forged `Host` headers. With `"*"`, whatever host
;; a request names is trusted: password reset e-mails and absolute redirects can carry an
;; attacker's domain, and caches keyed on the host can be poisoned. With an environment read
;; that defaults to `"*"`, a deployment that forgets the variable silently accepts every host.
;;
;; ## Example
;; ```python
;; ALLOWED_HOSTS = os.getenv("DJANGO_ALLOWED_HOSTS", "*").split(",")
;; ```
;;
;; ## Fix
;; ```python
;; ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")
;; ```
;; No quick fix: only you know the site's domains, and reading them from a variable that must
;; be set makes the service refuse to start until it is.
;;
;; ## References
;; - Django settings, `ALLOWED_HOSTS`: https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts
;; - Django, "Host header validation": https://docs.djangoproject.com/en/stable/topics/security/#host-headers-virtual-hosting
;; '''
; `ALLOWED_HOSTS = ["*"]`, `("*",)`.
; (The elements are read by `#has-string-element?`, not by the pattern: a pattern that
; reaches into a list walks through every element of every long literal at every keystroke.)
((expression_statement
    (assignment
      left: (identifier) @setting (#eq? @setting "ALLOWED_HOSTS")
      right: [(list) (tuple)] @hosts) @finding) @statement
  (#not-has-ancestor? @statement "function_definition" "class_definition")
  (#has-string-element? @hosts "*")
  (#django-settings-module?)
  (#not-test-path?))

; Read from the environment with `"*"` as the `default=`: `env.list("X", default=["*"])`,
; `config("X", default="*", cast=Csv())`.
((expression_statement
    (assignment
      left: (identifier) @setting (#eq? @setting "ALLOWED_HOSTS")
      right: (call
        arguments: (argument_list
          . (string (string_content) @variable)
          (keyword_argument
            name: (identifier) @key (#eq? @key "default")
            value: [
              (string (string_content) @host)
              (list (string (string_content) @host))
              (tuple (string (string_content) @host))
            ])))) @finding) @statement
  (#not-has-ancestor? @statement "function_definition" "class_definition")
  (#match? @host "^\\s*\\*\\s*(,|$)|,\\s*\\*\\s*(,|$)")
  (#django-settings-module?)
  (#not-test-path?)
  (#set! message "`ALLOWED_HOSTS` accepts any `Host` header unless the environment sets `${variable}`: a deployment that forgets it trusts forged hosts in password reset links and redirects; require the variable or default to the site's domains."))

; ... as the second argument, split into a list: `os.getenv("X", "*").split(",")`.
((expression_statement
    (assignment
      left: (identifier) @setting (#eq? @setting "ALLOWED_HOSTS")
      right: (call
        function: (attribute
          object: (call
            arguments: (argument_list
              . (string (string_content) @variable)
              . (string (string_content) @host)))
          attribute: (identifier) @method (#eq? @method "split")))) @finding) @statement
  (#not-has-ancestor? @statement "function_definition" "class_definition")
  (#match? @host "^\\s*\\*\\s*(,|$)|,\\s*\\*\\s*(,|$)")
  (#django-settings-module?)
  (#not-test-path?)
  (#set! message "`ALLOWED_HOSTS` accepts any `Host` header unless the environment sets `${variable}`: a deployment that forgets it trusts forged hosts in password reset links and redirects; require the variable or default to the site's domains."))
