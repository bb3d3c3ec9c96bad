"""Web chat settings from the environment: the session key and the allowed origins."""
import logging

from connectors.webchat_sessions import session_id_for, token_from_cookie_header
from connectors.webchat_settings import WebChatSettings

SECRET = "a-web-chat-secret-of-more-than-32-characters"


def test_the_session_key_comes_from_the_environment():
    settings = WebChatSettings.load({"WEBCHAT_SESSION_SECRET": SECRET})
    assert settings.session_secret == SECRET.encode() and not settings.secret_is_random
    assert settings.allowed_origins is None  # the page's own origin only


def test_without_a_key_each_process_makes_one_and_says_so(caplog):
    with caplog.at_level(logging.WARNING, logger="connectors.webchat_settings"):
        first, second = WebChatSettings.load({}), WebChatSettings.load({"WEBCHAT_SESSION_SECRET": "short"})
    assert first.secret_is_random and second.secret_is_random and first.session_secret != second.session_secret
    assert len(first.session_secret) == 32
    assert "is not set" in caplog.text and "shorter than 32" in caplog.text


def test_allowed_origins_are_a_comma_separated_list_of_origins(caplog):
    settings = WebChatSettings.load({"WEBCHAT_SESSION_SECRET": SECRET, "WEBCHAT_ALLOWED_ORIGINS":
                                     " https://Chat.example.org/ , http://localhost:5005,*, chat.example.org"})
    assert settings.allowed_origins == ("https://chat.example.org", "http://localhost:5005")
    assert "'*'" in caplog.text and "'chat.example.org'" in caplog.text


def test_the_session_id_depends_on_token_and_key():
    token = "A" * 43
    assert session_id_for(token, b"one") == session_id_for(token, b"one") != session_id_for(token, b"two")
    assert session_id_for(token, b"one") != session_id_for("B" * 43, b"one")
    assert session_id_for(token, b"one").startswith("web-") and len(session_id_for(token, b"one")) == 44


def test_the_token_is_read_from_the_cookie_header_among_others():
    token = "x_Y-z" + "A" * 38
    assert token_from_cookie_header(f"theme=dark; broken; webchat_session={token}; a=b") == token
    assert token_from_cookie_header(f'webchat_session="{token}"') == token
    assert token_from_cookie_header("webchat_session=short") is None and token_from_cookie_header("") is None
