"""After the crisis reply: the crisis episode, until she leaves it.

What she writes next is read in the frame of the danger, not on its own words:
"我已经报警了" is news, not a new emergency; "我安全了 警察把他带走了" gets
what fits now, not "你现在有危险"; "接下来我该怎么办" gets the next steps of
*this* danger (shelter, medical care and evidence, a protection order after
violence; someone to stay with and 12356 after a suicide disclosure; a hospital
within 72 hours after a rape; the child's injuries and guardianship when a child
was hurt), never a text about another topic; pressing 我现在安全 after a suicide
disclosure never brings the protection-order template.

A reply here is one message, in order: what her news means (报警了, 警察来了,
他走了, 有人陪, 在医院, 受了伤, 他明天就放出来了), the next steps for the danger (each variant once:
the second time a short reminder with buttons), the urgent expert already on the
way, and the question still open (safe now? someone with you?).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk.events import SlotSet

from actions.context import CRISIS_SAFETY, Turn, ask, set_topic
from actions.her_turn import HerTurnAction, Reply
from actions.follow_up import answer_follow_up, aspects_of
from actions.topic_answers import answer_in_topic
from bot.knowledge_index import KnowledgeIndex, default_index
from bot.taxonomy import load_taxonomy

FACTS = (  # (name, her words) in the order they are answered
    ("police_called", r"报警|报了警|报咗警|打了110|打110|110打通|打咗110|call(ed)? the police"),
    ("police_came", r"警察(来|到|在|把|已经)|派出所|差人|差佬|民警|带走|抓走|拉走|带去|捉咗|拉咗"),
    ("he_left", r"(他|佢|那个人)(已经)?.{0,2}(走了|走咗|出去|出门|睡着|睡了|去洗澡|去上班|不在|离开)"),
    ("she_left", r"(跑|逃|走)(了)?(出来|出嚟|到)|(在|喺|去了|到了)(我妈|娘家|朋友|邻居|亲戚|妹妹|姐姐|我妹|我姐|我哥|我弟|同事|闺蜜)"
                 r".{0,2}(家|屋企|那里|那儿|度)|离开(了)?(那里|家)|不在家|喺朋友"),
    ("hotline_called", r"(打了|打咗|打过|拨了|打通了?)(12356|12338|12355|热线|心理热线)"),
    ("company", r"陪着|陪我|陪住|在我身边|在身边|室友|有人陪|来了陪|在旁边|(抱|搂|守)着(他|她|佢|孩子|儿子|女儿)"
                r"|来接(我|咗我)(了|咗)?|接到我了|接咗我|在(她|他|佢|我同事|同事|朋友|闺蜜)(的|嘅)?(车|电动车|摩托车|电单车)上"),
    # someone is on the way to her, not with her yet: the question whether she is safe stays open
    # (a person of hers: "说马上到" after 110 is the police, acknowledged as the call)
    ("help_coming", r"(闺蜜|朋友|妈|姐|妹|哥|弟|家人|亲戚|同事|室友|邻居|同学|老公|男朋友|女朋友)[^，。,.!！?？]{0,8}"
                    r"((过来|赶来|赶过来|来)的路上|(马上|快)(就)?(过来|到了|来了|到|回来|回家)|正在(过来|赶来|赶过来|赶回来)|快到了)"),
    # he is held now and will be back in a day or more ("他明天就放出来了"): the time to prepare is
    # now (back any moment is danger, read by the crisis detector and "not_safe")
    ("he_returns", r"(明天|明早|今晚|后天|过两天|过几天|下周|下个?星期|月底|\d+天后|几天后)(就)?(要)?(被)?(放出来|放出嚟|出来|放了|回来|返嚟|回家)"
                   r"|拘留.{0,10}(到期|结束|满了|完了)|(放|出)出来以后|出来后(会|要|肯定)"),
    ("medical", r"(在|到|去了|送到?|送咗去|送了去|进了|入咗)(医院|急诊|卫生院)|救护车|120(来|到)|医生(在|来|给|说)|急诊室"),
    ("injured", r"流血|受伤|伤口|出血|骨折|头晕|血印|淤青|伤到"),
    ("not_safe", r"不安全|又回来|又来了|还在外面|在(砸|踹|踢|撞|撬|拍)门|(砸|踹|踢|撞|撬)(紧)?门|还在追|找到我了"
                 r"|还在打|又(在)?打|(要|快)(冲|闯|撞)?进来了|冲进来"),
    ("safe", r"安全了|没事了|冇事|安全喇|没事|安全啦|i'?m safe|已经安全"),
    # after a suicide disclosure: refusing care or wanting to sleep may mean pills already taken
    # after a suicide disclosure: alone and turning everyone away is danger, not news
    ("alone", r"(我)?一个人(在|住|待|喺)|谁都不想(找|见|理|联系)|唔想搵人|不想找人|没人(陪|管)|别管我|唔使理我|不用管我"),
    ("refuses_care", r"不(想|要|肯|用)?去?(医院|看医生|急诊|打120)|唔(想|去|使)?去?(医院|睇医生)|别(叫|打)(120|救护车)"
                     r"|让我睡|想睡(觉|了)?$|睡一觉|好困|困了|眼皮好重|don'?t want (a|to go to( the)?) hospital"),
)
SAFE_FACTS = {"police_came", "he_left", "she_left", "company", "safe"}
# After violence or an assault her partner (or "he") coming back soon is the danger, not help.
PARTNER_COMING = re.compile(r"(老公|男朋友|前夫|丈夫|他|佢)[^，。,.!！?？]{0,6}(马上|快|就要|等下|一会儿?|等阵)(就)?"
                            r"(回来|回家|到了|到|来了|过来|返嚟|返屋企)")
HE_IS_THE_DANGER = ("violence", "sexual_assault", "child_danger")
FEARS_HIM = re.compile(r"(怕|惊|驚|担心|害怕|吓)[^，。,.!！?？]{0,6}(他|佢)[^，。,.!！?？]{0,8}(找|搵|揾|报复|打|来|闹|缠|跟踪|抢)")
ACKNOWLEDGE = {"police_called": "utter_aftermath_police_called", "police_came": "utter_aftermath_police_came",
               "he_left": "utter_aftermath_he_left", "she_left": "utter_aftermath_she_left",
               "company": "utter_aftermath_company", "medical": "utter_aftermath_medical",
               "injured": "utter_aftermath_injured", "help_coming": "utter_aftermath_help_coming",
               "he_returns": "utter_aftermath_he_returns", "hotline_called": "utter_aftermath_hotline_called"}
SAFE_NOW, NOT_SAFE, UPDATE, NEXT, QUESTION = "safe", "not_safe", "update", "next", "question"
# The FAQ entries a question inside each danger's frame is answered from first (and then the area's).
FRAME_ENTRIES = {
    "violence": ("legal.dv.evidence", "legal.dv.protection_order", "legal.dv.what_to_do"),
    "child_danger": ("legal.child_abuse_report", "legal.dv.protection_order", "legal.divorce.custody"),
    "self_harm": ("care.psychological_support", "care.postpartum_depression"),
    "sexual_assault": ("legal.dv.evidence", "legal.sexual_harassment"),
}
# Leaving him is a question of the violence's frame: the divorce entry answers it first.
DIVORCE = re.compile(r"离婚|(要|想|得|一定|决定|打算)(跟他)?离(了|掉)?(?!开)|離婚")
DIVORCE_ENTRY = "legal.divorce.process"
FRAME_SCORE = 2.0  # at least one cue word of what she asks, or a few of her words, in the sentences
SAFETY_BUTTONS = [{"title": "我现在安全", "payload": "/affirm"}, {"title": "我不安全", "payload": "/deny"}]


# Calling the police talked about, not done: "报警的话会不会被很多人知道", "要不要报警"
POLICE_NOT_CALLED = re.compile(r"报警的话|报警会|报警后会|要不要报警|该不该报警|能不能报警|可以报警吗|敢(报警|报)"
                               r"|不(想|敢|要)报警|没(有)?报(警)?|报唔报警|使唔使报警|报警有用")
PRIVACY_ONLY = 14  # characters: a longer message says more than the fear of being known
# She asks whether what happened will become known: the answer is what protects her privacy
ASKS_PRIVACY = re.compile(r"(会不会|会唔会|会否|怕|担心|唔想|不想).{0,10}(知道|传出去|传开|曝光|公开|被人讲|被人说|八卦)"
                          r"|保密|隐私|私隐")


def facts_in(text: str) -> List[str]:
    """What her news says, in the order of FACTS (a "没事" inside "不安全" aside)."""
    found = [name for name, pattern in FACTS if re.search(pattern, text or "", re.IGNORECASE)]
    if "not_safe" in found:
        found = [f for f in found if f != "safe"]
    if "police_called" in found and POLICE_NOT_CALLED.search(text or ""):
        found.remove("police_called")
    return found


def acknowledgement(fact: str, episode: Dict[str, Any]) -> str:
    """The response that takes in her news, said to the person writing."""
    if fact == "medical" and episode.get("type") == "self_harm":
        return "utter_aftermath_medical_self_harm"
    if fact == "help_coming" and episode.get("type") == "self_harm" and episode.get("whose", "self") == "self":
        return "utter_aftermath_help_coming_self_harm"
    if fact == "company" and episode.get("whose") in ("child", "other"):
        return "utter_aftermath_company_other"  # she is the one keeping them company
    return ACKNOWLEDGE[fact]


def next_steps_response(episode: Dict[str, Any]) -> str:
    kind, whose = episode.get("type"), episode.get("whose")
    if whose == "other" and kind in ("violence", "self_harm", "sexual_assault"):
        return f"utter_crisis_next_{kind}_other"
    if whose == "child" and kind == "self_harm":
        return "utter_crisis_next_self_harm_other"
    return f"utter_crisis_next_{kind}"


def safe_response(episode: Dict[str, Any]) -> str:
    if episode.get("whose") == "other" or (episode.get("whose") == "child" and episode.get("type") == "self_harm"):
        return "utter_crisis_safe_other"
    return f"utter_crisis_safe_{episode.get('type')}"


def respond_in_episode(turn: Turn, reply: Reply, index: KnowledgeIndex, mode: str) -> List[Dict[str, Any]]:
    """The reply inside an open crisis episode (see the module docstring)."""
    episode = dict(turn.episode or {})
    kind = episode.get("type") or "violence"
    facts = facts_in(turn.text)
    if kind in HE_IS_THE_DANGER and PARTNER_COMING.search(turn.text or ""):
        facts = [f for f in facts if f != "help_coming"] + ["not_safe"]  # "他马上回来了": danger, not help
    if mode in (UPDATE, NEXT) and "not_safe" in facts \
            or kind == "self_harm" and ("refuses_care" in facts or "alone" in facts and not SAFE_FACTS & set(facts)):
        mode = NOT_SAFE  # "我不想去医院 让我睡吧": 120 first, whatever else she said
    if mode == NOT_SAFE:
        # "报警了 警察还没到 他在踢门": not "call 110" as if she had not, but what to do until they come
        waiting = "police_called" in facts and "police_came" not in facts and kind in HE_IS_THE_DANGER
        alone = kind == "self_harm" and "alone" in facts and "refuses_care" not in facts and "not_safe" not in facts
        name = ("utter_crisis_not_safe_police_called" if waiting else
                "utter_crisis_alone_self_harm" if alone else f"utter_crisis_not_safe_{kind}")
        reply.say_response(name, must=True)
        episode.update(safe=False, danger_now=True)
        return _episode_events(turn, episode, CRISIS_SAFETY)
    episode["danger_now"] = False
    safe_now = mode == SAFE_NOW or bool(SAFE_FACTS & set(facts))
    lines = [turn.text_of(acknowledgement(fact, episode)) for fact in facts if fact in ACKNOWLEDGE]
    if safe_now and not episode.get("safe") and not lines:
        lines.append(turn.text_of(safe_response(episode)))
    if lines:
        reply.say("\n".join(dict.fromkeys(lines)))
    answered = None
    if mode in (QUESTION, UPDATE) and ASKS_PRIVACY.search(turn.text or ""):
        reply.say(turn.text_of("utter_crisis_privacy"))  # "报警的话会不会被很多人知道"
        answered = []
    if mode == QUESTION and (answered is None or len(turn.text) > PRIVACY_ONLY):
        # "我不敢报警 怕厂里人知道 我想先回宿舍洗个澡": her other words are answered too
        area = load_taxonomy().category_of(f"crisis_{kind}")
        answered = answer_in_frame(turn, reply, index, kind, area)
    if answered is None and (mode in (NEXT, SAFE_NOW) or safe_now or mode == QUESTION):
        reply.say_fresh(next_steps_response(episode)) or reply.say_response(next_steps_response(episode)) \
            or reply.say_response(f"utter_crisis_still_{kind}")
    if episode.get("handoff_id"):
        reply.say(turn.text_of("utter_crisis_expert_on_way", handoff_id=episode["handoff_id"]))
    question = None
    if not safe_now and not episode.get("safe"):
        reply.add_to_last("你现在安全吗？")
        reply.messages[-1]["buttons"] = reply.messages[-1]["buttons"] or SAFETY_BUTTONS
        question = CRISIS_SAFETY
    elif "company" not in facts and not episode.get("company") and episode.get("whose") == "self":
        reply.add_to_last(turn.text_of("utter_crisis_ask_company"))
    episode["safe"] = bool(episode.get("safe") or safe_now)
    episode["company"] = bool(episode.get("company") or "company" in facts)
    reply.as_one_message()
    return _episode_events(turn, episode, question) + (answered or [])


def answer_in_frame(turn: Turn, reply: Reply, index: KnowledgeIndex, kind: str,
                    area: Optional[str]) -> Optional[List[Dict[str, Any]]]:
    """Her question in the danger's frame: from the entries of that danger first
    ("要拍照吗" after violence: the evidence entry), else from its area."""
    wanted = FRAME_ENTRIES.get(kind, ())
    frame = [e for e in index.knowledge.faq if e.id in wanted]
    frame.sort(key=lambda e: wanted.index(e.id))
    leaving = kind in ("violence", "child_danger") and DIVORCE.search(turn.text)  # "她说这回一定要离 要怎么弄"
    current = next((e for e in index.knowledge.faq if e.id == DIVORCE_ENTRY), None) if leaving else None
    passage = answer_follow_up(turn.text, current, frame) if frame or current else None
    if passage is not None and passage.score >= FRAME_SCORE:
        reply.say(f"关于“{passage.entry.question.rstrip('？?')}”：\n{passage.text}")
        return set_topic(turn, area, f"crisis_{kind}", passage.entry.id, crisis=kind, answered=True)
    return answer_in_topic(turn, reply, index, None, area)


def add_protection_line(turn: Turn, reply: Reply) -> bool:
    """After violence, an answer on something else (「我想同佢離婚 但係好驚佢之後搵到我同個女」)
    still says what protects her from him now, when she says she fears him and the answer
    did not: one line joined to its last message."""
    episode = turn.episode or {}
    if episode.get("type") not in ("violence", "child_danger") or not reply.messages or not FEARS_HIM.search(turn.text):
        return False
    if any("保护令" in m["text"] for m in reply.messages):
        return False
    target = reply.messages[-2] if len(reply.messages) >= 2 and reply.messages[-1]["buttons"] else reply.messages[-1]
    target["text"] += "\n" + turn.text_of("utter_crisis_fear_of_him")
    return True


def _episode_events(turn: Turn, episode: Dict[str, Any], question: Optional[str]) -> List[Dict[str, Any]]:
    kind = episode.get("type") or "violence"
    area = load_taxonomy().category_of(f"crisis_{kind}")
    return [SlotSet("crisis_episode", episode), ask(question)] + set_topic(
        turn, area, f"crisis_{kind}", None, crisis=kind)


def welcome_back(turn: Turn, reply: Reply, index: KnowledgeIndex) -> List[Dict[str, Any]]:
    """Her news outside a crisis (he went out, she can talk again): back to the topic she left."""
    topic = turn.topic or {}
    entry = next((e for e in index.knowledge.faq if e.id == topic.get("faq_id")), None)
    if topic.get("area"):
        reply.say("好，你回来了，我们接着说。")
        answered = answer_in_topic(turn, reply, index, entry, topic["area"])
        if answered is not None:
            return answered
        if entry is not None:
            reply.say("刚才说到：" + entry.plain_text())
        return set_topic(turn, topic["area"], topic.get("intent"), topic.get("faq_id")) + [ask(None)]
    reply.say("我在。你现在方便说话吗？发生了什么，慢慢告诉我。如果有危险，请先拨打110。")
    return [ask(None)]


class ActionCrisisFollowup(HerTurnAction):
    """Her news since the danger (报警了, 警察来了, 他走了, 在朋友家, 救护车来了)."""

    reads_withdrawals = False  # the urgent request stays until a person knows she is safe

    def __init__(self, store=None, index: Optional[KnowledgeIndex] = None) -> None:
        super().__init__(store)
        self._index = index

    def name(self) -> Text:
        return "action_crisis_followup"

    async def respond(self, turn: Turn, reply: Reply) -> List[Dict[Text, Any]]:
        index = self._index or default_index()
        if turn.episode:  # news, and perhaps "我可以做啲咩" with it: the next steps too
            return respond_in_episode(turn, reply, index, NEXT if "next" in aspects_of(turn.text) else UPDATE)
        return welcome_back(turn, reply, index)
