"""She cannot reach someone in her family, and then she can.

「女儿在广州读大专 两天没回我微信了 打电话也不接 我担心得要死」 is a mother's worry, not a
wish for counselling: she gets the ways to find her daughter (the people around her, the
school, and 110 when she fears an accident, with no need to wait 24 hours) and a word for
her own sleepless night. 「她回了 说在准备考试手机静音了 我是不是管太多了」 afterwards is
relief, met as such. A child lost or in danger is the crisis path's (nlu/crisis_detector.py,
which reads every message first); this is only the silence of a phone.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from actions.context import Turn, ask, set_topic
from actions.her_turn import Reply

UNREACHABLE_INTENT = "unreachable_family"  # the topic's marker: a reply of hers afterwards is relief
NO_REPLY = re.compile(r"(没|不|没有|冇)(回|覆)(我)?(的)?(微信|信息|消息|电话|短信)|(电话|手机|视频)(也|都)?(打不通|不接|没人接|关机|唔听)"
                      r"|联系不上|联系唔到|搵唔到(佢|她|他)|失联")
FAMILY = re.compile(r"女儿|儿子|孩子|闺女|个女|个仔|老公|老妈|我妈|我爸|妹妹|弟弟|姐姐|哥哥|孙子|孙女")
REACHED = re.compile(r"(她|他|佢)?(回|覆)(我)?(了|咗)|联系上了|接(了)?电话了|打通了|有消息了|报平安|(她|他|佢)没事")


def cannot_reach_family(turn: Turn) -> bool:
    return bool(NO_REPLY.search(turn.text) and FAMILY.search(turn.text)) and not turn.in_crisis_frame


def answer_unreachable(turn: Turn, reply: Reply) -> Optional[List[Dict[str, Any]]]:
    """The reply to a family member out of reach, or to news that she is reached; None otherwise."""
    if cannot_reach_family(turn):
        reply.say_response("utter_cannot_reach_family")
        return [ask(None)] + set_topic(turn, "family_education", UNREACHABLE_INTENT)
    if (turn.topic or {}).get("intent") == UNREACHABLE_INTENT and REACHED.search(turn.text):
        reply.say_response("utter_family_reached")
        return [ask(None)] + set_topic(turn, "family_education", None)
    return None
