"""assistant_contract/continuation.py: the code's shape, read however she types it."""
import pytest

from assistant_contract.continuation import (
    ALPHABET, CODE_LENGTH, asks_for_code, canonical, code_in, new_code, shown,
)


def test_new_codes_are_ten_crockford_characters_and_differ():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) for code in codes)


@pytest.mark.parametrize("typed", ["7KQ2M-XD94P", "7kq2m xd94p", "7KQ2MXD94P", " 7kq2m－xd94p "])
def test_any_spelling_reads_as_the_same_code(typed):
    assert canonical(typed) == "7KQ2MXD94P"


def test_letters_that_look_like_digits_are_read_as_digits():
    assert canonical("OKQ2M-XDI4L") == "0KQ2MXD141"


@pytest.mark.parametrize("typed", ["", "7KQ2M-XD94", "7KQ2M-XD94PP", "7KQ2M-XD9U4"])
def test_what_cannot_be_a_code(typed):
    assert canonical(typed) is None


@pytest.mark.parametrize("message, code", [
    ("接续码 7KQ2M-XD94P", "7KQ2MXD94P"),
    ("我的接续码是7kq2mxd94p", "7KQ2MXD94P"),
    ("7KQ2M-XD94P", "7KQ2MXD94P"),
    ("你好 这是之前给我的 7kq2m-xd94p 帮我接上", "7KQ2MXD94P"),
    ("接續碼：7KQ2M XD94P", "7KQ2MXD94P"),
])
def test_the_code_in_her_message(message, code):
    assert code_in(message) == code


@pytest.mark.parametrize("message", [
    "hello-world", "我的电话13812345678", "快递单号 SF1234567890", "helloworld 接续码", "我想离婚",
])
def test_messages_without_a_code(message):
    assert code_in(message) is None


def test_shown_in_two_groups():
    assert shown("7KQ2MXD94P") == "7KQ2M-XD94P"


def test_asking_for_a_code():
    assert asks_for_code("给我一个接续码")
    assert not asks_for_code("接续码 7KQ2M-XD94P")
    assert not asks_for_code("我想离婚")
