"""ASSISTANT_REDIS_URL and ASSISTANT_REDIS_KEY_PREFIX: empty means the embedded default."""
import pytest

from connectors.shared_state import SharedStateSettings, shared_redis


def test_without_a_url_nothing_is_shared():
    settings = SharedStateSettings.from_env({})
    assert (settings.shared, settings.key_prefix) == (False, "assistant")
    assert shared_redis({}) is None and shared_redis({"ASSISTANT_REDIS_URL": "  "}) is None


def test_a_url_and_a_prefix_from_the_environment():
    settings = SharedStateSettings.from_env({"ASSISTANT_REDIS_URL": " redis://127.0.0.1:6379/2 ",
                                             "ASSISTANT_REDIS_KEY_PREFIX": "province-a"})
    assert settings == SharedStateSettings("redis://127.0.0.1:6379/2", "province-a") and settings.shared


@pytest.mark.parametrize("environ, named", [
    ({"ASSISTANT_REDIS_URL": "127.0.0.1:6379"}, "ASSISTANT_REDIS_URL"),
    ({"ASSISTANT_REDIS_URL": "redis://127.0.0.1", "ASSISTANT_REDIS_KEY_PREFIX": "a b"}, "ASSISTANT_REDIS_KEY_PREFIX"),
    ({"ASSISTANT_REDIS_URL": "redis://127.0.0.1", "ASSISTANT_REDIS_KEY_PREFIX": "x:y"}, "ASSISTANT_REDIS_KEY_PREFIX"),
])
def test_a_malformed_value_is_named_in_the_error(environ, named):
    with pytest.raises(ValueError, match=named):
        SharedStateSettings.from_env(environ)


def test_every_channel_of_a_process_shares_one_connection_per_url_and_prefix():
    environ = {"ASSISTANT_REDIS_URL": "redis://127.0.0.1:6379/0", "ASSISTANT_REDIS_KEY_PREFIX": "one"}
    first, again = shared_redis(environ), shared_redis(dict(environ))
    other = shared_redis({**environ, "ASSISTANT_REDIS_KEY_PREFIX": "two"})
    assert first is again and other is not first
    assert first.key("telegram", "seen", "update:1") == "one:telegram:seen:update:1"
