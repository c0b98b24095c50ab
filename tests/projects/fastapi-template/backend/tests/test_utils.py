def test_health_check(client):
    assert client.get("/api/v1/utils/health-check/").json() is True
