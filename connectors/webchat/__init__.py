"""The web chat: `WebChatInput` serves the page, `WebChatSocketInput` carries her messages.

Both are named in credentials.yml. page.py serves the page and its files (kept in
connectors/webchat_static/, where the Makefile fetches the socket.io client) and sets
the session cookie; channel.py is the socket.io channel, which derives her session
from that cookie (sessions.py); output.py shows her messages or keeps them waiting
(store.py), counting one shown once her page acknowledges it (acknowledgements.py);
presence.py knows whether a page of hers is open; settings.py reads the environment.
"""
from connectors.webchat.channel import WebChatSocketInput
from connectors.webchat.page import WebChatInput

__all__ = ["WebChatInput", "WebChatSocketInput"]
