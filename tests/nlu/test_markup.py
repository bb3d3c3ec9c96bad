"""Markup is taken out of a message and its words kept."""
import pytest

from nlu.markup import strip_markup


@pytest.mark.parametrize(
    "typed, words",
    [
        ("<img src=x>我老公打我", "我老公打我"),
        ("<b>救命</b>他拿刀了", "救命他拿刀了"),
        ("&lt;b&gt;救命&lt;/b&gt;他拿刀了", "救命他拿刀了"),  # entities hiding tags
        ("&#25937;&#21629;", "救命"),
        ("[b]离婚[/b]后孩子归谁", "离婚后孩子归谁"),
        ("[url=http://example.cn]点这里[/url]看看", "点这里看看"),
        ("[离婚协议](https://example.cn/a)怎么写", "离婚协议怎么写"),
        ("**救命**他在打我", "救命他在打我"),
        ("救\u200b命", "救命"),
        ("<!-- 注释 -->离婚", " 离婚"),
    ],
)
def test_markup_goes_and_the_words_stay(typed, words):
    assert strip_markup(typed) == words


def test_script_and_style_blocks_go_with_their_content():
    assert "alert" not in strip_markup("<script>alert(1)</script>你好<style>p{}</style>")


@pytest.mark.parametrize("text", ["工资<3000 A&B公司", "我<3你们", "a < b", "孩子考了[90]分", "/choose_area{\"area\":\"legal\"}"])
def test_text_that_only_looks_like_markup_is_left_alone(text):
    assert strip_markup(text) == text


def test_emoji_joiners_are_left_to_the_emoji_filter():
    assert strip_markup("🙋\u200d♀️") == "🙋\u200d♀️"
