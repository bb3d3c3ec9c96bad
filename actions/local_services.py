"""各地精选 in the chat: when an answer touches a local service (looking for flexible
work → 妈妈岗 in her city; 家政 → 南粤家政 or, in 广州, 羊城家政), one line offering it
(catalogue/local_services.py holds the services and decides which fit).

The line joins the answer's basis message, like a course recommendation: a reply stays
at most three messages. A service she has already been offered is not offered again.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence

from assistant_contract.catalogue.local_services import (
    LOCAL_POLICY_NOTE, LocalService, city_of, offers_for, read_local_services,
)

from actions.context import Turn
from actions.her_turn import Reply

LINE_PREFIX = "🌟 各地精选："


@lru_cache(maxsize=1)
def default_services() -> Sequence[LocalService]:
    return read_local_services()


def service_line(service: LocalService, region: Optional[str]) -> str:
    """One line: the service, its first sentence, and the first way to reach it."""
    city = city_of(region)
    where = f"（{city}）" if city and (service.province_wide or city in service.cities) else ""
    first = re.split(r"(?<=[。！？；])", service.offers, maxsplit=1)[0].rstrip("。；")
    return f"{LINE_PREFIX}{service.name}{where}，{first}。可以找{service.reach[0]}了解（{LOCAL_POLICY_NOTE}）。"


def add_service_line(turn: Turn, reply: Reply, events: List[Dict[str, Any]],
                     services: Optional[Sequence[LocalService]] = None) -> Optional[LocalService]:
    """After an answer that touches a local service: one line offering the one that serves
    her city, her own city's first. Nothing in a crisis or when she has been offered it."""
    answered = any(e.get("event") == "slot" and e.get("name") == "last_faq_id" and e.get("value") for e in events)
    if not answered or turn.episode or turn.in_crisis_frame or not reply.messages:
        return None
    topic = next((e["value"] for e in events if e.get("event") == "slot" and e.get("name") == "topic"), None)
    intent = (topic or {}).get("intent") or turn.intent
    said = " ".join(turn.said()) + " ".join(m["text"] for m in reply.messages)
    region = turn.tracker.get_slot("region")
    touched = offers_for(services if services is not None else default_services(), intent=intent,
                         text=turn.text, region=region, limit=4)
    touched.sort(key=lambda service: not any(k in turn.text for k in service.keywords))  # what she said first
    for service in touched:
        if f"{LINE_PREFIX}{service.name}" in said:
            continue
        target = reply.messages[-2] if len(reply.messages) >= 2 and reply.messages[-1]["buttons"] else reply.messages[-1]
        target["text"] += "\n" + service_line(service, region)
        return service
    return None
