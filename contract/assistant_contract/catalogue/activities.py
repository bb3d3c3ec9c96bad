"""The activities catalogue (title, organiser, place or online, time, capacity, who it is
for, area), its schema check, and what is on for her: upcoming, near her, in an area.

The file `catalogue/activities.yml` holds SAMPLE activities until staff keep the real
ones (in the console, next): it must say `sample: true` at the top, and every card of a
sample activity says so. Places left are counted by the sign-up flow, not here: this
catalogue knows each activity's capacity only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

from assistant_contract.areas import AREAS
from assistant_contract.catalogue import FOLDER, schemas
from assistant_contract.catalogue.local_services import GUANGDONG_CITIES, WHOLE_PROVINCE, city_of
from assistant_contract.catalogue.sources import (
    CatalogueError, duplicate_ids, invented_numbers, prose, read_yaml, strings,
)

ACTIVITIES_FILE = FOLDER / "activities.yml"
SAMPLE_NOTE = "（示例活动，正式上线后以各级妇联发布的活动为准）"
MOMENT = {"type": "string", "minLength": 1}  # read by _moment: a date-time with its offset
ACTIVITY_ITEM = {
    "type": "object",
    "required": ["id", "title", "organiser", "start", "end", "capacity", "audience", "area", "description"],
    "additionalProperties": False,
    "properties": {
        "id": schemas.IDENTIFIER, "title": schemas.TEXT, "organiser": schemas.TEXT, "city": schemas.TEXT,
        "place": schemas.TEXT, "online": {"type": "boolean"}, "start": MOMENT, "end": MOMENT,
        "capacity": {"type": "integer", "minimum": 1}, "audience": schemas.TEXT, "area": {"enum": list(AREAS)},
        "description": schemas.TEXT, "keywords": schemas.TEXTS,
    },
}


@dataclass(frozen=True)
class Activity:
    id: str
    title: str
    organiser: str
    city: str  # a Guangdong city, or 全省 for an online activity open to all
    place: Optional[str]  # None when online
    online: bool
    start: datetime  # China time, with its offset
    end: datetime
    capacity: int
    audience: str
    area: str
    description: str
    keywords: Tuple[str, ...]
    sample: bool

    def card(self) -> str:
        where = "线上" if self.online else f"{self.city}·{self.place}"
        when = f"{self.start:%m月%d日 %H:%M}—{self.end:%H:%M}" if self.start.date() == self.end.date() \
            else f"{self.start:%m月%d日 %H:%M}—{self.end:%m月%d日 %H:%M}"
        text = f"【活动】{self.title}\n时间：{when}\n地点：{where}\n主办：{self.organiser}\n适合：{self.audience}\n名额：{self.capacity}人"
        return text + (f"\n{SAMPLE_NOTE}" if self.sample else "")


def _moment(value: Any) -> Optional[datetime]:
    """A start or end time: an ISO date-time with its UTC offset (2026-12-12T09:30:00+08:00)."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None
    return moment if moment.tzinfo is not None else None


def activity(item: Dict[str, Any], where: str, sample: bool) -> Tuple[Optional[Activity], List[str]]:
    problems = schemas.problems(item, ACTIVITY_ITEM, where)
    if problems:
        return None, problems
    start, end = _moment(item["start"]), _moment(item["end"])
    if start is None or end is None:
        return None, [f"{where}: 'start' and 'end' must be date-times with their offset (2026-12-12T09:30:00+08:00)"]
    online = bool(item.get("online", False))
    place = str(item.get("place") or "").strip() or None
    built = Activity(
        id=str(item["id"]), title=str(item["title"]).strip(), organiser=str(item["organiser"]).strip(),
        city=str(item.get("city") or (WHOLE_PROVINCE if online else "")).strip(), place=place, online=online,
        start=start, end=end, capacity=item["capacity"],
        audience=str(item["audience"]).strip(), area=str(item["area"]), description=prose(item["description"]),
        keywords=strings(item.get("keywords")), sample=sample,
    )
    if not built.id.startswith("activity."):
        problems.append(f"{where}: id must start with 'activity.'")
    if built.end <= built.start:
        problems.append(f"{where}: ends before it starts")
    if not online and not place:
        problems.append(f"{where}: needs a 'place', or 'online: true'")
    if online and place:
        problems.append(f"{where}: is online and has a place: say which")
    if built.city != WHOLE_PROVINCE and built.city not in GUANGDONG_CITIES:
        problems.append(f"{where}: city must be a Guangdong city (广州市) or {WHOLE_PROVINCE} for online activities")
    problems += [f"{where}: '{number}' looks like a phone number that is not a public hotline"
                 for number in invented_numbers(" ".join((built.description, built.organiser, place or "")))]
    return built, problems


def read_activities(path: Path = ACTIVITIES_FILE) -> Tuple[Activity, ...]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("activities"), list) or not data["activities"]:
        raise CatalogueError(f"{Path(path).name}: expected 'sample' and a non-empty list under 'activities:'")
    if not isinstance(data.get("sample"), bool):
        raise CatalogueError(f"{Path(path).name}: must say 'sample: true' (sample data) or 'sample: false'")
    built, problems = [], []
    for number, item in enumerate(data["activities"], start=1):
        item = item if isinstance(item, dict) else {}
        made, found = activity(item, f"{Path(path).name}#{number} ({item.get('id')})", data["sample"])
        problems += found
        if made:
            built.append(made)
    problems += duplicate_ids((a.id for a in built), "activity")
    if problems:
        raise CatalogueError("\n".join(problems))
    return tuple(sorted(built, key=lambda a: (a.start, a.id)))


def upcoming(activities: Iterable[Activity], now: datetime, *, area: Optional[str] = None,
             region: Optional[str] = None, within_days: Optional[int] = None, text: str = "",
             limit: int = 3) -> List[Activity]:
    """What is on for her, soonest first: not yet over, in her area, in her city or online,
    within the days she asked (「这周」), and about what she named when an activity is about it
    (「孩子」「创业」): words no activity is about do not narrow the list."""
    activities = list(activities)
    city = city_of(region)
    horizon = now + timedelta(days=within_days) if within_days is not None else None
    wanted = {keyword for item in activities for keyword in item.keywords if keyword in text}
    found = []
    for item in activities:
        if item.end <= now or (horizon is not None and item.start > horizon):
            continue
        if area is not None and item.area != area:
            continue
        if city is not None and not (item.online or item.city == city):
            continue
        if wanted and not wanted & set(item.keywords):
            continue
        found.append(item)
    return found[:limit]
