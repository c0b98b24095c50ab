;; priority = "critical"
;; category = "testing"
;; summary = "A service with no CI configuration."
;; message = "The project has no CI configuration (`.github/workflows/*.yml`, `.gitlab-ci.yml`, ...): nothing checks a change before it is deployed."
;; docs = """
;; ## What it finds
;; A service project with no CI file: GitHub Actions workflows, `.gitlab-ci.yml`,
;; `.circleci/config.yml`, `azure-pipelines.yml`, `bitbucket-pipelines.yml`, `.travis.yml`,
;; `Jenkinsfile`. Reported on the `[project]` table (or `requirements.txt`, or the app creation).
;;
;; ## Why it matters in production
;; Without CI, tests run only when someone remembers, and a change that breaks the build reaches the
;; deploy platform first.
;;
;; ## Example
;; A repository with `app/` and `tests/` and no `.github/workflows/`.
;;
;; ## Fix
;; ```yaml
;; # .github/workflows/ci.yml
;; on: [push, pull_request]
;; jobs:
;;   test:
;;     runs-on: ubuntu-latest
;;     steps:
;;       - uses: actions/checkout@v4
;;       - uses: astral-sh/setup-uv@v6
;;       - run: uv run pytest
;; ```
;; No quick fix: the CI platform is yours to choose.
;;
;; ## References
;; - GitHub Actions, "Building and testing Python"
;; """
