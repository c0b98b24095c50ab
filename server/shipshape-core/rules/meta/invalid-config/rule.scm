;; priority = "high"
;; category = "reliability"
;; summary = "shipshape's configuration has an unknown key, an unknown rule id or a bad value."
;; message = "${problem}"
;; docs = """
;; ## What it finds
;; A problem in `[tool.shipshape]` of `pyproject.toml` or in `shipshape.toml`: a
;; TOML syntax error, an unknown setting, a rule id or category that does not
;; exist, a severity other than `off`, `on`, `hint`, `info`, `warning` or `error`,
;; a bad glob. The finding is on the offending key or value; the rest of the
;; configuration still applies.
;;
;; ## Why it matters in production
;; A misspelt rule id or severity silently does nothing: the rule you meant to
;; turn off keeps failing CI, or the one you meant to make an error stays a hint.
;;
;; ## Example
;; ```toml
;; [tool.shipshape.rules]
;; bare-exept = "off"
;; hardcoded-secret = "critical"
;; ```
;;
;; ## Fix
;; ```toml
;; [tool.shipshape.rules]
;; bare-except = "off"
;; hardcoded-secret = "error"
;; ```
;; There is no quick fix: only you know what was meant.
;;
;; ## References
;; - shipshape README, "Configuration"
;; """
