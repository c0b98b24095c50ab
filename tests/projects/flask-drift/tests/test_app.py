from web.app import create_app


def test_health():
    client = create_app().test_client()
    assert client.get("/ops/health").status_code == 200
