from fastapi.testclient import TestClient

from app.main import app


def test_health_answers_without_credentials():
    response = TestClient(app).get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_notes_need_an_api_key():
    assert TestClient(app).get("/v1/notes/1").status_code in (401, 403)
