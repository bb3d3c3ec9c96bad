"""Which conversation ids a client may name (the REST channel's `sender`)."""
from __future__ import annotations

import pytest

from connectors.conversation_ids import sender_problem


@pytest.mark.parametrize("sender", ["woman-1", "oU7Xs5Gq2TnM9vJ4kRb8Lw1pZc3E", "1234567", "web-0f3a", "她的会话", "a" * 128,
                                    "user@example.org", "a.b:c"])
def test_well_formed_conversation_ids(sender):
    assert sender_problem(sender) is None


@pytest.mark.parametrize("sender", ["", "a" * 129, "a b", "a\u3000b", "a\tb", "a\nb", "a\x00b", "a\u200bb", "a\u202eb",
                                    "a/b", "a?b", "a#b", "a%b", "a\\b", ".", "..", None, 5, ["a"]])
def test_malformed_conversation_ids(sender):
    assert "sender must be" in sender_problem(sender)
