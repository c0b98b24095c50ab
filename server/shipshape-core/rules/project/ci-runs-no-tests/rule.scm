;; priority = "high"
;; category = "testing"
;; summary = "CI workflows exist but none runs the tests."
;; message = "${count} CI file(s) exist but none runs the test suite (no `pytest`, `tox`, `nox`, `manage.py test`, `make test`, ...)."
;; docs = """
;; ## What it finds
;; CI configuration files none of which runs tests: no `pytest`, `python -m unittest`, `tox`,
;; `nox`, `manage.py test`, `make test`, `hatch test`, `coverage run`, a coverage gate (`coverage
;; report --fail-under`) or a script named for the tests (`bash scripts/tests-start.sh`,
;; `./run_tests.sh`) in any of them. Reported on the `jobs:` key of the first file.
;;
;; ## Why it matters in production
;; A pipeline that only builds or lints gives a green check to changes that break behaviour.
;;
;; ## Example
;; ```yaml
;; jobs:
;;   lint:
;;     runs-on: ubuntu-latest
;;     steps:
;;       - run: ruff check .
;; ```
;;
;; ## Fix
;; Add a step that runs the tests, e.g. `- run: pytest`. No quick fix.
;;
;; ## References
;; - GitHub Actions, "Building and testing Python"
;; """
