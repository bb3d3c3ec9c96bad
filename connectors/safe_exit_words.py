"""Safe exit in her own words, the same on every channel, and the code word she can arrange.

A woman types 「他来了快删」, 「安全退出！」 or 「安全 退出」 with him in the room, so each
channel decides before the dialogue runs (nlu/safe_exit.py says what an exit command is;
this module adds her code word): the channel hides what it can at once and never waits
for a model. She can also arrange a word of her own that looks like nothing: after
「设置暗号 买菜」, a message that is just 「买菜」 is a safe exit in that conversation.

The code words live in one small SQLite file shared by the channels (`safe_exit.db`
beside each channel's store), keyed by conversation id.
"""
from __future__ import annotations

import re
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from nlu.safe_exit import asks_to_exit

EXIT, SET_CODE_WORD, BAD_CODE_WORD, OTHER = "exit", "set_code_word", "bad_code_word", "other"
SAFE_EXIT_PAYLOAD = "/safe_exit"
STORE_NAME = "safe_exit.db"

_PUNCTUATION = re.compile(r"[\s,.!?;:~…、，。！？；：～\"'“”‘’()（）\[\]【】*#\-]+")
_CODE_WORD_COMMAND = re.compile(
    r"^(?:请)?(?:帮我)?(?:(?:设置|设定|设|定|改|换)(?:一个|个)?(?:安全)?暗号(?:为|是|成)?|暗号(?:设为|设成|改成|改为|换成|设置为))"
    r"(.*)$")
MIN_CODE_WORD, MAX_CODE_WORD = 2, 10

CODE_WORD_SET = "好的，暗号设好了。以后你只发这个暗号，我就马上清除对话，和“安全退出”一样。"
CODE_WORD_INVALID = "暗号请用2到10个字，不要只用数字，也不要用“退出”这类字眼，比如发“设置暗号 买菜”。"


def plain(text: str) -> str:
    """What counts of a short message: no spaces or punctuation, full-width folded, lower case."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def requested_code_word(text: str) -> Optional[str]:
    """The word in 「设置暗号 买菜」 / 「暗号设为：买菜」; "" for the command without a usable word;
    None when the message is not about a code word."""
    match = _CODE_WORD_COMMAND.match(plain(text))
    if not match:
        return None
    word = match.group(1)
    usable = MIN_CODE_WORD <= len(word) <= MAX_CODE_WORD and not word.isdigit() and not asks_to_exit(word) \
        and "暗号" not in word
    return word if usable else ""


class CodeWords:
    """One code word per conversation; the file is created on first use."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self._path, self._clock = Path(path), clock
        self._lock = threading.Lock()
        self._ready = False

    def _run(self, sql: str, parameters: tuple = ()) -> list:
        with self._lock:
            if not self._ready:
                self._path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self._path, timeout=10)
            try:
                with connection:
                    if not self._ready:
                        connection.execute("CREATE TABLE IF NOT EXISTS code_words (conversation_id TEXT PRIMARY KEY, "
                                           "word TEXT NOT NULL, set_at REAL NOT NULL)")
                        self._ready = True
                    return connection.execute(sql, parameters).fetchall()
            finally:
                connection.close()

    def set(self, conversation_id: str, word: str) -> None:
        self._run("INSERT OR REPLACE INTO code_words VALUES (?, ?, ?)", (str(conversation_id), word, self._clock()))

    def get(self, conversation_id: str) -> Optional[str]:
        rows = self._run("SELECT word FROM code_words WHERE conversation_id = ?", (str(conversation_id),))
        return rows[0][0] if rows else None


@dataclass(frozen=True)
class Reading:
    kind: str  # EXIT, SET_CODE_WORD, BAD_CODE_WORD or OTHER
    reply: str = ""


class SafeExitWords:
    """Reads one typed message of one conversation: an exit, a code word to keep, or anything else."""

    def __init__(self, code_words: CodeWords) -> None:
        self._code_words = code_words

    def read(self, conversation_id: str, text: str) -> Reading:
        if not text or text.strip().startswith("/") and text.strip() != SAFE_EXIT_PAYLOAD:
            return Reading(OTHER)
        if text.strip() == SAFE_EXIT_PAYLOAD or asks_to_exit(text):
            return Reading(EXIT)
        word = requested_code_word(text)
        if word:
            self._code_words.set(conversation_id, word)
            return Reading(SET_CODE_WORD, CODE_WORD_SET)
        if word == "":
            return Reading(BAD_CODE_WORD, CODE_WORD_INVALID)
        kept = self._code_words.get(conversation_id)
        if kept and plain(text) == kept:
            return Reading(EXIT)
        return Reading(OTHER)
