"""Shared checks of the learning catalogues (courses, quiz, local services, activities):
their sources, the date those were checked, and the plain fields every item has.

A source follows the rule of the knowledge entries (`entries.citation_problem`): a law
names its article, a policy document its number or year. Each reader builds its items
from YAML and collects every problem, naming the file and the item, so that an author
sees all of them at once.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml

from assistant_contract.catalogue.entries import citation_problem

# A phone number that is not one of the public hotlines must never be written into the
# catalogue by hand: a wrong number in a woman's hands is worse than none.
HOTLINES = ("110", "120", "12338", "12348", "12333", "12355", "12356", "12345", "96110", "12366", "12320")
_NUMBER = re.compile(r"(?<!\d)\d{3,}(?:-\d{3,})*(?!\d)")
_NOT_PHONES = re.compile(r"(?:19|20)\d{2}(?:年|-|〔|号)|\d+(?:元|万|岁|天|小时|分钟|人|个|次|%|号|条|期|周|月|平方)")


class CatalogueError(ValueError):
    """A catalogue file does not follow its schema; the message lists every problem."""


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CatalogueError(f"{path}: cannot be read: {error}") from None


def checked_date(value: Any) -> Optional[date]:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def sources_and_date(item: Dict[str, Any], where: str, required: bool) -> Tuple[Tuple[str, ...], Optional[date], List[str]]:
    """The item's sources, when they were checked, and what is wrong with either.
    `required`: the item must cite at least one source."""
    problems: List[str] = []
    raw = item.get("sources")
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        return (), None, [f"{where}: 'sources' must be a list"]
    sources = tuple(str(source).strip() for source in raw if str(source).strip())
    if required and not sources:
        problems.append(f"{where}: needs at least one source (a law and its article, or a policy document)")
    problems += [f"{where}: {problem}" for problem in map(citation_problem, sources) if problem]
    checked = checked_date(item.get("checked")) if item.get("checked") not in (None, "") else None
    if (sources or required) and checked is None:
        problems.append(f"{where}: 'checked' must be the date its sources were last checked (YYYY-MM-DD)")
    return sources, checked, problems


def strings(value: Any) -> Tuple[str, ...]:
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    return tuple(str(v).strip() for v in value or () if str(v).strip())


_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’（）]"
_SPACE_BY_CJK = re.compile(rf"(?<={_CJK})\s+|\s+(?={_CJK})")


def prose(text: Any) -> str:
    """A paragraph as one line: YAML's folded lines joined, and no stray space beside Chinese
    characters (a folded line break reads as a space, which Chinese does not use)."""
    return _SPACE_BY_CJK.sub("", " ".join(str(text).split()))


def invented_numbers(text: str) -> List[str]:
    """Numbers in the text that look like phone numbers and are not public hotlines."""
    cleaned = _NOT_PHONES.sub("", text)
    return [number for number in _NUMBER.findall(cleaned) if number not in HOTLINES and len(number) >= 5]


def duplicate_ids(ids: Iterable[str], what: str) -> List[str]:
    seen, problems = set(), []
    for item_id in ids:
        if item_id in seen:
            problems.append(f"{what} id '{item_id}' is used twice")
        seen.add(item_id)
    return problems
