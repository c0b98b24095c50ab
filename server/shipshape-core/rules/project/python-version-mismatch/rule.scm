;; priority = "medium"
;; category = "reliability"
;; summary = "The Python of the base image differs from `requires-python` / `.python-version`."
;; message = "The image runs Python ${image}, but ${source} asks for ${wanted}: the code is tested on one Python and deployed on another."
;; docs = """
;; ## What it finds
;; A Dockerfile whose final stage is built on a `python:X.Y...` image (through stage aliases) where
;; `X.Y` differs from `.python-version`, or does not satisfy `requires-python` in `pyproject.toml`.
;; Reported on the version in the `FROM` tag.
;;
;; ## Why it matters in production
;; Syntax, the standard library and wheels differ between minor versions: code that passes tests on
;; 3.12 can fail to import on 3.10 in the container.
;;
;; ## Example
;; ```dockerfile
;; FROM python:3.10-slim
;; ```
;; with `.python-version` saying `3.12`.
;;
;; ## Fix
;; ```dockerfile
;; FROM python:3.12-slim
;; ```
;; The quick fix changes the version in the tag (keeping its variant). It is not marked safe: the
;; image's Python changes, so rebuild and run the tests.
;;
;; ## References
;; - PEP 621, `requires-python`
;; """
;;
;; [fix]
;; title = "Align the image's Python version"
;; safe = false
