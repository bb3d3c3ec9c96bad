"""各地精选 in the chat: when an answer touches a local service (looking for flexible
work → 妈妈岗 in her city; 家政 → 南粤家政 or, in 广州, 羊城家政), one line offering it;
and browsing: 「各地精选」 lists the columns, 「创业帮帮」「有没有少儿培训」「老年大学怎么报名」
show a column's services for her city (catalogue/local_services.py holds the services and
columns and decides which fit).

The line joins the answer's basis message, like a course recommendation: a reply stays
at most three messages. A service she has already been offered is not offered again.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from assistant_contract.catalogue.local_services import (
    LOCAL_POLICY_NOTE, LocalService, ServiceColumn, city_of, column_named, in_column, offers_for,
    read_columns, read_local_services,
)

from actions.context import Turn, answered_intent, ask
from actions.her_turn import HerTurnAction, Reply

LINE_PREFIX = "🌟 各地精选："
BROWSING = re.compile(r"各地精选|精选服务|本地(的)?(好)?服务有|当地(有)?(什么|啥|哪些)(好)?服务")
MENU_TEXT = "各地精选是各地妇联和有关部门办的实在服务，选一类看看："
COLUMN_ASKS = re.compile(r"有没有|有冇|有无|有什么|有啥|有哪些|有乜|哪里|哪儿|在哪|边度|怎么报名|点报名|报名|推荐|介绍|想上|想去|想学|想报|"
                         r"怎么去|怎么找|几时|什么时候|吗|呢|嘛|？|\?")
SHORT_ASK = 8  # characters: 「创业帮帮」「老人大学」 alone ask for the column
NEAR = 7  # characters around the column's word where her question about it is


@lru_cache(maxsize=1)
def default_services() -> Sequence[LocalService]:
    return read_local_services()


@lru_cache(maxsize=1)
def default_columns() -> Sequence[ServiceColumn]:
    return read_columns(default_services())


def column_button(column: Optional[ServiceColumn], title: Optional[str] = None) -> Dict[str, str]:
    value = {"local_column": column.id} if column else {}
    payload = "/choose_local_service" + json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return {"title": title or column.title, "payload": payload}


def menu(columns: Sequence[ServiceColumn]) -> Dict[str, Any]:
    return {"text": MENU_TEXT, "buttons": [column_button(column) for column in columns]}


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[。！？；])", text, maxsplit=1)[0].rstrip("。；")


def column_message(column: ServiceColumn, services: Sequence[LocalService], region: Optional[str]) -> Dict[str, Any]:
    """A column for her: the services that serve her city, each with what it offers and
    how to reach it; the other cities' ones named in a line; the local-policy note."""
    here, elsewhere = in_column(column, services, region)
    city = city_of(region)
    lines = [f"【各地精选·{column.title}】" + (f"{city}可以找这些：" if city and here else "")]
    for number, service in enumerate(here, start=1):
        where = "" if service.province_wide else f"（{'、'.join(service.cities)}）"
        lines.append(f"{number}. {service.name}{where}：{_first_sentence(service.offers)}。\n   怎么找：{service.reach[0]}")
    if not here:
        lines.append(f"{city}暂时没有收录这一类的服务，可以问问当地妇联有没有类似的。")
    if elsewhere:
        lines.append("其他城市的：" + "、".join(f"{s.name}（{'、'.join(s.cities)}）" for s in elsewhere))
    lines.append(f"（{LOCAL_POLICY_NOTE}）")
    return {"text": "\n".join(lines), "buttons": [column_button(None, "看看其他精选")]}


def asked_column(text: str, columns: Sequence[ServiceColumn]) -> Tuple[bool, Optional[ServiceColumn]]:
    """(she is browsing 各地精选, the column her words name). A column named inside a story
    (「我妈在老年大学被人骗了钱」) is not asked for: it needs a question about it or little else."""
    browsing = bool(BROWSING.search(text))
    column = column_named(columns, text, browsing=browsing)
    if column is not None and not browsing and len(text) > SHORT_ASK and not _asked_about(text, column):
        column = None
    return browsing, column


def _asked_about(text: str, column: ServiceColumn) -> bool:
    """A question right around the column's word: 「有没有少儿培训」「老年大学怎么报名」."""
    for word in column.words:
        at = text.find(word)
        if at >= 0 and COLUMN_ASKS.search(text[max(0, at - NEAR): at + len(word) + NEAR]):
            return True
    return False


def local_service_request(turn: Turn, reply: Reply, services: Optional[Sequence[LocalService]] = None,
                          columns: Optional[Sequence[ServiceColumn]] = None) -> Optional[List[Dict[Text, Any]]]:
    """「各地精选」: the columns; 「创业帮帮」「有冇老人大学」: that column. None when her message
    is neither, and always inside a crisis (her safety comes first)."""
    if turn.is_button or turn.episode or turn.in_crisis_frame:
        return None
    columns = columns if columns is not None else default_columns()
    browsing, column = asked_column(turn.text, columns)
    if column is None and not browsing:
        return None
    return show(turn, reply, column, columns, services)


def show(turn: Turn, reply: Reply, column: Optional[ServiceColumn], columns: Sequence[ServiceColumn],
         services: Optional[Sequence[LocalService]] = None) -> List[Dict[Text, Any]]:
    """The column for her city, or the columns when none is chosen."""
    shown = column_message(column, services if services is not None else default_services(),
                           turn.tracker.get_slot("region")) if column else menu(columns)
    reply.say(shown["text"], shown["buttons"])
    return [ask(None)]


class ActionLocalServicesShow(HerTurnAction):
    """A 各地精选 button: a column's services for her city, or the columns."""

    def __init__(self, store=None, services: Optional[Sequence[LocalService]] = None,
                 columns: Optional[Sequence[ServiceColumn]] = None) -> None:
        super().__init__(store)
        self._services, self._columns = services, columns

    def name(self) -> Text:
        return "action_local_services_show"

    async def respond(self, turn: Turn, reply: Reply) -> List[Dict[Text, Any]]:
        columns = self._columns if self._columns is not None else default_columns()
        entities = {e.get("entity"): e.get("value") for e in turn.tracker.latest_message.get("entities") or []}
        column = next((c for c in columns if c.id == entities.get("local_column")), None)
        return show(turn, reply, column, columns, self._services)


def service_line(service: LocalService, region: Optional[str]) -> str:
    """One line: the service, its first sentence, and the first way to reach it."""
    city = city_of(region)
    where = f"（{city}）" if city and (service.province_wide or city in service.cities) else ""
    return f"{LINE_PREFIX}{service.name}{where}，{_first_sentence(service.offers)}。可以找{service.reach[0]}了解（{LOCAL_POLICY_NOTE}）。"


def add_service_line(turn: Turn, reply: Reply, events: List[Dict[str, Any]],
                     services: Optional[Sequence[LocalService]] = None) -> Optional[LocalService]:
    """After an answer that touches a local service: one line offering the one that serves
    her city, her own city's first. Nothing in a crisis or when she has been offered it."""
    answered = any(e.get("event") == "slot" and e.get("name") == "last_faq_id" and e.get("value") for e in events)
    if not answered or turn.episode or turn.in_crisis_frame or not reply.messages:
        return None
    intent = answered_intent(turn, events)
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
