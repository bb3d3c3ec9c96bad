"""Bot messages as WeChat text: buttons become numbered options, long text is split.

An Official Account cannot show buttons in a chat, so each button becomes a line
"回复 1：标题" and her later "1" is mapped back to the payload; a text that points to
buttons (「点下面的按钮看完整经过」, a case card) points to the numbers instead. WeChat cuts a text
message at about 2,048 bytes, so long answers are split between paragraphs.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional

TEXT_LIMIT_BYTES = 2000  # WeChat's limit is 2,048 bytes; keep a margin
SHARE_LOCATION_PAYLOAD = "/share_location"
SHARE_LOCATION_HINT = "发送位置：点输入框旁边的“+”，选择“位置”发给我"
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
NUMBER_REPLY = re.compile(r"^\s*(\d{1,2})\s*[。.]?\s*$")
BUTTON_WORDS = re.compile(r"(?:点|点击|按)(?:一下)?下面的(?:按钮|选项)")
NUMBER_WORDS = "回复下面的数字"


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


@dataclass
class NumberedOptions:
    """Numbers continue across the messages of one turn, so "1" is never ambiguous."""

    payloads: Dict[int, str] = field(default_factory=dict)

    def render(self, text: str, buttons: Iterable[Dict[str, Any]]) -> str:
        lines = []
        for button in buttons:
            payload = str(button.get("payload") or "")
            title = str(button.get("title") or payload)
            if payload.startswith(SHARE_LOCATION_PAYLOAD) and "{" not in payload:
                lines.append(SHARE_LOCATION_HINT)
                continue
            number = len(self.payloads) + 1
            self.payloads[number] = payload or title
            lines.append(f"回复 {number}：{title}")
        if not lines:
            return text
        text = BUTTON_WORDS.sub(NUMBER_WORDS, text)
        return f"{text.rstrip()}\n\n" + "\n".join(lines) if text.strip() else "\n".join(lines)


def chosen_number(text: str) -> Optional[int]:
    """Her reply as an option number ("1", "１", " 2。"), or None if it is anything else."""
    match = NUMBER_REPLY.match(unicodedata.normalize("NFKC", text or ""))
    return int(match.group(1)) if match else None


def _hard_split(text: str, limit: int) -> List[str]:
    pieces, current = [], ""
    for character in text:
        if utf8_size(current + character) > limit:
            pieces.append(current)
            current = ""
        current += character
    return pieces + ([current] if current else [])


def _pack(parts: List[str], separator: str, limit: int) -> List[str]:
    """Join parts greedily into chunks of at most `limit` bytes; an oversized part is split on its own."""
    chunks, current = [], ""
    for part in parts:
        if utf8_size(part) > limit:
            chunks.extend([current] if current else [])
            chunks.extend(split_text(part, limit))
            current = ""
            continue
        candidate = f"{current}{separator}{part}" if current else part
        if utf8_size(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = part
    return chunks + ([current] if current else [])


def split_text(text: str, limit: int = TEXT_LIMIT_BYTES) -> List[str]:
    """Split at paragraph breaks, then line breaks, then sentence ends, then anywhere."""
    text = text.strip()
    if not text:
        return []
    if utf8_size(text) <= limit:
        return [text]
    for separator, splitter in (("\n\n", lambda t: t.split("\n\n")), ("\n", lambda t: t.split("\n")),
                                ("", SENTENCE_END.split)):
        parts = [part for part in splitter(text) if part.strip()]
        if len(parts) > 1:
            return [chunk.strip() for chunk in _pack(parts, separator, limit) if chunk.strip()]
    return _hard_split(text, limit)
