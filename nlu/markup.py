"""Markup taken out of a message, its words kept.

Messages pasted from a web page, a forum or another app carry HTML, entities,
markdown or BBCode ("<b>救命</b>他拿刀了", "&lt;img&gt;", "[b]离婚[/b]"); a
crafted one hides words among tags ("<img src=x>我老公打我"). The classifier
and the danger check must read the words, so the normaliser removes the markup
before anything else reads the text. A lone "<" or "&" that starts no tag or
entity ("工资<3000", "A&B") is left as it is.
"""
from __future__ import annotations

import html
import re

_HIDDEN_BLOCKS = re.compile(r"<(script|style|head|title)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENTS = re.compile(r"<!--.*?(-->|$)", re.DOTALL)
_TAGS = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(\s[^<>]*)?/?>|<![A-Za-z][^<>]*>")
_BREAKING_TAGS = re.compile(r"</?(br|p|div|li|tr|h[1-6]|blockquote)\b[^<>]*>", re.IGNORECASE)
_MARKDOWN_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\((?:https?://|mailto:|/|#)[^)\n]*\)")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|~~|`+)(?=\S)(.+?)(?<=\S)\1")
_MARKDOWN_LINE_MARKS = re.compile(r"^[ \t]*(#{1,6}|>+)[ \t]+", re.MULTILINE)
_BBCODE_MEDIA = re.compile(r"\[(img|video|audio|flash)(=[^\]]*)?\].*?\[/\1\]", re.IGNORECASE | re.DOTALL)
_BBCODE_TAGS = re.compile(
    r"\[/?(b|i|u|s|url|img|color|colour|size|font|quote|code|center|left|right|list|\*|sup|sub|align|email|spoiler)"
    r"(=[^\]\n]*)?\]",
    re.IGNORECASE,
)
_HIDDEN_SIGNS = re.compile(r"[\u200b\u200c\u200e\u200f\u2060-\u2064\ufeff\u00ad]")  # not the joiner inside emoji


def strip_markup(text: str) -> str:
    """The message's words without HTML, entities, markdown, BBCode or invisible characters."""
    if not text:
        return ""
    text = _HIDDEN_SIGNS.sub("", text)
    for _ in range(2):  # entities may hide tags: "&lt;b&gt;救命&lt;/b&gt;"
        text = _COMMENTS.sub(" ", text)
        text = _HIDDEN_BLOCKS.sub(" ", text)
        text = _BREAKING_TAGS.sub("\n", text)
        text = _TAGS.sub("", text)
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    text = _BBCODE_MEDIA.sub(" ", text)
    text = _BBCODE_TAGS.sub("", text)
    text = _MARKDOWN_IMAGE.sub(r"\1", text)
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_EMPHASIS.sub(r"\2", text)
    return _MARKDOWN_LINE_MARKS.sub("", text)
