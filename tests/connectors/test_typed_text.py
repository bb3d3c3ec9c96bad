"""What she types never reaches Rasa as an intent, unless it is a button the assistant offered."""
from __future__ import annotations

import pytest

from connectors.typed_text import her_words, location_payload, would_be_intent


@pytest.mark.parametrize("text,expected", [
    ("/affirm", True), (" /affirm", True), ("／affirm", True), ("😀/affirm", True), ("\u200b/affirm", True),
    ("我想离婚", False), ("a/b", False), ("", False),
])
def test_what_rasa_would_read_as_an_intent(text, expected):
    assert would_be_intent(text) is expected


def test_an_offered_payload_passes_and_anything_else_is_her_words():
    offered = {"/affirm", '/choose_faq{"faq_id":"legal-01"}'}
    assert her_words(" /affirm ", offered) == "/affirm"
    assert her_words('/choose_faq{"faq_id":"legal-01"}', offered) == '/choose_faq{"faq_id":"legal-01"}'
    assert her_words('/choose_faq{"faq_id":"legal-02"}', offered) == 'choose_faq{"faq_id":"legal-02"}'
    assert her_words("/deny", offered) == "deny"
    assert her_words("／affirm", offered) == "affirm"  # a disguised slash is typed, never a button
    assert her_words("我想离婚", offered) == "我想离婚"


@pytest.mark.parametrize("sent", [
    '/share_location{"latitude": 22.84, "longitude": 113.26}',
    '/share_location{"longitude":113.26,"latitude":22.84}',
])
def test_the_location_button_is_answered_with_her_coordinates_rebuilt(sent):
    assert her_words(sent, {"/share_location"}) == location_payload(22.84, 113.26)
    assert her_words(sent, {"/affirm"}).startswith("share_location")  # no location button: her words


@pytest.mark.parametrize("sent", [
    '/share_location{"latitude": 22.84, "longitude": 113.26, "place": "顺德"}',
    '/share_location{"latitude": "22.84", "longitude": 113.26}',
    '/share_location{"latitude": true, "longitude": 113.26}',
    '/share_location{"latitude": 95, "longitude": 113.26}',
    '/share_location{"latitude": NaN, "longitude": 113.26}',
    '/share_location{"latitude": 22.84',
    '/share_location[22.84, 113.26]',
])
def test_a_location_with_anything_but_two_plausible_numbers_is_her_words(sent):
    assert not would_be_intent(her_words(sent, {"/share_location"}))
