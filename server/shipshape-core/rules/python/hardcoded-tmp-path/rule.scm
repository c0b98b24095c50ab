;; priority = "medium"
;; category = "security"
;; summary = "A hard-coded `/tmp` path."
;; message = "A hard-coded `/tmp` path is shared with every process on the host and may not exist or be writable in the container; use `tempfile` or a configured directory."
;; equivalents = ["S108"]
;; docs = '''
;; ## What it finds
;; A string literal that is `/tmp` or `/var/tmp` or starts with `/tmp/` or `/var/tmp/`,
;; used in code (an argument, an assignment, a default). Docstrings, comparisons, defaults of
;; environment lookups (`os.getenv("UPLOAD_DIR", "/tmp/uploads")`), tests, scripts and
;; benchmarks are not reported.
;;
;; ## Why it matters in production
;; `/tmp` is shared: a predictable name can be pre-created or symlinked by another process
;; (CWE-377), two workers or replicas overwrite each other's files, read-only root
;; filesystems and some platforms do not offer it, and files there vanish on restart.
;;
;; ## Example
;; ```python
;; with open("/tmp/report.csv", "w") as handle:
;;     write_report(handle)
;; ```
;;
;; ## Fix
;; ```python
;; with tempfile.NamedTemporaryFile("w", suffix=".csv") as handle:
;;     write_report(handle)
;; ```
;; No quick fix: whether the file should be private and temporary (`tempfile`) or kept in a
;; configured data directory is a decision.
;;
;; ## References
;; - ruff S108, bandit B108 (hardcoded_tmp_directory)
;; - Python docs, `tempfile`
;; '''
; A `/tmp` path used as a value: not a docstring or other bare string
; statement, not a comparison, not the default of an environment lookup
; (that is configuration already).
((string (string_content) @content) @finding
  (#match? @content "^/(var/)?tmp(/|$)")
  (#not-has-parent? @finding "expression_statement" "comparison_operator")
  (#not-argument-of? @finding "os.getenv" "os.environ.get")
  (#not-test-path?)
  (#not-script-path?))
