"""Recorded WeChat payloads (tests/connectors/wechat/data/) and how WeChat signs requests."""
from __future__ import annotations

import hashlib
import re
import time
import uuid
from pathlib import Path
from typing import Dict, Optional

DATA = Path(__file__).parent / "data"
TOKEN = "nanyue-test-token"
OPENID = "oU7Xs5Gq2TnM9vJ4kRb8Lw1pZc3E"


def payload(name: str, **fields: str) -> bytes:
    """A recorded payload, with elements replaced (e.g. Content="你好", MsgId="1")."""
    xml = (DATA / f"{name}.xml").read_text(encoding="utf-8")
    for field, value in fields.items():
        pattern = re.compile(rf"<{field}>(<!\[CDATA\[)?.*?(\]\]>)?</{field}>", re.S)
        cdata = value if field in ("MsgId", "CreateTime", "Location_X", "Location_Y") else f"<![CDATA[{value}]]>"
        element = f"<{field}>{cdata}</{field}>"
        xml, count = pattern.subn(lambda _, element=element: element, xml)
        assert count == 1, f"{name}.xml has no <{field}>"
    return xml.encode("utf-8")


def signature(token: str, timestamp: str, nonce: str, *extra: str) -> str:
    """WeChat's signature: sha1 over the sorted, concatenated strings."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, *extra])).encode("utf-8")).hexdigest()


def signed_query(token: str = TOKEN, timestamp: Optional[int] = None, **extra: str) -> Dict[str, str]:
    timestamp_text = str(int(time.time()) if timestamp is None else timestamp)
    nonce = uuid.uuid4().hex[:10]
    return {"signature": signature(token, timestamp_text, nonce), "timestamp": timestamp_text, "nonce": nonce,
            **extra}
