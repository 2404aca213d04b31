from fastapi.testclient import TestClient

from shopapi.main import app

client = TestClient(app)


def test_read_user() -> None:
    response = client.get("/api/v1/users/42")
    assert response.status_code == 200


def test_items() -> None:
    with TestClient(app) as local_client:
        local_client.delete("/api/v1/admin/items/3")
        local_client.get("/api/v1/items/")
