import pytest
from fastapi.testclient import TestClient

from app.factory import build


@pytest.fixture
def client():
    with TestClient(build()) as test_client:
        yield test_client
