"""The office card for a place (actions/office_cards.py), and another place's card asked
for right after one, through the answering action."""
import asyncio

import pytest

from actions.answers import ActionAnswerRequest
from actions.office_cards import asks_about_another_place, card_for_place
from nlu.gazetteer import load_gazetteer
from tests.actions.dialogue_support import run_action, said, user_event
from tests.actions.fakes import FakeDirectory, InMemoryHandoffStore, place

OFFICE_TOPIC = {"office": "广东省中山市坦洲镇", "area": None, "turn": 2}


def test_a_guangdong_place_gets_its_office_the_one_above_and_the_slots_of_the_card():
    card = asyncio.run(card_for_place(FakeDirectory(), load_gazetteer(), "广东省佛山市顺德区", None))
    assert "佛山市顺德区妇女联合会" in card.text and "上一级是佛山市妇女联合会" in card.text and "110" in card.text
    assert {e["name"]: e["value"] for e in card.events}["region"] == "广东省佛山市顺德区"


def test_a_place_outside_guangdong_names_its_province_and_the_hotline_without_asking_the_directory():
    directory = FakeDirectory()
    card = asyncio.run(card_for_place(directory, load_gazetteer(), "湖南省衡阳市", None))
    assert card.text.startswith("衡阳市在湖南省，不在广东省") and "12338" in card.text and directory.calls == []


@pytest.mark.parametrize("text, topic, asks", [
    ("过年我回江西老家 那边有吗", OFFICE_TOPIC, True),
    ("那我老家揭阳普宁的呢", OFFICE_TOPIC, True),
    ("过年我回江西老家 那边有吗", {"area": "legal", "faq_id": "legal.divorce.process"}, False),  # no card before
    ("我在江西老家的时候孩子跟着爷爷奶奶 现在接来广州了 老是不跟我说话怎么办", OFFICE_TOPIC, False),  # a story
])
def test_what_asks_about_another_place_after_a_card(text, topic, asks):
    assert asks_about_another_place(text, "江西省", topic) is asks


def test_another_place_asked_about_after_a_card_gets_its_card_whatever_the_classifier_followed():
    action = ActionAnswerRequest(InMemoryHandoffStore(), directory=FakeDirectory())
    messages, slots = run_action(action, [user_event("那我老家顺德的呢", "ask_follow_up", 0.11,
                                                     entities=[place("广东省佛山市顺德区")])],
                                 {"topic": OFFICE_TOPIC})
    assert "佛山市顺德区妇女联合会" in said(messages) and slots["topic"]["office"] == "广东省佛山市顺德区"
    assert slots["service_area"] is None  # a question about an office, in no area
