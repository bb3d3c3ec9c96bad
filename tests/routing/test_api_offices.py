import pytest
from fastapi.testclient import TestClient

from routing.api.app import create_app
from routing.settings import Settings

SERVICE = {"Authorization": "Bearer service-secret-for-tests"}


@pytest.fixture
def client(sessions, database_url):
    settings = Settings(database_url=database_url, demo_mode=False, service_token="service-secret-for-tests",
                        rasa_token="rasa-token-for-the-routing-tests")
    with TestClient(create_app(settings, session_factory=sessions)) as test_client:
        yield test_client


def test_offices_serving_her_region_most_local_first(client):
    response = client.get("/api/v1/offices/for-region", params={"region": "广东省韶关市乐昌市"}, headers=SERVICE)
    assert response.status_code == 200
    offices = response.json()
    assert [o["level"] for o in offices] == ["county", "city", "province"]
    assert offices[0]["name"] == "韶关市乐昌市妇女联合会" and offices[0]["phone"] and offices[0]["hours"]
    assert offices[0]["sample"] is True


def test_nearest_offices_with_distances(client):
    response = client.get("/api/v1/offices/nearest", params={"latitude": 25.230602, "longitude": 113.347545},
                          headers=SERVICE)
    offices = response.json()
    assert offices[0]["name"] == "韶关市乐昌市妇女联合会"
    assert offices[0]["distance_km"] == pytest.approx(11.12, abs=0.01)


@pytest.mark.parametrize("params", [
    {"latitude": 95, "longitude": 113}, {"latitude": "north", "longitude": 113}, {"longitude": 113},
    {"latitude": 23, "longitude": 113, "level": "planet"}, {"latitude": 23, "longitude": 113, "limit": 500},
])
def test_bad_coordinates_are_refused(client, params):
    assert client.get("/api/v1/offices/nearest", params=params, headers=SERVICE).status_code == 422


def test_offices_need_the_service_token(client):
    assert client.get("/api/v1/offices/for-region", params={"region": "广东省"}).status_code == 401
    forged = {"Authorization": "Bearer guess"}
    assert client.get("/api/v1/offices/for-region", params={"region": "广东省"}, headers=forged).status_code == 403
