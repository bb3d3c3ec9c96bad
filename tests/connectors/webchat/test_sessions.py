"""Web chat sessions: the session id derived from the cookie's token and the server key."""
from connectors.webchat.sessions import session_id_for, token_from_cookie_header


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
