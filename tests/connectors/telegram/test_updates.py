"""Reading updates: commands, safe exit, locations, media, callbacks, dedupe keys."""
import pytest
from telegram import Update

from connectors.telegram import updates as kinds
from connectors.telegram.updates import read_update, text_for_rasa
from tests.connectors.telegram.fake_api import (
    callback_update,
    location_update,
    photo_update,
    sticker_update,
    text_update,
)


def read(body):
    return read_update(Update.de_json(body, None))


@pytest.mark.parametrize("typed,expected", [
    ("/start", (kinds.TEXT, "/greet")),
    ("/HELP", (kinds.TEXT, "/ask_capabilities")),
    ("/human", (kinds.TEXT, "/request_human")),
    ("/status@my_bot", (kinds.TEXT, "/ticket_status")),
    ("/exit", (kinds.SAFE_EXIT, "/safe_exit")),
    (" 安全退出 ", (kinds.SAFE_EXIT, "/safe_exit")),
    ("怎么安全退出", (kinds.TEXT, "怎么安全退出")),
    ("/restart", (kinds.TEXT, "restart")),
    ("// 我想离婚", (kinds.TEXT, "我想离婚")),
    ("我想离婚", (kinds.TEXT, "我想离婚")),
    ("", (kinds.TEXT, "")),
])
def test_what_she_types(typed, expected):
    assert text_for_rasa(typed) == expected


def test_a_text_message():
    inbound = read(text_update(5, 42, "你好", message_id=9))
    assert (inbound.kind, inbound.chat_id, inbound.text, inbound.message_id) == (kinds.TEXT, "42", "你好", 9)
    assert inbound.dedupe_keys == ["update:5"]


def test_a_location_uses_the_shared_convention():
    inbound = read(location_update(6, 42, 23.12, 113.36))
    assert inbound.text == '/share_location{"latitude": 23.12, "longitude": 113.36}'


def test_media_asks_for_words_and_a_caption_is_her_text():
    assert read(sticker_update(7, 42)).kind == kinds.MEDIA
    photo = read(photo_update(8, 42, caption="/start"))
    assert (photo.kind, photo.text) == (kinds.TEXT, "/greet")
    danger = read(photo_update(9, 42, caption="他现在拿着刀在门外"))
    assert (danger.kind, danger.text) == (kinds.TEXT, "他现在拿着刀在门外")
    assert read(photo_update(10, 42, media_group_id="g-1")).album == "g-1"


def test_a_button_press_is_deduped_by_update_and_by_query():
    inbound = read(callback_update(9, 42, "/affirm", query_id="q1"))
    assert (inbound.kind, inbound.text, inbound.callback_query_id) == (kinds.CALLBACK, "/affirm", "q1")
    assert inbound.dedupe_keys == ["update:9", "callback:q1"]


@pytest.mark.parametrize("wording", ["安全退出！", "安全 退出", "退出", "他来了快删", "老公回来了快删", "快删掉", "清空聊天"])
def test_exit_wording_in_any_form_is_a_safe_exit(wording):
    assert (read(text_update(12, 42, wording)).kind, read(text_update(12, 42, wording)).text) == (
        kinds.SAFE_EXIT, "/safe_exit")


def test_an_edit_is_a_new_message_and_unknown_updates_are_ignored():
    edited = {"update_id": 10, "edited_message": text_update(10, 42, "他现在拿着刀在门外")["message"]}
    assert (read(edited).kind, read(edited).text) == (kinds.TEXT, "他现在拿着刀在门外")
    service = text_update(11, 42, "x")
    del service["message"]["text"]
    assert read(service).kind == kinds.IGNORED


def rasa_reads_an_intent(text):
    """Rasa unpacks `/intent{…}` from the raw text and, at the end of the NLU pipeline, from the normalized text."""
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from nlu.text import normalize

    return any(YAMLStoryReader.unpack_regex_message(Message({TEXT: seen})).get(INTENT)
               for seen in (text.strip(), normalize(text)))


@pytest.mark.parametrize("typed", ["/ /request_human", "／request_human", "😀/request_human", "\u200b/request_human",
                                   "\u3000/request_human", " \u200b／ /request_human",
                                   '／share_location｛"latitude": 1, "longitude": 2｝'])
def test_no_disguised_slash_injects_an_intent(typed):
    assert rasa_reads_an_intent(typed)  # what Rasa would do with it unchanged
    kind, text = text_for_rasa(typed)
    assert kind == kinds.TEXT and not rasa_reads_an_intent(text)
    assert text.lstrip("/ ").startswith(("request_human", "share_location"))
