;; priority = "high"
;; category = "security"
;; summary = "A request model field with no upper bound on its size."
;; message = "This request field has no `max_length`."
;; docs = '''
;; ## What it finds
;; A `str`, `bytes` or `list[...]` field (also `Optional[...]` / `... | None`) of a pydantic
;; model (`BaseModel`, `SQLModel` without `table=True`) used for request input, with no upper
;; bound: `content: str`, `Field(..., min_length=1)` without `max_length`.
;;
;; A model is request input when its name ends in `Create`, `Request`, `In`, `Update`,
;; `Payload` or `Body` (not a token's payload, `TokenPayload`/`JWTPayload`: the service builds
;; it from claims it decoded), or it is the type of a body parameter of a route handler in the same
;; module (not a `Query(...)`, `Path(...)`, `Header(...)`, `Cookie(...)` or `Depends(...)`
;; parameter: a URL already bounds those). Fields bounded through `Field(max_length=...)`,
;; `Annotated[str, Field(max_length=...)]`, `constr(...)`, `conlist(...)`,
;; `StringConstraints(...)` or `Literal[...]` are not reported.
;;
;; ## Why it matters in production
;; Without a bound, one request can post megabytes into a field: memory, database rows,
;; log lines and LLM prompts (and bills) grow with whatever a client sends.
;;
;; ## Example
;; ```python
;; class MessageCreate(BaseModel):
;;     content: str
;; ```
;;
;; ## Fix
;; ```python
;; from pydantic import BaseModel, Field
;;
;;
;; class MessageCreate(BaseModel):
;;     content: str = Field(max_length=1000)
;; ```
;; The quick fix adds `max_length=1000` for strings and `max_length=100` for lists — into an
;; existing `Field(...)`, around an existing default, or as a new `Field(...)` (importing it
;; from pydantic). It is **unsafe**: requests with longer values are now rejected with 422;
;; choose a bound that fits the field.
;;
;; ## References
;; - pydantic, "String Constraints" / `Field(max_length=...)`: https://docs.pydantic.dev/latest/concepts/fields/
;; - OWASP API Security Top 10, API4:2023 Unrestricted Resource Consumption
;; '''
;;
;; [fix]
;; title = "Add max_length"
;; safe = false
(class_definition
  body: (block
    (expression_statement
      (assignment
        left: (identifier) @name
        type: (type) @type
        right: (_) @value)) @finding)) @class

(class_definition
  body: (block
    (expression_statement
      (assignment
        left: (identifier) @name
        type: (type) @type
        !right)) @finding)) @class
