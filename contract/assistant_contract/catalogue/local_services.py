"""各地精选: the best local services (妈妈岗, 南粤家政, 羊城家政, 老年大学 …) as data, with
their schema check, the choice of which to offer when a conversation touches them
(looking for flexible work → 妈妈岗, in her city when it has its own), and the columns she
browses them by (家政服务, 妈妈岗, 创业帮帮, 少儿培训, 老人大学, 关爱帮扶).

How to reach a service is given by official channel names only (the local 人社部门, the
federation, a named mini-program): a phone number other than a public hotline is refused,
because a wrong number in a woman's hands is worse than none. Every card ends with
「以当地最新政策为准」. The file is `catalogue/local_services.yml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

from assistant_contract.areas import AREAS
from assistant_contract.catalogue import FOLDER, schemas
from assistant_contract.catalogue.sources import (
    CatalogueError, duplicate_ids, invented_numbers, prose, read_yaml, sources_and_date, strings,
)

LOCAL_SERVICES_FILE = FOLDER / "local_services.yml"
WHOLE_PROVINCE = "全省"
GUANGDONG_CITIES = (
    "广州市", "韶关市", "深圳市", "珠海市", "汕头市", "佛山市", "江门市", "湛江市", "茂名市", "肇庆市", "惠州市",
    "梅州市", "汕尾市", "河源市", "阳江市", "清远市", "东莞市", "中山市", "潮州市", "揭阳市", "云浮市",
)
LOCAL_POLICY_NOTE = "以当地最新政策为准"
SERVICE_ITEM = {
    "type": "object",
    "required": ["id", "name", "cities", "offers", "reach", "areas", "checked"],
    "additionalProperties": False,
    "properties": {
        "id": schemas.IDENTIFIER, "name": schemas.TEXT,
        "cities": dict(schemas.TEXTS, minItems=1), "offers": schemas.TEXT, "reach": dict(schemas.TEXTS, minItems=1),
        "areas": {"type": "array", "minItems": 1, "items": {"enum": list(AREAS)}},
        "intents": schemas.TEXTS, "keywords": schemas.TEXTS, "sources": schemas.TEXTS, "checked": schemas.DATE,
    },
}
COLUMN_ITEM = {
    "type": "object",
    "required": ["id", "title", "services"],
    "additionalProperties": False,
    "properties": {
        "id": schemas.IDENTIFIER, "title": schemas.TEXT, "words": schemas.TEXTS,
        "services": dict(schemas.TEXTS, minItems=1),
    },
}
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


@dataclass(frozen=True)
class LocalService:
    id: str
    name: str
    cities: Tuple[str, ...]  # Guangdong cities, or 全省
    offers: str
    reach: Tuple[str, ...]  # official channel names, never a private number
    areas: Tuple[str, ...]
    intents: Tuple[str, ...]
    keywords: Tuple[str, ...]
    sources: Tuple[str, ...]
    checked: date

    @property
    def province_wide(self) -> bool:
        return WHOLE_PROVINCE in self.cities

    def serves(self, city: Optional[str]) -> bool:
        return self.province_wide or (city is not None and city in self.cities)

    def card(self, city: Optional[str] = None) -> str:
        """What she reads: the service, what it offers, and how to reach it where she is."""
        where = f"（{city}）" if city and self.province_wide else (f"（{'、'.join(self.cities)}）"
                                                                  if not self.province_wide else "")
        return (f"【各地精选】{self.name}{where}\n{self.offers}\n怎么找：" + "；".join(self.reach)
                + f"\n（{LOCAL_POLICY_NOTE}）")


def local_service(item: Dict[str, Any], where: str) -> Tuple[Optional[LocalService], List[str]]:
    problems = schemas.problems(item, SERVICE_ITEM, where)
    if problems:
        return None, problems
    sources, checked, source_problems = sources_and_date(item, where, required=False)
    problems += source_problems
    if checked is None:
        return None, problems
    built = LocalService(
        id=str(item["id"]), name=str(item["name"]).strip(), cities=strings(item["cities"]),
        offers=prose(item["offers"]), reach=strings(item["reach"]), areas=strings(item["areas"]),
        intents=strings(item.get("intents")), keywords=strings(item.get("keywords")), sources=sources,
        checked=checked,
    )
    if not built.id.startswith("local."):
        problems.append(f"{where}: id must start with 'local.'")
    problems += [f"{where}: '{city}' is not a Guangdong city (use the full name, 广州市) or {WHOLE_PROVINCE}"
                 for city in built.cities if city != WHOLE_PROVINCE and city not in GUANGDONG_CITIES]
    if len(built.offers) < 40:
        problems.append(f"{where}: 'offers' should say in a sentence or two what she gets (40 characters or more)")
    text = " ".join((built.offers, " ".join(built.reach)))
    problems += [f"{where}: '{number}' looks like a phone number that is not a public hotline: "
                 "name the official channel instead" for number in invented_numbers(text)]
    if _URL.search(text):
        problems.append(f"{where}: a web address may change or be spoofed: name the official channel instead")
    return built, problems


def read_local_services(path: Path = LOCAL_SERVICES_FILE) -> Tuple[LocalService, ...]:
    data = read_yaml(path)
    items = data.get("services") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise CatalogueError(f"{Path(path).name}: expected a non-empty list under 'services:'")
    built, problems = [], []
    for number, item in enumerate(items, start=1):
        item = item if isinstance(item, dict) else {}
        made, found = local_service(item, f"{Path(path).name}#{number} ({item.get('id')})")
        problems += found
        if made:
            built.append(made)
    problems += duplicate_ids((s.id for s in built), "local service")
    if problems:
        raise CatalogueError("\n".join(problems))
    return tuple(built)


@dataclass(frozen=True)
class ServiceColumn:
    """A heading she browses by (创业帮帮): the checked services under it, in order."""
    id: str
    title: str
    words: Tuple[str, ...]  # what opens it by itself (「有没有少儿培训」); its title opens it beside 「各地精选」
    services: Tuple[str, ...]  # service ids


def read_columns(services: Iterable[LocalService], path: Path = LOCAL_SERVICES_FILE) -> Tuple[ServiceColumn, ...]:
    """The columns of the file, checked against its services: every id known, every
    service under at least one column, titles and words not shared between columns."""
    data = read_yaml(path)
    items = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise CatalogueError(f"{Path(path).name}: expected a non-empty list under 'columns:'")
    known = {service.id for service in services}
    built: List[ServiceColumn] = []
    problems: List[str] = []
    for number, item in enumerate(items, start=1):
        item = item if isinstance(item, dict) else {}
        where = f"{Path(path).name} columns#{number} ({item.get('id')})"
        found = schemas.problems(item, COLUMN_ITEM, where)
        if found:
            problems += found
            continue
        title = str(item["title"]).strip()
        column = ServiceColumn(id=str(item["id"]), title=title, words=strings(item.get("words")),
                               services=strings(item["services"]))
        problems += [f"{where}: unknown service '{sid}'" for sid in column.services if sid not in known]
        built.append(column)
    problems += duplicate_ids((c.id for c in built), "column")
    placed = {sid for column in built for sid in column.services}
    problems += [f"local_services.yml: service '{sid}' is under no column" for sid in sorted(known - placed)]
    owners: Dict[str, str] = {}
    for column in built:
        for word in dict.fromkeys((column.title,) + column.words):
            if owners.setdefault(word, column.id) != column.id:
                problems.append(f"columns: '{word}' opens both '{owners[word]}' and '{column.id}'")
    if problems:
        raise CatalogueError("\n".join(problems))
    return tuple(built)


def column_named(columns: Iterable[ServiceColumn], text: str, browsing: bool = False) -> Optional[ServiceColumn]:
    """The column her words name (「有没有少儿培训」 → 少儿培训), the longest word winning;
    a title that is also a topic of its own (妈妈岗) counts only when she is browsing."""
    named = [(len(word), column) for column in columns
             for word in (column.words + ((column.title,) if browsing else ())) if word in text]
    return max(named, key=lambda hit: hit[0])[1] if named else None


def in_column(column: ServiceColumn, services: Iterable[LocalService],
              region: Optional[str]) -> Tuple[List[LocalService], List[LocalService]]:
    """The column's services for her: (those that serve her city, her city's own first;
    those of other cities). Without a known city every service serves her."""
    by_id = {service.id: service for service in services}
    listed = [by_id[sid] for sid in column.services if sid in by_id]
    city = city_of(region)
    if city is None:
        return listed, []
    here = [s for s in listed if s.serves(city)]
    here.sort(key=lambda service: service.province_wide)  # stable: the file's order otherwise
    return here, [s for s in listed if not s.serves(city)]


def city_of(region: Optional[str]) -> Optional[str]:
    """Her Guangdong city from a full region name (广东省佛山市顺德区 → 佛山市), or None."""
    if not region:
        return None
    return next((city for city in GUANGDONG_CITIES if city in region or city[:-1] in region), None)


def offers_for(services: Iterable[LocalService], *, intent: Optional[str] = None, text: str = "",
               region: Optional[str] = None, limit: int = 2) -> List[LocalService]:
    """The services a conversation touches (her intent, or a keyword in what she wrote) that
    serve her city; her own city's services before the province-wide ones."""
    city = city_of(region)
    chosen = []
    for service in services:
        touched = (intent is not None and intent in service.intents) or any(k in text for k in service.keywords)
        if touched and service.serves(city):
            local_first = 0 if not service.province_wide else 1
            keyword_hits = sum(1 for k in service.keywords if k in text)
            intent_rank = service.intents.index(intent) if intent in service.intents else len(service.intents)
            chosen.append((local_first, -keyword_hits, intent_rank, service.id, service))
    return [entry[-1] for entry in sorted(chosen, key=lambda entry: entry[:4])][:limit]
