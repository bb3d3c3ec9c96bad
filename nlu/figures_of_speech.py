"""Strong words that are figures of speech: 「累死了」「笑死」「气死我了」「烦死了」.

The classifier reads tiredness and anger as a wish for emotional support, which is right
when that is all she wrote (「累死了 带娃一整天连口水都没喝上」). Inside a message that asks
something else (「天天带娃累死了 有没有免费的培训」) the figure alone should not bring the
mental-health answer and its hotlines in front of her question: `venting_only` tells the
two apart. Danger is never decided here (nlu/crisis_detector.py reads every message first).
"""
from __future__ import annotations

import re

FIGURES = re.compile(r"(笑|累|烦|气|忙|困|热|冷|饿|吵|急|馋|懒|羡慕|尴尬)(死|炸)(我|人|你)?(了|咗)?|攰到死|要命")
# Words of a feeling she wants to talk about, said besides the figure.
DISTRESS = re.compile(r"压力|抑郁|焦虑|想哭|哭|失眠|睡不着|崩溃|撑不住|扛不住|受不了|难受|心情|情绪|孤独|绝望|没意思|"
                      r"心累|委屈|想不开|痛苦|活着|不想活|空虚|低落|心里|闷|喘不过气|熬不下去|没人(管|帮|理)")


def venting_only(text: str) -> bool:
    """A figure of speech is her only word of feeling (「天天带娃累死了」, not 「累死了 每天都想哭」)."""
    return bool(FIGURES.search(text or "")) and not DISTRESS.search(FIGURES.sub("", text or ""))
