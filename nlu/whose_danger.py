"""Whose danger: hers, her child's, or someone else's.

A mother who writes "我儿子刚跟我说活着没意思" must not be asked whether she has
taken pills; "我闺蜜…说不想活了" needs 110 for the friend and words for the one
writing. The crisis detector records the answer in its verdict (`whose`, and
`who`: the word that decided it) so the crisis reply can speak to the person
writing.

How it is read, over normalised text:
- child danger is always a child's;
- self-harm belongs to whoever speaks right before the phrase: reading back from
  it in the same sentence, the first person named decides. "我" on its own is her;
  a child word (儿子、女儿、孩子…) is her child; anyone else named (闺蜜、同学、
  邻居、我妈…) is someone else; a person held, minded or born ("抱着孩子", "带着娃", "生完宝宝")
  does not speak: reading goes on back to the one holding (she, when no one is named); "他/她/佢" points back to the last person named
  before it ("儿子说他不想活了" is the son), or stays "someone else" when none is
  (the conversation may know who: actions/crisis.py asks it);
- violence and sexual assault belong to whoever is hit or attacked: "打我" is
  her, "打我妈" or "我闺蜜被人强奸" someone else.
When nothing says otherwise, the danger is hers: the reply for her own danger
is the safe default.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional, Tuple

SELF, CHILD, OTHER = "self", "child", "other"

CHILD_WORDS = ("儿子", "女儿", "孩子", "小孩", "闺女", "个仔", "个女", "细路", "宝宝", "孙子", "孙女",
               "外孙女", "外孙", "娃", "bb")
OTHER_WORDS = ("闺蜜", "朋友", "同学", "同事", "邻居", "姐妹", "妹妹", "姐姐", "哥哥", "弟弟", "我妈", "妈妈",
               "母亲", "我爸", "爸爸", "父亲", "老公", "丈夫", "男朋友", "女朋友", "婆婆", "公公", "表妹", "表姐",
               "堂妹", "堂姐", "室友", "网友", "老人", "老婆", "女的", "男的", "阿姨", "亲戚", "家人", "学生",
               "老婆婆", "大姐", "嫂子", "弟媳", "舅妈", "姑姑", "小姑", "侄女", "外甥女", "客户")
PRONOUNS = ("他", "她", "佢", "ta")
_SENTENCE = re.compile(r"[.!?;。！？；\n]")
_PERSON = re.compile("|".join(sorted(CHILD_WORDS + OTHER_WORDS + PRONOUNS + ("我",), key=len, reverse=True)))
_NOUNS = "|".join(sorted(CHILD_WORDS + OTHER_WORDS, key=len, reverse=True))
_VICTIM = re.compile(
    r"(打|揍|踢|掐|砍|捅|杀|锁|关|追|强奸|侵犯|性侵|迷奸|拖|拉|脱)(了|着|住|死|伤|紧)?"
    r"(?P<victim>我(" + _NOUNS + r"|妈|爸|姐|妹|哥|弟|奶奶|外婆)?|" + _NOUNS + "|" + "|".join(PRONOUNS) + ")"
)
_PASSIVE = re.compile(r"(被|俾)")
_LISTENER = ("跟", "对", "和", "同", "给", "告诉", "话", "问")
# the person named after these is held, minded or born, and does not speak:
# "生完宝宝两个月了…刚刚抱着孩子站在阳台边上想跳下去" is her
_HOLDS = ("抱着", "抱住", "抱", "背着", "牵着", "拉着", "带着", "搂着", "看着", "陪着", "哄着", "喂完", "喂",
          "生完", "生了", "生下", "怀着", "怀了")
LOOK_BACK = 24  # characters before the phrase that may name who speaks


def _kind(word: str) -> str:
    if word == "我":
        return SELF
    if word in CHILD_WORDS:
        return CHILD
    return OTHER


def _speaker_before(text: str, position: int) -> Tuple[str, Optional[str]]:
    """Who speaks just before `position`: the first person named reading back."""
    start = max(0, position - LOOK_BACK)
    sentence_start = max((m.end() for m in _SENTENCE.finditer(text, start, position)), default=start)
    named = [(m.group(), m.start()) for m in _PERSON.finditer(text, sentence_start, position)]
    for index in range(len(named) - 1, -1, -1):
        word, at = named[index]
        if word == "我" and (text[at + 1: at + 3] in {w[:2] for w in CHILD_WORDS + OTHER_WORDS}
                             or text[at + 1: at + 2] in ("妈", "爸")):
            continue  # 我儿子, 我闺蜜: the person named after it speaks
        if word == "我" and any(text[:at].endswith(cue) for cue in _LISTENER):
            continue  # 跟我说, 告诉我: she listens, someone else speaks
        if word != "我" and word not in PRONOUNS and any(text[:at].endswith(cue) for cue in _HOLDS):
            continue  # 抱着孩子: the child is held, the one holding speaks
        if word in PRONOUNS:
            earlier = [w for w, _ in named[:index] if w not in PRONOUNS and w != "我"]
            return (_kind(earlier[-1]), earlier[-1]) if earlier else (OTHER, word)
        return _kind(word), word
    return SELF, None


def whose_danger(text: str, crisis_type: Optional[str], phrases: Iterable[str] = ()) -> Tuple[str, Optional[str]]:
    """(self | child | other, the word that decided it) for a detected crisis."""
    text = text or ""
    if crisis_type == "child_danger":
        return CHILD, None
    located = [text.find(p) for p in phrases if p and p in text]
    position = min(located) if located else None
    if crisis_type == "self_harm":
        return _speaker_before(text, position) if position is not None else (SELF, None)
    if crisis_type in ("violence", "sexual_assault"):
        victim = _VICTIM.search(text)
        if victim:
            word = victim.group("victim").removeprefix("我") or "我"
            if word != "我" and word not in PRONOUNS:
                return _kind(word), word
        passive = _PASSIVE.search(text, position or 0) if position is not None else None
        if passive:  # 我闺蜜被人强奸了: whoever is named before 被
            kind, word = _speaker_before(text, passive.start())
            if kind != SELF:
                return kind, word
    return SELF, None
