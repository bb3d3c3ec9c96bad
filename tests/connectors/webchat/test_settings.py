"""Web chat settings from the environment: the session key, the allowed origins, the acknowledgement wait."""
import logging

import pytest

from connectors.webchat.settings import WebChatSettings

SECRET = "a-web-chat-secret-of-more-than-32-characters"


def test_the_session_key_comes_from_the_environment():
    settings = WebChatSettings.from_env({"WEBCHAT_SESSION_SECRET": SECRET})
    assert settings.session_secret == SECRET.encode() and not settings.secret_is_random
    assert settings.allowed_origins is None  # the page's own origin only


def test_without_a_key_each_process_makes_one_and_says_so(caplog):
    with caplog.at_level(logging.WARNING, logger="connectors.webchat.settings"):
        first, second = WebChatSettings.from_env({}), WebChatSettings.from_env({"WEBCHAT_SESSION_SECRET": "short"})
    assert first.secret_is_random and second.secret_is_random and first.session_secret != second.session_secret
    assert len(first.session_secret) == 32
    assert "is not set" in caplog.text and "shorter than 32" in caplog.text


def test_allowed_origins_are_a_comma_separated_list_of_origins(caplog):
    settings = WebChatSettings.from_env({"WEBCHAT_SESSION_SECRET": SECRET, "WEBCHAT_ALLOWED_ORIGINS":
                                     " https://Chat.example.org/ , http://localhost:5005,*, chat.example.org"})
    assert settings.allowed_origins == ("https://chat.example.org", "http://localhost:5005")
    assert "'*'" in caplog.text and "'chat.example.org'" in caplog.text


def test_the_wait_for_her_pages_acknowledgement_is_ten_seconds_unless_set():
    assert WebChatSettings.from_env({"WEBCHAT_SESSION_SECRET": SECRET}).ack_seconds == 10.0
    assert WebChatSettings.from_env({"WEBCHAT_SESSION_SECRET": SECRET, "WEBCHAT_ACK_SECONDS": "3"}).ack_seconds == 3.0


@pytest.mark.parametrize("seconds", ["0", "-1", "600", "soon"])
def test_a_wait_that_makes_no_sense_stops_the_start(seconds):
    with pytest.raises(ValueError, match="WEBCHAT_ACK_SECONDS"):
        WebChatSettings.from_env({"WEBCHAT_SESSION_SECRET": SECRET, "WEBCHAT_ACK_SECONDS": seconds})
