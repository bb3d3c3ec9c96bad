"""Jieba words plus character bigrams, the tokens the lexical retrievers index.

Words match whole terms (人身安全保护令); bigrams still match when jieba splits a
typo or a Cantonese phrase differently.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List

from bot.settings import PROJECT_ROOT
from nlu.text import normalize

USER_DICTIONARY = PROJECT_ROOT / "nlu" / "dictionary" / "userdict.txt"
_WORDLIKE = re.compile(r"\w")
STOPWORDS = frozenset("的 了 吗 呢 吧 啊 呀 我 你 他 她 是 在 有 和 就 都 也 还 要 会 能 可以 怎么 怎么办 什么 如何 请问 一下 这个 那个 嘅 咗 啲 佢 係 唔".split())


@lru_cache(maxsize=1)
def _jieba():
    """Jieba with the domain dictionary, loaded once per process."""
    import jieba  # lazy: builds its prefix dictionary on first use

    jieba.setLogLevel(60)
    jieba.load_userdict(str(USER_DICTIONARY))
    return jieba


def tokens(text: str) -> List[str]:
    text = normalize(text)
    words = [w for w in _jieba().lcut(text) if _WORDLIKE.search(w) and w not in STOPWORDS]
    chars = [c for c in text if _WORDLIKE.match(c)]
    bigrams = [a + b for a, b in zip(chars, chars[1:])]
    return words + bigrams
