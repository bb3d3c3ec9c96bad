"""What one turn produced, read from the places she and the staff would see it.

The replies come from the REST channel's answer; how the assistant understood the
turn comes from Rasa's tracker (the parse and the events of this turn); the
handoff comes from the routing backend (or the local outbox while the backend had
not taken it). The checks read only this record, so they can be tested with
hand-made ones.

How the area of a turn is decided (the `area` check):
1. a service-area slot set during this turn (`service_area`, set by the answering
   action, or `area`, set by a menu button): that is the dialogue's own decision,
   and how a follow-up that keeps the topic ("要钱吗" after counselling) shows;
   `service_area` cleared this turn is its decision too: the turn is about no area
   ("哈哈说出来舒服多了 就是想吐槽一下" after steam let off);
2. else the area of the parsed intent (`bot.taxonomy.category_of_parse`, which also
   keeps the area of a fallback between two intents of one area; crisis intents
   count: violence and sexual assault → legal, self-harm → care);
3. else none. An area left in a slot by an earlier turn does not count: it says
   nothing about how this turn was understood.

Whether a turn was treated as danger now (the `danger` check): a crisis intent, the
crisis detector's verdict or the crisis reply's action; and the crisis episode's own
judgement when this turn set it (`crisis_episode.danger_now`): inside an episode
「我不想去医院 让我睡吧」 is danger now though no single-message signal says so, and a
message the crisis reply read as news in the episode (「门开了 他在哭 我抱着他呢」) is not.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from assistant_contract.areas import AREAS
from bot.taxonomy import load_taxonomy

AREA_SLOTS = ("service_area", "area")
CRISIS_ACTIONS = ("action_crisis_response", "utter_crisis_not_safe")
CRISIS_PREFIX = "crisis_"


@dataclass
class TurnObservation:
    sent: str  # the text that went to the REST channel (a button's payload when she pressed one)
    replies: List[Dict[str, Any]] = field(default_factory=list)
    parse: Dict[str, Any] = field(default_factory=dict)
    events: List[Dict[str, Any]] = field(default_factory=list)  # this turn's tracker events
    handoff: Optional[Dict[str, Any]] = None  # routing status (plus "source"), None when there is none
    forwarded: Optional[List[str]] = None  # her messages as an expert reads them; None when not read
    forwarded_reader: str = ""
    earlier_replies: List[str] = field(default_factory=list)  # the assistant's texts in earlier turns
    error: str = ""  # the channel's failure, when there was no answer

    def texts(self) -> List[str]:
        """Everything she reads in this turn: message texts and button titles."""
        shown = []
        for reply in self.replies:
            if reply.get("text"):
                shown.append(str(reply["text"]))
            shown.extend(str(b.get("title", "")) for b in reply.get("buttons") or [] if b.get("title"))
        return shown

    def message_texts(self) -> List[str]:
        return [str(reply["text"]) for reply in self.replies if reply.get("text")]

    def first_text(self) -> str:
        texts = self.message_texts()
        return texts[0] if texts else ""

    def slots_set(self) -> Dict[str, Any]:
        """Slots this turn set, the last value of each."""
        return {e.get("name"): e.get("value") for e in self.events if e.get("event") == "slot"}

    def actions(self) -> List[str]:
        return [str(e.get("name")) for e in self.events if e.get("event") == "action"]

    def intent(self) -> Optional[str]:
        return (self.parse.get("intent") or {}).get("name")


def turn_events(events: Sequence[Dict[str, Any]]) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """The parse of her latest message and the events from it to the end.
    Messages the routing backend injects (expert replies) are marked external and skipped."""
    for position in range(len(events) - 1, -1, -1):
        event = events[position]
        if event.get("event") == "user" and not (event.get("metadata") or {}).get("is_external"):
            return dict(event.get("parse_data") or {}), list(events[position:])
    return {}, []


def area_of(observation: TurnObservation) -> Tuple[str, str]:
    """(area or "none", why) by the rule in the module docstring."""
    slots = observation.slots_set()
    for name in AREA_SLOTS:
        if slots.get(name) in AREAS:
            return slots[name], f"slot {name} set this turn"
    if "service_area" in slots and slots["service_area"] is None:
        return "none", "slot service_area cleared this turn"
    category = load_taxonomy().category_of_parse(observation.parse) if observation.parse else None
    if category:
        return category, f"intent {observation.intent()}"
    return "none", f"intent {observation.intent()} has no area and no area slot was set"


def crisis_signals(observation: TurnObservation) -> List[str]:
    """Why the assistant treated this turn as danger now (empty when it did not)."""
    signals = []
    intent = observation.intent() or ""
    if intent.startswith(CRISIS_PREFIX):
        signals.append(f"intent {intent}")
    verdict = observation.parse.get("crisis") or {}
    if verdict.get("detected"):
        signals.append(f"crisis detector ({verdict.get('type')}, {verdict.get('source')})")
    signals.extend(f"action {name}" for name in observation.actions() if name in CRISIS_ACTIONS)
    episode = observation.slots_set().get("crisis_episode")
    if isinstance(episode, dict) and "danger_now" in episode:
        if episode["danger_now"]:
            signals.append("crisis episode: in danger now")
        else:
            return []  # the episode read this turn as news, whatever the single message suggested
    return signals
