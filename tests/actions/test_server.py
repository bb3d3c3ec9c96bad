"""The action server's start-up settings: no weak secret outside development."""
import pytest

from actions.server import ActionServerSettings, InsecureSettings, token_matches

TOKEN = "a-token-of-more-than-24-characters"


def test_binds_loopback_unless_told_otherwise():
    assert ActionServerSettings.from_env({}).host == "127.0.0.1"
    assert ActionServerSettings.from_env({"ACTION_SERVER_HOST": "10.0.0.5"}).host == "10.0.0.5"


@pytest.mark.parametrize("token", ["", "short", " " * 30])
def test_outside_development_a_missing_or_short_token_stops_the_server(token):
    with pytest.raises(InsecureSettings, match="ACTION_SERVER_TOKEN"):
        ActionServerSettings.from_env({"ASSISTANT_ENV": "production", "ACTION_SERVER_TOKEN": token})


def test_outside_development_a_real_token_is_accepted():
    settings = ActionServerSettings.from_env({"ASSISTANT_ENV": "production", "ACTION_SERVER_TOKEN": TOKEN})
    assert settings.token == TOKEN and not settings.development


@pytest.mark.parametrize("given, expected", [(TOKEN, True), (TOKEN[:-1], False), ("", False), (None, False)])
def test_token_matches_only_the_exact_token(given, expected):
    assert token_matches(TOKEN, given) is expected


def test_no_token_configured_matches_nothing():
    assert token_matches("", "") is False


def test_the_port_is_a_whole_number_named_when_wrong():
    assert ActionServerSettings.from_env({}).port == 5055
    assert ActionServerSettings.from_env({"ACTION_SERVER_PORT": "6000"}).port == 6000
    with pytest.raises(ValueError, match="ACTION_SERVER_PORT must be a whole number, got 'http'"):
        ActionServerSettings.from_env({"ACTION_SERVER_PORT": "http"})


def test_an_empty_assistant_env_is_not_development():
    with pytest.raises(InsecureSettings):
        ActionServerSettings.from_env({"ASSISTANT_ENV": "", "ACTION_SERVER_TOKEN": "short"})


def test_idle_connections_outlive_rasas_connection_pool():
    """Rasa's aiohttp pool keeps idle connections 15 s: a server closing them sooner loses calls under load."""
    from actions.server import build_app

    app = build_app(ActionServerSettings.from_env({"ACTION_SERVER_TOKEN": TOKEN}), package="actions.small_talk")
    assert app.config.KEEP_ALIVE_TIMEOUT > 15
