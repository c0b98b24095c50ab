;; priority = "high"
;; category = "security"
;; summary = "An example env file that holds a value that looks like a real secret."
;; message = "`${name}` in the example env file looks like a real secret; example files are committed, so blank it (and rotate the key if it was ever real)."
;; docs = """
;; ## What it finds
;; A line of `.env.example` (`.env.sample`, `.env.template`, ...) whose value has a well-known key
;; format (`sk-...`, `AKIA...`, `ghp_...`, `xoxb-...`, `AIza...`, `sk_live_...`, a PEM header), or
;; is a long random-looking value for a secret-like name (`*SECRET*`, `*PASSWORD*`, `*TOKEN*`,
;; `*API_KEY*`, ...). Placeholders (`changeme`, `your-key-here`, `<...>`) are fine.
;;
;; ## Why it matters in production
;; Example files are meant to be committed; a real key in one is a leaked key.
;;
;; ## Example
;; ```
;; OPENAI_API_KEY=sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e
;; ```
;;
;; ## Fix
;; ```
;; OPENAI_API_KEY=
;; ```
;; The quick fix blanks the value. It is safe: examples are documentation.
;;
;; ## References
;; - OWASP, "Secrets Management Cheat Sheet"
;; """
;;
;; [fix]
;; title = "Blank the value"
;; safe = true
