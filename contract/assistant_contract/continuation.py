"""The continuation code (接续码): her request follows her to another app.

Nothing links her Telegram, WeChat and web chat by itself, and nothing should: the
assistant never asks who she is. When she wants the expert's replies somewhere else
(a new phone, WeChat refusing messages after 48 hours, a web page she can reach
safely), she asks in the conversation that holds her request for a code, and sends
the code in the other app. That conversation then holds her request: replies not yet
seen (refused by the platform, or waiting for her) and every later one go there.

The code's shape is shared by the assistant (to find it in her message) and the
routing backend (to make and check it), so it lives here:
- ten characters of Crockford's base32 (no I, L, O, U), shown as two groups of
  five ("7KQ2M-XD94P"); she may type it in lower case, with spaces or without the
  dash, and O/I/L are read as 0/1/1;
- it works once and for `CODE_HOURS`; the backend stores only its hash.

API (routing backend, service token):
  POST /api/v1/conversations/{conversation_id}/continuation-code
       -> 201 {code, expires_at, handoff_id} | 404 (no open request in that conversation)
  POST /api/v1/conversations/{conversation_id}/continue  {code, channel}
       -> 200 the request's status (as GET …/status) | 404 (unknown, used or expired code)
       | 429 (too many wrong codes lately, everyone waits)
"""
from __future__ import annotations

import re
import secrets
from typing import Optional

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
CODE_LENGTH = 10
GROUP = 5
CODE_HOURS = 24
KEYWORD = re.compile(r"接续码|接續碼|接续代码|接续號|接续号|continuation\s*code", re.IGNORECASE)
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])([0-9A-Za-z]{5})[\s\-—–_－]*([0-9A-Za-z]{5})(?![0-9A-Za-z])")
_DASHED = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{5}[\-—–_－][0-9A-Za-z]{5}(?![0-9A-Za-z])")


def new_code() -> str:
    """A fresh code, canonical form (no dash)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def canonical(text: str) -> Optional[str]:
    """Her typing of a code as the backend stores it; None when it cannot be one."""
    code = re.sub(r"[\s\-—–_－]", "", text or "").upper().translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def shown(code: str) -> str:
    """How she reads it: two groups of five."""
    return f"{code[:GROUP]}-{code[GROUP:]}"


def code_in(text: str) -> Optional[str]:
    """The code in her message, canonical: after the word 接续码, or alone in the dashed
    form with a digit and a letter in it (so "hello-world" or a phone number is not one)."""
    text = text or ""
    keyword = KEYWORD.search(text)
    for match in _CANDIDATE.finditer(text):
        code = canonical(match.group(1) + match.group(2))
        if code is None:
            continue
        dashed = _DASHED.fullmatch(match.group(0)) is not None
        raw = match.group(1) + match.group(2)  # as typed: "hello-world" has no digit
        mixed = any(char.isdigit() for char in raw) and any(char.isalpha() for char in raw)
        if (keyword and match.start() >= keyword.start()) or (dashed and mixed):
            return code
    return None


def asks_for_code(text: str) -> bool:
    """She names the code but gives none ("接续码", "给我一个接续码")."""
    return bool(KEYWORD.search(text or "")) and code_in(text) is None
