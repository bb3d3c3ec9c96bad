"""She is letting off steam, not asking for counselling.

「气死我了 老公一下班就躺着刷抖音 娃全是我一个人带 累死了😤」: the classifier reads
tiredness and anger as a wish for emotional support, and the counselling answer ends with
"伤害自己的念头…120或110", which reads as if she were in danger. A message whose only words
of feeling are figures of speech (nlu/figures_of_speech.py) and that asks nothing is met
with warmth and a way on: said back in her terms, a word on sharing the load when it is
about the children and him, a word on homework when that is what drove her up the wall
("这娃是不是故意的" is anger, not a question), and counselling offered without alarm. 「哈哈说出来舒服多了
就是想吐槽一下」 afterwards is a thanks, not a new need, and 「…就是好奇问问」 says a story was
only a question (the numbers to call are kept in the reply). Danger is decided before this
(nlu/crisis_detector.py reads every message first).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa_sdk.events import SlotSet

from actions.context import Turn, ask, set_topic
from actions.her_turn import Reply
from nlu.figures_of_speech import venting_only

MENTAL_HEALTH = "care_mental_health"
HOMEWORK_ENTRY = "family_education.homework"  # follow-ups ("二年级 数学 一写作业就磨蹭") are read in it
ASKS = re.compile(r"吗|嘛|么|怎么|咋|哪|有没有|有冇|能不能|可不可以|什么|啥|如何|点样|几时|多少|是不是|[?？]")
# "这娃是不是故意的": said in anger, not asked
RHETORICAL = re.compile(r"(是不是|是唔是|系唔系)(故意|存心|傻|有病|欠|跟我作对|同我作对)[^，。？！?!\s]{0,3}[?？]*")
CHILD_LOAD = re.compile(r"作业|功课|功課|辅导|写字|背书|考试|成绩|熊孩子")
HOME_LOAD = re.compile(r"(老公|他|男人|孩子爸|娃爸|佢).{0,20}(娃|孩子|小孩|仔|女|家务|做饭)|(娃|孩子|小孩|家务).{0,20}(老公|他|男人|一个人)")
# 「哈哈我没事啦 … 就是好奇问问」 after a story about someone else: it was only a question
ONLY_ASKING = re.compile(r"(就是|只是|随便|纯粹)(好奇)?问问|好奇问问|开(个)?玩笑(的|啦|而已)?")
LET_OFF = re.compile(r"吐槽|发泄|发发牢骚|抱怨一下|说出来(就|都|也)?(舒服|好受|轻松|痛快)|(就是|只是)想(说说|讲讲|找人说|倾下)")


def is_venting(turn: Turn) -> bool:
    """Figures of speech her only feeling, no question, read as a wish for counselling."""
    return turn.intent == MENTAL_HEALTH and venting_only(turn.text) and not ASKS.search(RHETORICAL.sub("", turn.text))


def is_letting_off_done(turn: Turn) -> bool:
    """「说出来舒服多了 就是想吐槽一下」: she says she only wanted to let off steam."""
    return bool(LET_OFF.search(turn.text)) and not ASKS.search(turn.text)


def answer_venting(turn: Turn, reply: Reply) -> Optional[List[Dict[str, Any]]]:
    """The reply to steam let off, or None when her message is something else."""
    if is_venting(turn):
        if CHILD_LOAD.search(turn.text):  # "辅导作业辅导到血压飙升": the way through is about the child
            reply.say_response("utter_venting_homework")
            return [ask(None)] + set_topic(turn, "family_education", None, HOMEWORK_ENTRY)
        name = "utter_venting_home_load" if HOME_LOAD.search(turn.text) else "utter_venting"
        reply.say_response(name)
        return [ask(None)] + set_topic(turn, "care", MENTAL_HEALTH)
    if is_letting_off_done(turn):
        reply.say_response("utter_venting_done")
        return [ask(None), SlotSet("topic", None), SlotSet("service_area", None)]  # this turn is about no area
    if ONLY_ASKING.search(turn.text) and not ASKS.search(ONLY_ASKING.sub("", turn.text)):
        reply.say_response("utter_only_asking")
        return [ask(None), SlotSet("topic", None), SlotSet("service_area", None)]
    return None
