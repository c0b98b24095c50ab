;; kind = "python"
;; priority = "high"
;; category = "security"
;; summary = "`eval()` runs whatever text it is given."
;; message = "`${name}()` runs arbitrary code; parse the data with `ast.literal_eval` or `json.loads`."
;; docs = "Calling `eval` on anything that can come from a request is remote code execution."
;;
;; [fix]
;; title = "Use `ast.literal_eval`"
;; safe = false
;; edits = [{ capture = "name", replace = "ast.literal_eval" }]
;; imports = ["ast"]
((call function: (identifier) @name) @finding
  (#eq? @name "eval"))
