"""The one Redis connection of the Rasa side: keys under the prefix, removed together."""
from tests.connectors.conftest import new_shared_redis


def test_forgetting_everything_removes_this_prefix_only(shared):
    neighbour = new_shared_redis(shared.prefix + "-neighbour")  # another deployment on the same Redis
    try:
        for number in range(1200):  # more than one SCAN batch
            shared.client.set(shared.key("x", number), "1")
        neighbour.client.set(neighbour.key("x", 1), "1")
        assert shared.forget_everything() == 1200
        assert shared.client.keys(shared.prefix + ":*") == []
        assert neighbour.client.get(neighbour.key("x", 1)) == "1"
    finally:
        neighbour.forget_everything()
        neighbour.close()


def test_the_client_is_made_on_first_use_and_remade_after_close(shared):
    assert shared.client is shared.client
    first = shared.client
    shared.close()
    assert shared.client is not first and shared.client.ping()
