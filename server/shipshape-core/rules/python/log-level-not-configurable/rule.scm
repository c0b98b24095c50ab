;; priority = "medium"
;; category = "observability"
;; summary = "The log level is fixed in code instead of read from the environment or settings."
;; message = "The log level is fixed in code (`${level}`): production cannot turn on debug logs during an incident, or quiet a noisy service, without a release. Read it from the environment or settings (`LOG_LEVEL`)."
;; docs = '''
;; ## What it finds
;; The process-wide log level written as a literal in service code:
;; - `logging.basicConfig(level=logging.INFO)` (also `level="DEBUG"`, `level=10`, or a level
;;   imported by name: `from logging import INFO`);
;; - the root logger's level set to a literal: `logging.getLogger().setLevel(logging.DEBUG)`.
;;
;; Levels of named loggers (`logging.getLogger("httpx").setLevel(logging.WARNING)`, the usual
;; way to quiet a chatty library) are not reported, nor levels read from a variable, a
;; setting or the environment, nor code in tests, scripts or under
;; `if __name__ == "__main__":`, nor a module that has such a block at its top level: it is
;; a program (an init job, a command-line tool) and its logging setup is its own.
;;
;; ## Why it matters in production
;; The log level is the first thing an operator changes during an incident (more detail) and
;; after one (less noise, lower log bills). Fixed in code, each change is a commit, a review
;; and a deployment — at the moment when none of those is welcome — and every environment
;; logs at the same level.
;;
;; ## Example
;; ```python
;; import logging
;;
;; logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
;; ```
;;
;; ## Fix
;; ```python
;; import logging
;; import os
;;
;; logging.basicConfig(
;;     level=os.environ.get("LOG_LEVEL", "INFO").upper(),
;;     format="%(asctime)s %(levelname)s %(message)s",
;; )
;; ```
;; `basicConfig` and `setLevel` accept level names. There is no quick fix: the name of the
;; setting is yours to choose.
;;
;; ## References
;; - Python docs, "logging.basicConfig": https://docs.python.org/3/library/logging.html#logging.basicConfig
;; - The Twelve-Factor App, "III. Config": https://12factor.net/config
;; '''
(call
  function: (_) @function
  arguments: (argument_list
    (keyword_argument
      name: (identifier) @key (#eq? @key "level")
      value: [(attribute) (identifier) (string) (integer)] @level) @finding)
  (#resolves-to? @function "logging.basicConfig")
  (#match? @level "^((logging\\.)?(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|NOTSET)|[\"'][A-Za-z]+[\"']|[0-9]+)$")
  (#not-test-path?)
  (#not-script-path?)
  (#not-in-main-guard? @finding)
  (#not-module-runs-as-script?))

(call
  function: (attribute
    object: (call
      function: (_) @getter
      arguments: (argument_list) @getter_arguments)
    attribute: (identifier) @method (#eq? @method "setLevel"))
  arguments: (argument_list . [(attribute) (identifier) (string) (integer)] @level @finding .)
  (#resolves-to? @getter "logging.getLogger")
  (#match? @getter_arguments "^\\(\\s*\\)$")
  (#match? @level "^((logging\\.)?(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|NOTSET)|[\"'][A-Za-z]+[\"']|[0-9]+)$")
  (#not-test-path?)
  (#not-script-path?)
  (#not-in-main-guard? @finding)
  (#not-module-runs-as-script?))
