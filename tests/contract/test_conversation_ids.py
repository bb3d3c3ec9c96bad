"""Which conversation ids may travel into URLs: one rule for the REST channel and the routing backend."""
from __future__ import annotations

import pytest

from assistant_contract.conversation_ids import path_segment, problem

WELL_FORMED = ["woman-1", "oU7Xs5Gq2TnM9vJ4kRb8Lw1pZc3E", "1234567", "web-0f3a", "她的会话", "a" * 128,
               "user@example.org", "a.b:c"]
MALFORMED = ["", "a" * 129, "a b", "a\u3000b", "a\tb", "a\nb", "a\x00b", "a\u200bb", "a\u202eb", "a\u2028b",
             "a/b", "a?b", "a#b", "a%b", "a\\b", ".", "..", None, 5, ["a"]]


@pytest.mark.parametrize("conversation_id", WELL_FORMED)
def test_well_formed_conversation_ids(conversation_id):
    assert problem(conversation_id) == ""


@pytest.mark.parametrize("conversation_id", MALFORMED)
def test_malformed_conversation_ids_are_refused_with_the_rule(conversation_id):
    assert problem(conversation_id).startswith("must be")


@pytest.mark.parametrize("stored, segment", [("woman-1", "woman-1"), ("victim/trigger_intent?x=", "victim%2Ftrigger_intent%3Fx%3D"),
                                             ("..", "%2E%2E"), (".", "%2E"), ("她", "%E5%A5%B9")])
def test_an_id_in_a_url_is_exactly_one_path_segment(stored, segment):
    assert path_segment(stored) == segment
