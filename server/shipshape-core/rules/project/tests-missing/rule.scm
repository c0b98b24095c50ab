;; priority = "high"
;; category = "testing"
;; summary = "A service with no tests."
;; message = "The project has no tests (`tests/`, `test_*.py`, `*_test.py`): nothing shows that a change keeps the service working."
;; docs = """
;; ## What it finds
;; A service project with no test module: nothing under `tests/` or `test/`, no `test_*.py`,
;; `*_test.py` or Django `tests.py`. Reported on the `[project]` table (or `requirements.txt`, or
;; the app creation).
;;
;; ## Why it matters in production
;; Without tests every deploy is the test. Even one test that starts the app and calls the health
;; route catches import errors and broken configuration.
;;
;; ## Example
;; A project with `app/main.py` and nothing else.
;;
;; ## Fix
;; ```python
;; # tests/test_health.py
;; from fastapi.testclient import TestClient
;; from app.main import app
;;
;; def test_health():
;;     assert TestClient(app).get("/health").status_code == 200
;; ```
;; No quick fix.
;;
;; ## References
;; - FastAPI, "Testing": https://fastapi.tiangolo.com/tutorial/testing/
;; """
