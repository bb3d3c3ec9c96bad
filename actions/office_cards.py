"""The office card for a place: the federation office serving it, the offices above, or an
honest answer when the place is outside Guangdong or not in the directory.

Shared by the office action (actions/find_office.py) and the answering action, which shows
another place's card when she asks about it right after a card ("过年我回江西老家 那边有吗",
"那我老家揭阳普宁的呢") whatever topic words the classifier followed; neither imports the other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from rasa_sdk.events import SlotSet

from actions.office_details import HOTLINE, SAFETY_LINE, map_link
from actions.routing_protocol import OfficeDirectory
from nlu.gazetteer import Gazetteer, Place

LEVEL_TITLES = {
    "province": "省妇联", "city": "市妇联", "county": "区（县）妇联",
    "town": "乡镇（街道）妇联", "village": "村（社区）妇联",
}
SAMPLE_NOTE = "（目前是示例数据，正式上线后会换成当地妇联公布的地址和电话，以当地公布为准。）"
# After a card, a place and a short question about it ask for that place's office
ASKS_THERE = re.compile(r"有吗|有没有|有冇|有無|呢|那边|那里|嗰边|在哪|喺边|哪里|边度")
ANOTHER_PLACE_CHARS = 24


@dataclass
class Card:
    text: str
    events: List[Dict[str, Any]] = field(default_factory=list)


def describe(office: Dict[str, Any], with_distance: bool) -> str:
    lines = [f"📍 {office['name']}（{LEVEL_TITLES.get(office.get('level'), '妇联')}）"]
    if with_distance and office.get("distance_km") is not None:
        lines.append(f"距离你约 {office['distance_km']:.1f} 公里（直线距离）")
    lines.append(f"地址：{office.get('address') or '暂未收录'}")
    lines.append(f"电话：{office.get('phone') or HOTLINE}")
    lines.append(f"办公时间：{office.get('hours') or '工作日办公，请先电话确认'}")
    link = map_link(office)
    if link:
        lines.append(f"地图：{link}")
    return "\n".join(lines)


def with_notes(parts: List[str], offices: List[Dict[str, Any]]) -> str:
    """The card as one message (channels split on blank lines), with the sample-data note."""
    if any(o.get("sample") for o in offices):
        parts = parts + [SAMPLE_NOTE]
    return "\n".join(parts + [SAFETY_LINE])


def outside(place_name: str, province: Optional[str] = None) -> Card:
    """Honest about the directory's reach; names her place's province (湖南省妇联) when known."""
    where = f"{place_name}在{province}，" if province and province != place_name else f"{place_name}"
    ask = f"{province}妇联或当地的市、县妇联" if province else "当地妇联"
    return Card(f"{where}不在广东省，我这里只收录了广东省各级妇联的地址，没法告诉你准确的办公地点，抱歉。\n"
                f"你可以拨打{HOTLINE}妇女维权公益服务热线，全国都能打通，会由当地妇联接听；"
                f"也可以在当地政府网站查询{ask}。在广东，{HOTLINE}接通的是广东省妇联。",
                [SlotSet("awaiting_place", False)])


def not_listed(place: Place) -> Card:
    return Card(f"目录里暂时没有{place.name}的妇联信息。你可以拨打{HOTLINE}妇女维权公益服务热线，"
                "会由当地妇联接听，告诉你最近的办公地点。",
                [SlotSet("awaiting_place", False), SlotSet("region", place.full_name)])


async def card_for_place(directory: OfficeDirectory, gazetteer: Gazetteer, region: str,
                         level: Optional[str]) -> Card:
    """The card for a recognised place (its full name), at the level she asked for if any."""
    place = gazetteer.by_full_name(region)
    if place is None or not place.in_guangdong:
        province = gazetteer.by_code(place.code[:2] + "0" * 10) if place else None
        return outside(place.name if place else region, province.name if province else None)
    offices = await directory.offices_for_region(place.full_name, level)
    if not offices:
        return not_listed(place)
    first = offices[0]
    above = offices[1:3] if first.get("level") == "town" else offices[1:2]  # a town: its county and city
    heading = (f"你问的{LEVEL_TITLES[level]}（{place.name}）：" if level and first.get("level") == level
               else f"离你最近的妇联组织（{place.name}）：")
    parts = [heading, describe(first, with_distance=False)]
    if above:
        parts.append("；".join(f"{'上一级' if n == 0 else '再上一级'}是{o['name']}，电话{o.get('phone') or HOTLINE}"
                              for n, o in enumerate(above)) + "。")
    return Card(with_notes(parts, offices), [SlotSet("awaiting_place", False), SlotSet("office_level", None),
                                             SlotSet("region", place.full_name)])


def office_topic(region: str, turn_number: int) -> Dict[str, Any]:
    """The topic after a card: short questions are read about that office."""
    return {"office": region, "area": None, "turn": turn_number}


def asks_about_another_place(text: str, place: Optional[str], topic: Optional[Dict[str, Any]]) -> bool:
    """Right after a card, a short message that names a place and asks about it."""
    return bool((topic or {}).get("office") and place and len(text or "") <= ANOTHER_PLACE_CHARS
                and ASKS_THERE.search(text or ""))
