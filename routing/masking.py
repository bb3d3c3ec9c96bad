"""Personal data hidden before anyone but an admin or her own expert reads it.

Rasa Open Source keeps messages as written, so the routing backend masks them itself,
on the server, before the console renders a page, before the API answers, and before
any export (NLU corrections, CSV). `mask` is the only masking function; who may read
unmasked text is decided by routing/authorization.py (`may_see_personal_data`).

People write numbers in many ways to get them past filters, or just out of habit:
138.1234.5678, full-width １３８１２３４５６７８, 一三八一二三四五六七八 or 幺三八….
Each rule is matched on a copy of the text with full-width characters (and, for
numbers, Chinese numerals) folded to ASCII digits one character for one, so the
matched span can be cut from the original text. Hotlines (110, 12338, 12356 …),
dates, times, amounts and article numbers have too few digits to match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from routing.authorization import may_see_personal_data
from routing.models import Handoff, User

PHONE_MASK = "[电话已隐藏]"
ID_MASK = "[身份证号已隐藏]"
CARD_MASK = "[银行卡号已隐藏]"
EMAIL_MASK = "[邮箱已隐藏]"
WECHAT_MASK = "[微信号已隐藏]"
QQ_MASK = "[QQ号已隐藏]"
ADDRESS_MASK = "[地址已隐藏]"
CODE_MASK = "[接续码已隐藏]"

# Full-width ASCII (！ to ～) and the ideographic space, one character for one.
WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
NUMERALS = WIDTH | str.maketrans("〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖", "001234567891123456789")

_SEP = r"[\s\-－—–.．·]{0,2}"  # between the digits of a number as people space it
_ID_SEP = r"[\s\-]?"
_BIRTH = r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
ID_NUMBER = re.compile(  # 18 digits (6-digit area, birth date, 3 digits, check digit or X), or the old 15
    r"(?<![0-9A-Za-z])\d{6}" + _ID_SEP + _BIRTH + _ID_SEP + r"\d{3}[0-9Xx](?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z])\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])")
BANK_CARD = re.compile(  # 16 to 19 digits, together or in groups of four
    r"(?<![\d\-])(?:\d{16,19}|\d{4}(?:[ \-]\d{4}){3}(?:[ \-]?\d{1,3})?)(?![\d\-])")
MOBILE = re.compile(  # mainland mobiles, optionally +86: 138 1234 5678, 138.1234.5678
    r"(?<!\d)(?:(?:\+|00)?86" + _SEP + r")?1" + _SEP + r"[3-9](?:" + _SEP + r"\d){9}(?!\d)")
LANDLINE = re.compile(  # (020) 8765 4321, 0757-22334455, 020-12345678-801
    r"(?<!\d)(?:\(0\d{2,3}\)\s?|0\d{2,3}" + _SEP + r")\d{3,4}" + _SEP + r"\d{4}(?:-\d{1,5})?(?!\d)")
CALLED_NUMBER = re.compile(  # 电话87654321: seven or more digits after a word that says it is her number
    r"(?:电话|座机|手机|号码|联系方式|tel|TEL|Tel)(?:号码?)?[\s:：是为]{0,3}(\d(?:[\s\-]?\d){6,14})(?!\d)")
QQ_NUMBER = re.compile(r"(?<![A-Za-z])(?:QQ|qq|Qq|扣扣)(?:号)?[\s:：是为]{0,3}(\d{5,11})(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
WECHAT_INTERNAL = re.compile(r"(?<![A-Za-z0-9])wxid_[A-Za-z0-9_\-]{4,}")
WECHAT = re.compile(  # 微信号：lily_88, vx: Lily2024, V信 lily2024, 加V abcdef1
    r"(?:微信|威信|薇信|[Vv]信|(?<![A-Za-z])(?:[VvWw][Xx]|weixin|wechat|WeChat|Wechat)|加[Vv])"
    r"(?:号|ID|id)?[\s:：是为=]{0,3}([A-Za-z0-9][A-Za-z0-9_\-]{4,29})(?![A-Za-z0-9_\-])")

# A continuation code (assistant_contract.continuation) moves her request to whoever sends it:
# after the word 接续码, or alone in its dashed form with a digit and a letter.
_CODE = r"[0-9A-Za-z]{5}[\s\-－—–_]{0,3}[0-9A-Za-z]{5}(?![0-9A-Za-z])"
NAMED_CODE = re.compile(r"(?:接续码|接續碼|continuation\s*code)[^0-9A-Za-z]{0,12}(" + _CODE + ")", re.IGNORECASE)
DASHED_CODE = re.compile(r"(?<![0-9A-Za-z])(?=[0-9A-Za-z\-]{0,10}\d)(?=[0-9A-Za-z\-]{0,10}[A-Za-z])"
                         r"[0-9A-Za-z]{5}-[0-9A-Za-z]{5}(?![0-9A-Za-z])")

_STOP = "区市县镇省乡在住是的到址我家了"
_NAME = r"[^\s\W" + _STOP + r"]"
# Building, unit, floor and room after a house number (2栋501室, 之一).
_BUILDING = r"(?:\s*(?:之[\d一二三四五六七八九十]+|\d+\s*(?:号楼|栋|座|幢|楼|单元|层|室|房|号|铺)))*"
STREET = re.compile(  # 林和西路123号2栋501室, 建设大道8号之一
    _NAME + r"{1,10}?(?:路|街|大道|大街|巷|弄|里)\s*\d+\s*号" + _BUILDING)
ESTATE = re.compile(  # 幸福花园3栋502, 东村12巷5号
    _NAME + r"{1,10}?(?:小区|花园|苑|大厦|公寓|新村|村|广场|社区)\s*\d+\s*(?:号楼|栋|座|幢|巷|号|期)" + _BUILDING)
_UNIT = r"(?:\d+\s*(?:号楼|栋|幢|座|单元)|[A-Za-z]\s*(?:栋|座))"
BUILDING = re.compile(  # 3栋502, 1单元302, 3栋2单元502室, 12号楼1203, B座1203
    r"(?<![\dA-Za-z])" + _UNIT + r"(?:\s*" + _UNIT + r"|\s*\d+\s*(?:楼|层))*\s*\d+\s*(?:室|房|号|户)?")
ROOM = re.compile(r"(?<!\d)\d{3,4}\s*(?:室|房)(?!间|子|租)")  # 502室, 1203房


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    label: str
    numerals: bool = False  # also read Chinese numerals as digits
    group: int = 0  # the part hidden: the id, not the word 微信号 before it


RULES = (
    Rule(ID_NUMBER, ID_MASK, numerals=True), Rule(BANK_CARD, CARD_MASK, numerals=True),
    Rule(MOBILE, PHONE_MASK, numerals=True), Rule(LANDLINE, PHONE_MASK, numerals=True),
    Rule(CALLED_NUMBER, PHONE_MASK, numerals=True, group=1), Rule(QQ_NUMBER, QQ_MASK, group=1),
    Rule(EMAIL, EMAIL_MASK), Rule(WECHAT_INTERNAL, WECHAT_MASK), Rule(WECHAT, WECHAT_MASK, group=1),
    Rule(NAMED_CODE, CODE_MASK, group=1), Rule(DASHED_CODE, CODE_MASK),
    Rule(STREET, ADDRESS_MASK), Rule(ESTATE, ADDRESS_MASK), Rule(BUILDING, ADDRESS_MASK), Rule(ROOM, ADDRESS_MASK),
)


def _apply(rule: Rule, text: str) -> str:
    """Replace what `rule` finds, matching on folded copies and cutting from the original."""
    for table in (WIDTH, NUMERALS) if rule.numerals else (WIDTH,):
        spans = [match.span(rule.group) for match in rule.pattern.finditer(text.translate(table))]
        for start, end in reversed(spans):
            text = text[:start] + rule.label + text[end:]
    return text


def mask(text: Optional[str]) -> str:
    """Every phone, ID, bank card and QQ number, e-mail address, WeChat id, continuation code
    and street or room address in `text` replaced by a label that says what was there."""
    if not text:
        return text or ""
    for rule in RULES:
        text = _apply(rule, text)
    return text


def for_viewer(text: Optional[str], user: User, handoff: Optional[Handoff] = None) -> str:
    """What this viewer may read of `text`: as written, or masked."""
    return (text or "") if may_see_personal_data(user, handoff) else mask(text)


__all__ = ["mask", "for_viewer", "may_see_personal_data", "PHONE_MASK", "ID_MASK", "CARD_MASK", "EMAIL_MASK",
           "WECHAT_MASK", "QQ_MASK", "ADDRESS_MASK", "CODE_MASK"]
