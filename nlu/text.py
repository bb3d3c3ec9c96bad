"""Pure text normalisation shared by the NLU components, the lexicon and the CLI.

Kept free of Rasa imports so that it can be tested and reused on its own.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, List, Optional

from nlu.markup import strip_markup

_EMOJI = re.compile(
    "["
    "\U0001F000-\U0001FAFF"  # pictographs, emoticons, transport, flags, symbols
    "\u2600-\u27BF"  # misc symbols and dingbats
    "\u2B00-\u2BFF"  # arrows and stars
    "\uFE0E\uFE0F\u200D\u20E3"  # variation selectors, zero-width joiner, keycap
    "\U000E0020-\U000E007F"  # tag characters (flag sequences)
    "]+"
)
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}\W])\s+|\s+(?=[{_CJK}\W])")
_WHITESPACE = re.compile(r"\s+")
_REPEATED_PUNCTUATION = re.compile(r"([!?.,~。…])\1{2,}")


def strip_emoji(text: str) -> str:
    """Remove emoji and pictographs; they carry no routing signal for the model."""
    return _EMOJI.sub(" ", text)


def remove_control_characters(text: str) -> str:
    """Drop control and format characters (zero-width spaces, bidi marks), keep whitespace."""
    return "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char)[0] != "C"
    )


def collapse_whitespace(text: str) -> str:
    """Make spaces safe for jieba: between Chinese characters a space becomes a
    comma (people type "救命 他在打我"), next to Chinese it goes, and between
    Latin words one is kept. Jieba turns every space into a token of its own,
    which confuses the featurizers (rasa issue #7910).
    """
    text = _WHITESPACE.sub(" ", text).strip()
    text = _SPACE_BETWEEN_CJK.sub(",", text)  # in Chinese chat a space is a pause
    return _SPACE_NEXT_TO_CJK.sub("", text)


def shorten(text: str, max_chars: int, tail_chars: int) -> str:
    """Keep the head and the tail of a very long message, for the intent classifier only.

    Long narratives usually end with the actual question, so the tail matters.
    The danger check never reads this copy: see `overlapping_windows`.
    """
    if len(text) <= max_chars:
        return text
    head_chars = max_chars - tail_chars
    return text[:head_chars] + "…" + text[-tail_chars:]


def overlapping_windows(text: str, size: int, step: int) -> List[str]:
    """The whole text in windows of `size` characters, each starting `step` after the last,
    the last one ending at the end: any passage of up to size - step characters lies
    whole inside some window, so no sentence is read only in halves."""
    if len(text) <= size:
        return [text]
    starts = list(range(0, len(text) - size + 1, step))
    if starts[-1] + size < len(text):
        starts.append(len(text) - size)
    return [text[start: start + size] for start in starts]


@lru_cache(maxsize=1)
def traditional_to_simplified() -> Callable[[str], str]:
    """Build the OpenCC converter once; importing it is slow and it is stateless."""
    import opencc  # lazy: heavy native module

    return opencc.OpenCC("t2s").convert


def normalize(text: str, max_chars: Optional[int] = 512, tail_chars: int = 160) -> str:
    """Turn a raw chat message into the canonical form the model is trained on
    (`max_chars=None`: the whole message, never shortened)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)  # full-width -> half-width
    text = strip_markup(text)  # after NFKC: full-width ＜b＞ is a tag too
    text = remove_control_characters(text)
    text = strip_emoji(text)
    text = _REPEATED_PUNCTUATION.sub(r"\1\1", text)
    text = collapse_whitespace(text)
    text = traditional_to_simplified()(text)
    return text if max_chars is None else shorten(text, max_chars, tail_chars)
