"""Splitting long answers, keyboards and callback data."""
import pytest
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from connectors.telegram.render import (
    BUTTONS_WITHOUT_TEXT,
    callback_data,
    render,
    split_text,
    telegram_length,
)
from connectors.telegram.texts import LOCATION_PROMPT


def keep_long(payload):
    return "#p:key"


def test_short_text_is_one_part_and_blank_text_is_none():
    assert split_text("你好") == ["你好"]
    assert split_text("  \n ") == []


def test_long_text_is_cut_at_paragraphs_first():
    paragraphs = ["甲" * 3000, "乙" * 3000, "丙" * 500]
    assert split_text("\n\n".join(paragraphs)) == ["甲" * 3000, "乙" * 3000 + "\n\n" + "丙" * 500]


def test_a_paragraph_too_long_is_cut_at_lines_then_anywhere():
    lines = "\n".join(["行" * 1000] * 6)
    parts = split_text(lines)
    assert all(telegram_length(p) <= 4096 for p in parts) and parts[0] == "\n".join(["行" * 1000] * 4)
    solid = "字" * 10000
    assert split_text(solid) == ["字" * 4096, "字" * 4096, "字" * 1808]


def test_emoji_count_twice_like_telegram_counts_them():
    text = "😭" * 3000  # 6000 UTF-16 units
    parts = split_text(text)
    assert [len(p) for p in parts] == [2048, 952] and "".join(parts) == text


def test_markup_characters_are_left_exactly_as_written():
    text = "<script>alert(1)</script> *_[ ] `code` &amp;"
    (message,) = render(text, [], keep_long)
    assert message.text == text and message.reply_markup is None


def test_buttons_go_on_the_last_part_one_per_row():
    messages = render("段落\n\n" + "长" * 5000, [{"title": "转人工", "payload": "/request_human"},
                                               {"title": "有帮助", "payload": "/feedback"}], keep_long)
    assert [m.reply_markup is None for m in messages] == [True, True, False]
    keyboard = messages[-1].reply_markup
    assert isinstance(keyboard, InlineKeyboardMarkup)
    assert [[b.callback_data for b in row] for row in keyboard.inline_keyboard] == [["/request_human"], ["/feedback"]]


def test_buttons_without_text_still_get_a_message():
    (message,) = render("", [{"title": "好的", "payload": "/affirm"}], keep_long)
    assert message.text == BUTTONS_WITHOUT_TEXT


@pytest.mark.parametrize("payload,expected", [
    ("/affirm", "/affirm"),
    ("x" * 64, "x" * 64),
    ("x" * 65, "#p:key"),
    ("/choose_faq" + "{\"id\": \"离婚财产分割\"}" * 2, "#p:key"),  # short in characters, long in bytes
    ("#p:looks-like-a-key", "#p:key"),
])
def test_callback_data_fits_in_64_bytes(payload, expected):
    assert callback_data(payload, keep_long) == expected


def test_a_lone_location_button_becomes_a_one_time_location_keyboard():
    (message,) = render("发个位置给我", [{"title": "发送我的位置", "payload": "/share_location"}], keep_long)
    keyboard = message.reply_markup
    assert isinstance(keyboard, ReplyKeyboardMarkup) and keyboard.one_time_keyboard
    assert keyboard.keyboard[0][0].request_location and keyboard.keyboard[0][0].text == "发送我的位置"


def test_a_location_button_among_others_follows_in_its_own_message():
    messages = render("你想怎么找？", [{"title": "发送我的位置", "payload": "/share_location"},
                                   {"title": "输入城市", "payload": "/find_office"}], keep_long)
    assert isinstance(messages[0].reply_markup, InlineKeyboardMarkup)
    assert messages[1].text == LOCATION_PROMPT and isinstance(messages[1].reply_markup, ReplyKeyboardMarkup)
