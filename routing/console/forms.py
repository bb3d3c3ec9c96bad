"""Form fields checked on the server, with a message a person can act on.

The browser's maxlength stops most oversize input; this is the check that counts.
"""
from __future__ import annotations

from typing import Optional

from routing.console.context import ConsoleError

REPLY_MAX = 2000
NOTE_MAX = 1000
TITLE_MAX = 50
MAX_ROW_ID = 2**31 - 1


def text_field(form: dict, name: str, label: str, max_length: int, required: bool = True,
               back: Optional[str] = None) -> str:
    # Browsers count a line break as one character for maxlength but submit it as CRLF.
    value = (form.get(name) or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not value:
        raise ConsoleError(400, f"请填写{label}。", back)
    if len(value) > max_length:
        raise ConsoleError(400, f"{label}最多 {max_length} 字，现在有 {len(value)} 字，请删减后再提交。", back)
    return value


def int_field(form: dict, name: str, label: str, minimum: int, maximum: int, back: Optional[str] = None) -> int:
    raw = (form.get(name) or "").strip()
    try:
        value = int(raw)
    except ValueError:
        raise ConsoleError(400, f"{label}需要填一个整数。", back) from None
    if not minimum <= value <= maximum:
        raise ConsoleError(400, f"{label}需要在 {minimum} 到 {maximum} 之间。", back)
    return value


def choice_field(form: dict, name: str, label: str, choices, back: Optional[str] = None) -> str:
    value = form.get(name) or ""
    if value not in choices:
        raise ConsoleError(400, f"请选择{label}。", back)
    return value


def row_id(value) -> Optional[int]:
    """A database id from a form or a URL, or None: "²" or twenty digits must not reach the database."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ROW_ID else None


def find(db, model, value):
    """The row with that id, or None when there is none or the id is malformed."""
    number = row_id(value)
    return db.get(model, number) if number is not None else None
