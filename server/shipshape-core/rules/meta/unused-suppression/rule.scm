;; priority = "low"
;; category = "documentation"
;; summary = "A `# shipshape: ignore[...]` comment that suppresses nothing, or names a rule that does not exist."
;; message = "Unused suppression: `${rule}` reports nothing here."
;; docs = """
;; ## What it finds
;; A `# shipshape: ignore[rule-id]` or `# shipshape: ignore-file[rule-id]` comment
;; naming a rule that reports nothing on the lines it covers (or in the file), or
;; naming a rule id that does not exist. Each unused name is reported on its own.
;; Names of rules that are switched off by configuration are not reported: the
;; comment may be needed where the rule is on. Other tools' pragmas (`# noqa`,
;; `# nosec`, `# hadolint ignore=`) are never reported.
;;
;; ## Why it matters in production
;; Suppressions outlive the code they were written for. A stale one hides the
;; next real finding on that line, and a misspelt rule id suppresses nothing
;; while looking like it does.
;;
;; ## Example
;; ```python
;; # shipshape: ignore[bare-except] -- legacy handler
;; except ValueError:
;;     raise
;; ```
;;
;; ## Fix
;; The quick fix removes the unused name from the comment, or the whole comment
;; when no name in it is used. It is safe: the comment suppressed nothing, so
;; no finding appears or disappears.
;;
;; ## References
;; - ruff RUF100 (unused `noqa` directive)
;; - ESLint `--report-unused-disable-directives`
;; """
;;
;; [fix]
;; title = "Remove the unused suppression"
;; safe = true
