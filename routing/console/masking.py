"""Personal data hidden before staff read a transcript (and before it becomes training data).

Rasa Open Source keeps messages as written, so the console masks phone numbers,
ID-card numbers and street addresses itself, on the server, before rendering.
"""
from __future__ import annotations

import re
from typing import Optional

from routing.models import Handoff, User

PHONE_MASK = "[电话已隐藏]"
ID_MASK = "[身份证号已隐藏]"
ADDRESS_MASK = "[地址已隐藏]"

_SEP = r"[\s\-－—]?"
# An 18-digit ID number: 6-digit area, birth date, 3 digits, a check digit or X.
ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])\d{6}" + _SEP + r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    + _SEP + r"\d{3}[0-9Xx](?![0-9A-Za-z])"
)
# Mainland mobiles, optionally +86, written with spaces or dashes: 138 1234 5678.
MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86" + _SEP + r")?1[3-9]\d(?:" + _SEP + r"\d){8}(?!\d)")
# Landlines: (020) 8765 4321, 0757-22334455, 020-12345678-801.
LANDLINE = re.compile(
    r"(?<!\d)(?:[(（]0\d{2,3}[)）]\s?|0\d{2,3}" + _SEP + r")\d{3,4}" + _SEP + r"\d{4}(?:-\d{1,5})?(?!\d)"
)
_STOP = "区市县镇省乡在住是的到址我家了"
_NAME = r"[^\s\W" + _STOP + r"]"
# A street with a house number (林和西路123号, 建设大道8号之一), with building and room after it.
_BUILDING = r"(?:\s*(?:之[\d一二三四五六七八九十]+|\d+\s*(?:号楼|栋|座|幢|楼|单元|层|室|房|号|铺)))*"
STREET = re.compile(
    _NAME + r"{1,10}?(?:路|街|大道|大街|巷|弄|里)\s*\d+\s*号" + _BUILDING
)
# An estate or village with a building number (幸福花园3栋502, 东村12巷5号).
ESTATE = re.compile(
    _NAME + r"{1,10}?(?:小区|花园|苑|大厦|公寓|新村|村|广场|社区)\s*\d+\s*(?:号楼|栋|座|幢|巷|号|期)" + _BUILDING
)
BUILDING_ONLY = re.compile(r"(?<!\d)\d+\s*(?:号楼|栋|座|幢)\s*\d+\s*(?:室|房|号)?")


def mask(text: Optional[str]) -> str:
    """Every phone number, ID number and street address in `text` replaced by a label."""
    if not text:
        return text or ""
    text = ID_NUMBER.sub(ID_MASK, text)
    text = MOBILE.sub(PHONE_MASK, text)
    text = LANDLINE.sub(PHONE_MASK, text)
    text = STREET.sub(ADDRESS_MASK, text)
    text = ESTATE.sub(ADDRESS_MASK, text)
    return BUILDING_ONLY.sub(ADDRESS_MASK, text)


def may_see_personal_data(user: User, handoff: Optional[Handoff] = None) -> bool:
    """Admins, and the expert who holds her handoff, see what she wrote; everyone else sees it masked."""
    if user.role == "admin":
        return True
    return handoff is not None and handoff.assignee_id == user.id and user.role == "expert"


def for_viewer(text: Optional[str], user: User, handoff: Optional[Handoff] = None) -> str:
    return (text or "") if may_see_personal_data(user, handoff) else mask(text)
