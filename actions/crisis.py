"""The first reply when someone may be in danger now: emergency numbers before
anything else, spoken to the person writing, then an urgent handoff so that a
person is told at once. The reply opens a crisis episode (`crisis_episode`):
what she writes next is read in it (actions/crisis_followup.py) until she
leaves it for another topic.

Whose danger it is comes from the detector (nlu/whose_danger.py) and, when her
words only say "他/她", from the conversation: after "我儿子初三…天天关在房间里",
"他最近老说活着没意思" is about her son, and she is asked to stay with him, not
whether she has taken pills. A new danger message inside an open episode gets a
short, different reply (never the same long text again) and no second handoff.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk.events import SlotSet

from actions import conversation
from actions.context import CRISIS_SAFETY, Turn, ask, set_topic
from actions.crisis_followup import SAFE_FACTS, UPDATE, facts_in, respond_in_episode
from actions.handoff_types import HandoffRequest
from actions.her_turn import HerTurnAction, Reply
from actions.routing_protocol import RoutingError
from bot.knowledge_index import default_index
from bot.taxonomy import load_taxonomy

logger = logging.getLogger(__name__)
CRISIS_TYPES = ("violence", "self_harm", "sexual_assault", "child_danger")
DEFAULT_TYPE = "violence"
SELF, CHILD, OTHER = "self", "child", "other"
PRONOUNS = ("他", "她", "佢", "ta")
CHILD_WORDS = re.compile(r"儿子|女儿|孩子|小孩|闺女|个仔|个女|宝宝|孙子|孙女|初[一二三]|高[一二三]|年级|上学")


def crisis_type_of(latest_message: Dict[str, Any]) -> str:
    """The danger type from the detector's verdict, else from the intent name."""
    verdict: Optional[Dict[str, Any]] = latest_message.get("crisis")
    if verdict and verdict.get("type") in CRISIS_TYPES:
        return verdict["type"]
    intent = (latest_message.get("intent") or {}).get("name") or ""
    suffix = intent.removeprefix("crisis_")
    return suffix if suffix in CRISIS_TYPES else DEFAULT_TYPE


def whose_danger(turn: Turn, crisis_type: str) -> str:
    """self, child or other: the detector's reading, with "他/她" resolved by the
    conversation (a topic about her child, or her child named in her last messages)."""
    verdict = turn.crisis
    whose = verdict.get("whose") or SELF
    if crisis_type == "child_danger":
        return CHILD
    if whose == OTHER and (verdict.get("who") or "") in PRONOUNS:
        earlier = " ".join(m["text"] for m in conversation.user_messages(turn.tracker)[-4:-1])
        if (turn.topic or {}).get("area") == "family_education" or CHILD_WORDS.search(earlier):
            return CHILD
    return whose if whose in (SELF, CHILD, OTHER) else SELF


def news_in_episode(turn: Turn, crisis_type: str) -> bool:
    """Inside an open episode of another danger, a message that only the model reads as a
    new danger (no danger phrase of the lexicon) while her words say someone is with her
    or she is safe is news in that episode, not a new alarm: "门开了 他在哭 我抱着他呢"
    after her son locked himself in gets no "leave him, hide"."""
    episode = turn.episode
    if not episode or episode.get("type") == crisis_type or turn.crisis.get("source") == "lexicon":
        return False
    facts = set(facts_in(turn.text))
    return "not_safe" not in facts and bool(facts & SAFE_FACTS)


def first_reply(crisis_type: str, whose: str) -> str:
    """The response that speaks to the person writing about this danger."""
    if whose == CHILD and crisis_type in ("violence", "sexual_assault", "child_danger"):
        return "utter_crisis_child_danger"
    if whose in (CHILD, OTHER) and crisis_type == "self_harm":
        return f"utter_crisis_self_harm_{whose}"
    if whose == OTHER and crisis_type in ("violence", "sexual_assault"):
        return f"utter_crisis_{crisis_type}_other"
    return f"utter_crisis_{crisis_type}"


class ActionCrisisResponse(HerTurnAction):
    """Give 110/120 and the hotlines to the person writing, ask whether they are safe,
    mark the conversation urgent and open an urgent handoff (due in one hour). Nothing
    here waits for the routing backend: the request and her words are kept locally and
    delivered in the background, urgent first."""

    waits_for_backend = False
    reads_withdrawals = False  # "取消" in a crisis is never her taking back the urgent request

    def name(self) -> Text:
        return "action_crisis_response"

    async def respond(self, turn: Turn, reply: Reply) -> List[Dict[Text, Any]]:
        crisis_type = crisis_type_of(turn.tracker.latest_message)
        if news_in_episode(turn, crisis_type):
            return respond_in_episode(turn, reply, default_index(), UPDATE)
        whose = whose_danger(turn, crisis_type)
        episode = turn.episode
        again = bool(episode and episode.get("type") == crisis_type)
        if again:  # the same danger again: short and different, the urgent request already exists
            reply.say_response(f"utter_crisis_not_safe_{crisis_type}", must=True)
        else:
            reply.say_response(first_reply(crisis_type, whose), must=True)
        handoff_id = (episode or {}).get("handoff_id") if again else None
        events: List[Dict[str, Any]] = [SlotSet("urgent", True), SlotSet("crisis_type", crisis_type)]
        if handoff_id is None:
            handoff_id = await self._urgent_handoff(turn, crisis_type)
        if handoff_id:
            events += [SlotSet("handoff_id", handoff_id), SlotSet("handoff_open", True)]
        episode = {"type": crisis_type, "whose": whose, "who": turn.crisis.get("who"), "safe": False,
                   "danger_now": True, "handoff_id": handoff_id}
        category = load_taxonomy().category_of(f"crisis_{crisis_type}")
        return events + [SlotSet("crisis_episode", episode), SlotSet("person_request", None), ask(CRISIS_SAFETY)] \
            + set_topic(turn, category, f"crisis_{crisis_type}", crisis=crisis_type)

    async def _urgent_handoff(self, turn: Turn, crisis_type: str) -> Optional[str]:
        """The urgent request (the reply above goes out whatever happens here)."""
        tracker = turn.tracker
        try:
            taxonomy = load_taxonomy()
            record = await self.store.open_urgent(HandoffRequest(
                conversation_id=tracker.sender_id, channel=conversation.channel(tracker),
                category=taxonomy.category_of(f"crisis_{crisis_type}"), intent=f"crisis_{crisis_type}",
                urgent=True, summary=conversation.summary(tracker, taxonomy),
                transcript=conversation.transcript(tracker), region=tracker.get_slot("region")))
            return record.id
        except RoutingError as error:  # the reply already gives 110, 120 and 12338
            logger.error("urgent handoff for %s not recorded: %s", tracker.sender_id, error)
        except Exception:  # noqa: BLE001
            logger.exception("could not open the urgent handoff for %s", tracker.sender_id)
        return None
