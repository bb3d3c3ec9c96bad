"""Answering what she asks, in the conversation it belongs to.

One message is read in this order (README, "Dialogue design"):
1. she asks for a person too ("我要找律师！前夫一年没给抚养费了"), or she is
   answering "what is it about?" after asking for one: the handoff opens under
   the topic, which is answered while she waits;
2. "说简单点": the plain version of the topic in play;
3. inside a crisis episode, a short or unsure message is read in the danger's
   frame ("接下来我该怎么办", "要拍照吗");
4. steam let off ("气死我了 … 累死了😤", actions/venting.py), or someone in her family out of
   reach ("两天没回我微信了", actions/unreachable.py): warmth and a way on, not the counselling
   answer and its emergency numbers;
5. a topic button the assistant showed: that topic's overview and its questions;
6. a short follow-up in the topic in play ("要钱吗", "我兒子今年九歲，他想跟我"):
   the sentences that answer it, never the whole answer again;
7. a new question: the FAQ answer, or a choice between close questions, or the
   topic's overview; outside the four areas only a confident answer;
8. nothing clear: "帮帮我" gets warmth and the way in; anything else one question
   back, and a person on the second miss.
"""
from __future__ import annotations

import re

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.clarify import area_buttons, area_menu
from actions.activities import activity_request
from actions.courses import add_after_answer, course_request
from actions.local_services import add_service_line, local_service_request
from actions.context import CRISIS_SAFETY, EXPERT_OFFER, Turn, ask, set_topic
from actions.clauses import confirmed_by_a_side, even_pair_by_sides, question_at_the_end, second_need
from actions.crisis_followup import NEXT, QUESTION, add_protection_line, respond_in_episode
from actions.follow_up import aspects_of, settled_by_what_she_asks
from actions.factories import default_directory
from actions.office_cards import asks_about_another_place, card_for_place, office_topic
from actions.office_details import OFFICE_DETAIL, office_details
from actions.handoff import ask_what_about, open_for_message
from actions.her_turn import HerTurnAction, Reply
from actions.knowledge_answer import ANSWER, CHOOSE, decide, entry_for_intent, find_answer, find_answer_in_its_area, leader
from actions.quiz import study_request
from actions.person_request import person_request, takes_back, without_request
from actions.request_status import describe
from actions.topic_answers import answer_entry, answer_in_topic, answer_two, choose, overview, plain
from actions.unreachable import answer_unreachable
from actions.venting import answer_venting
from assistant_contract.catalogue.entries import FaqEntry
from bot.knowledge_index import ANSWER_THRESHOLD, KnowledgeIndex, default_index
from bot.taxonomy import load_taxonomy
from nlu.figures_of_speech import venting_only
from nlu.gazetteer import load_gazetteer

FOLLOW_UP_INTENTS = {"ask_follow_up", "nlu_fallback", "out_of_scope", "inform_place", "ask_for_help", "ticket_status"}
STATUS_QUESTION = re.compile(r"(什么时候|多久|几时|还没|怎么还|几点).{0,8}(联系|回复|回我|打电话|找我|理我)"
                             r"|(律师|专家|工作人员|老师|咨询师).{0,6}(什么时候|多久|几时|还没)"
                             # "要等多久", "how long要等?": only the wait, nothing else asked about
                             r"|^\W*(要|得|还要|大概|仲要)?(等|要等)(多久|几天|几耐|幾耐)\W*$"
                             r"|^\W*how long\W*(要等|等|要)?\W*$", re.IGNORECASE)
# Back after a safe exit, she points at where the conversation was: "刚才说到房子", "接着说"
REFERS_BACK = re.compile(r"刚才|刚刚|剛才|剛剛|之前|接着|接著|继续|繼續|頭先|啱先|啱啱|上面")
SECOND_QUESTION = re.compile(r"还想问问?|还想知道|还有就是|另外|顺便问问?|再问一下|以及|[？?。；;]")
MIN_PART = 5
FALLBACK = "nlu_fallback"
MENTAL_HEALTH = "care_mental_health"


def _entry(index: KnowledgeIndex, faq_id: Optional[str]) -> Optional[FaqEntry]:
    return next((e for e in index.knowledge.faq if e.id == faq_id), None) if faq_id else None


def reads_in_crisis(turn: Turn) -> bool:
    """Inside the danger's frame: short or context-only messages; a question with a
    topic of its own ("离婚冷静期是多少天", "佢欠嘅赌债要我还咩") is answered as itself."""
    if turn.intent in FOLLOW_UP_INTENTS:
        return True
    crisis_area = (turn.topic or {}).get("area")
    return not turn.sure and turn.short and turn.category in (None, crisis_area) and len(turn.text) <= 12


OWN_QUESTION_CHARS = 8  # shorter follow-ups ("要钱吗", "去哪里告") are read in the topic


AGREEING_INTENT = 0.4  # the classifier's confidence that, with the FAQ's clear leader, makes a question of its own


def question_of_its_own(index: KnowledgeIndex, text: str, topic: Dict[str, Any],
                        turn: Optional[Turn] = None) -> Optional[FaqEntry]:
    """A follow-up long enough to be a question, that another entry of the topic's area
    answers (above the answer threshold, or a clear winner in the area; or the FAQ's clear
    leader when the classifier reads the same topic: "ok 那她可以找免费的律师吗" after a divorce
    answer is legal aid): that entry, not another side of the entry in play."""
    if len(text) < OWN_QUESTION_CHARS:
        return None
    area = topic.get("area")
    matches = index.search_faq(text, area)
    found = decide(matches, area)
    entry = found.entry if found.kind == ANSWER else None
    ahead = leader(matches) if entry is None and turn is not None else None
    if ahead is not None and turn.category == area and turn.confidence >= AGREEING_INTENT \
            and entry_for_intent(index, turn.intent) == ahead:
        entry = ahead
    if entry is None or entry.id == topic.get("faq_id"):
        return None
    return entry if entry.category == area else None


OTHER_TOPIC = 0.3  # the classifier's confidence in another area for a follow-up to leave the topic
SHIFT = re.compile(r"^(那|还有|另外|对了|顺便|btw|by the way)")  # "那大孙子不说话这事咋办"


def answered_elsewhere(index: KnowledgeIndex, text: str, area: Optional[str]) -> bool:
    """Her words are a question the FAQ answers with confidence in another area than the one in
    play ("那网贷怎么办 催收天天打电话给我妈" after a suicide disclosure): a question of its own."""
    if len(text) < OWN_QUESTION_CHARS:
        return False
    best = index.search_faq(text, None)[:1]
    return bool(best) and best[0].score >= ANSWER_THRESHOLD and best[0].entry.category not in (area, "service")


def names_another_topic(index: KnowledgeIndex, turn: Turn, text: str, topic: Dict[str, Any]) -> bool:
    """"那抚养权这块，我收入比他低会吃亏吗" after an answer on a child's phone use: the classifier
    leans to another area and her words say so too (the FAQ answers them there, or she turns to
    it with "那…", "还有…" and the FAQ's closest entry is of that area). A new fact of the topic
    ("我是全职太太 十年了" after a divorce question) keeps it: the classifier is not sure enough."""
    if answered_elsewhere(index, text, topic.get("area")):
        return True
    if not turn.category or turn.category == topic.get("area") or len(text) < OWN_QUESTION_CHARS \
            or turn.confidence < OTHER_TOPIC:
        return False
    found = find_answer(index, text, turn.category)
    if found.kind == ANSWER and found.entry is not None and found.entry.category == turn.category:
        return True
    closest = index.search_faq(text, None)[:1]
    return bool(SHIFT.search(text.lower())) and bool(closest) and closest[0].entry.category == turn.category


# Words that name one of the four areas' topics outright: a message with one is not out of scope
NAMES_A_TOPIC = re.compile(r"家暴|家庭暴力|打老婆|离婚|抚养费|抚养权|性骚扰|性侵|强奸|保护令|彩礼|欠薪|拖欠工资|产假|妈妈岗"
                           r"|创业|贷款|厌学|留守|心理咨询|两癌|筛查")


def reading_of_named_topic(turn: Turn, index: KnowledgeIndex, text: str) -> Optional[Dict[str, Any]]:
    """For a message read as out of scope that names a topic outright: the classifier's best
    reading in the area of the FAQ entry closest to her words, however low."""
    closest = index.search_faq(text, None)[:1]
    if not closest:
        return None
    area = closest[0].entry.category
    taxonomy = load_taxonomy()
    for item in turn.ranking:
        name = str(item.get("name") or "")
        if taxonomy.category_of(name) == area and not taxonomy.is_crisis(name):
            return {"intent": name, "category": area, "confidence": item.get("confidence")}
    return None


def read_before(turn: Turn, index: KnowledgeIndex, limit: int = 3) -> List[FaqEntry]:
    """The answers she read earlier in this conversation, newest first: a follow-up may be
    about one of them ("判了他还是不给呢" after child support, then legal aid)."""
    ids = [e.get("value") for e in reversed(turn.tracker.events)
           if e.get("event") == "slot" and e.get("name") == "last_faq_id" and e.get("value")]
    entries = [_entry(index, faq_id) for faq_id in dict.fromkeys(ids)]
    return [entry for entry in entries if entry is not None][:limit]


def reads_as_follow_up(turn: Turn) -> bool:
    """A short or unsure message right after a topic, that names no sure new topic."""
    if turn.intent in FOLLOW_UP_INTENTS:
        return True
    return bool(turn.category) and not turn.sure and turn.short


async def answer_message(action: HerTurnAction, turn: Turn, reply: Reply, index: KnowledgeIndex,
                         words: Optional[str] = None, guessed: bool = False) -> List[Dict[str, Any]]:
    """The steps of the module docstring, first match wins. `words`: the part of her
    message to answer when a yes/no came first ("算了 还是先不离了 想问问…");
    `guessed`: the intent that brought the message here is only a guess (small talk
    at 0.12, a yes/no with more words), so a topic in play is where it is read."""
    text = words if words is not None else turn.text
    request = person_request(text)
    if request and not without_request(text) and not (turn.topic or {}).get("area") and not turn.person_request:
        return ask_what_about(turn, reply, request)  # "想找个心理医生": what about, first
    if request or (turn.person_request and not takes_back(text)):
        return await open_for_message(turn, reply, action.store, index, request)
    if turn.person_request:  # she took the request back before anything opened
        reply.say_response("utter_handoff_not_opened")
        return [SlotSet("person_request", None), ask(None)]
    if turn.handoff_open and STATUS_QUESTION.search(text):  # "律师什么时候联系我" while she waits
        return await status_of_request(action, turn, reply)
    if turn.returning and not turn.category and not aspects_of(text) and not REFERS_BACK.search(text):
        return welcome_back(turn, reply, index)  # "ok he left" after a safe exit
    if turn.intent == "ask_simpler" and (turn.sure or not turn.service_reading):
        return plain(turn, reply, index)
    if turn.in_crisis_frame and (reads_in_crisis(turn) or guessed and not turn.service_reading):
        mode = NEXT if turn.intent == "ask_for_help" or "next" in aspects_of(text) else QUESTION
        return respond_in_episode(turn, reply, index, mode)
    vented = (answer_venting(turn, reply) or answer_unreachable(turn, reply)) \
        if not turn.in_crisis_frame and not turn.is_button else None
    if vented is not None:  # "气死我了 … 累死了😤": steam let off; "两天没回我微信了": a worry, not counselling
        return vented
    category, intent = turn.category, turn.intent
    if turn.is_button and category:
        return overview(turn, reply, index, intent)
    topic = turn.topic
    place = next((e.get("value") for e in turn.tracker.latest_message.get("entities") or [] if e.get("entity") == "place"),
                 None)
    if asks_about_another_place(text, place, topic):  # "过年我回江西老家 那边有吗" after an office card
        shown = await _another_card(action, reply, place)
        if shown is not None:
            return shown + [SlotSet("topic", office_topic(place, turn.number)), SlotSet("service_area", None)]
    if topic and topic.get("office") and OFFICE_DETAIL.search(text):
        answered = await _office_detail(action, reply, topic["office"], text)
        if answered:
            return [ask(None)]
    if topic and topic.get("crisis") and turn.episode and (guessed or reads_as_follow_up(turn)) \
            and not answered_elsewhere(index, text, topic.get("area")):
        return respond_in_episode(turn, reply, index, QUESTION)
    if topic and topic.get("area") and (guessed or reads_as_follow_up(turn)) \
            and not names_another_topic(index, turn, text, topic):
        other = question_of_its_own(index, text, topic, turn)
        if other is not None:  # "他不让我看孩子怎么办" after custody: visitation, a question of its own
            return answer_entry(turn, reply, other, None)
        extra = ["where"] if any(e.get("entity") == "place" for e in turn.tracker.latest_message.get("entities") or []) else []
        entry, area = _entry(index, topic.get("faq_id")), topic["area"]
        also = _entry(index, topic.get("also"))  # the other of two needs answered together
        if also and entry and turn.category == also.category != entry.category:  # "工资那个要去哪里投诉"
            entry, also, area = also, entry, also.category
        earlier = [e for e in read_before(turn, index) if e.category == area and e not in (entry, also)]
        answered = answer_in_topic(turn, reply, index, entry, area, extra, ([also] if also else []) + earlier)
        if answered is not None:
            return answered
        if intent != "ask_for_help" and entry is not None:  # "帮帮我" the topic cannot answer: the way in, below
            return continue_topic(turn, reply, entry, topic)
        # after a menu or a handoff there is no answer to stay with: her message is read as a
        # question of its own, in the topic's area when nothing else gives it one
        topic_area = area
    else:
        topic_area = None
    reading = turn.service_reading if not category and intent != "out_of_scope" or (
        intent == "out_of_scope" and not turn.sure) else None
    if intent == "out_of_scope" and not reading and NAMES_A_TOPIC.search(text):
        reading = reading_of_named_topic(turn, index, text)  # "追剧…女主被老公家暴…现实中遇到这种该怎么办"
    if reading:  # the classifier's best reading in an area: "我想偷偷问下离婚的事" (ask_for_help)
        category, intent = reading["category"], reading["intent"]
    elif not category and topic_area and intent != "ask_for_help":  # "那有啥办法能让我睡着啊" after a care request
        category = topic_area
    elif intent == "ask_for_help":
        reply.say_fresh("utter_help_way_in") or reply.say("我在，你说。")
        reply.messages[-1]["buttons"] = area_buttons()
        return [ask(None)]
    two = two_questions(index, text, category)
    if two:
        return answer_two(turn, reply, *two, intent if category else None)
    found = find_answer(index, text, category)
    if found.kind != ANSWER and category:
        pair = even_pair_by_sides(index, text, category)
        if pair:  # "…现在想离婚 这个能当证据吗": her situation and her question, each asked by one clause
            return answer_two(turn, reply, *pair, intent)
        found = confirmed_by_a_side(index, text, category) or found  # "离婚两年了 孩子跟我 他一分抚养费都不给 能告他吗"
    other = second_need(index, text, turn.tracker.latest_message.get("intent_ranking") or [], category)
    if other:  # "…不给抚养费 我还想找份工作…": the rest of the message is the first need
        main = other.rest or (found.entry if found.kind == ANSWER else None) or (
            entry_for_intent(index, intent) if category else None)
        if main and other.entry.category != main.category:
            if intent == MENTAL_HEALTH and main.category == "care" and venting_only(text):
                # "天天带娃累死了 有没有免费的培训": a figure of speech, not a wish for counselling
                events = answer_entry(turn, reply, other.entry, None)
                reply.messages[0]["text"] = "辛苦了！" + reply.messages[0]["text"]
                return events
            return answer_two(turn, reply, *((other.entry, main) if other.first else (main, other.entry)), intent)
    if found.kind == ANSWER and found.entry:
        if topic and found.entry.id == topic.get("faq_id"):  # the same entry again: its side, not all of it
            answered = answer_in_topic(turn, reply, index, found.entry, found.entry.category)
            if answered is not None:
                return answered
        return answer_entry(turn, reply, found.entry, intent if category else None)
    if found.kind == CHOOSE:
        settled = settled_by_what_she_asks(text, found.choices)
        if settled is not None:  # "离婚要分居多久法院才判": what she asks picks one of the close entries
            return answer_entry(turn, reply, settled, intent if category else None)
        return choose(turn, reply, found.choices, category)
    if category and category_of(intent):
        return overview(turn, reply, index, intent)
    if category:  # an unsure message whose two readings share an area
        return area_menu(turn, reply, category)
    last = question_at_the_end(index, text)  # "笑死我了 … 问下妇联有没有培训月嫂的"
    if last is not None:
        return answer_entry(turn, reply, last, None)
    return clarify(turn, reply)


def two_questions(index: KnowledgeIndex, text: str, category: Optional[str]) -> Optional[Tuple[FaqEntry, FaqEntry]]:
    """Two clear questions joined in one message, each answered by its own entry. The
    message's area is one reading of the whole; a part may be about another area
    ("想开个小店，有没有创业贷款？还有前夫不给抚养费怎么办"), so a part the message's
    area leaves unanswered is read in its own best entry's area."""
    parts = [p for p in SECOND_QUESTION.split(text, maxsplit=1) if p and len(p.strip(" ,，。")) >= MIN_PART]
    if len(parts) != 2:
        return None
    found = [find_answer(index, part, category) for part in parts]
    found = [f if f.kind == ANSWER else find_answer_in_its_area(index, part) for f, part in zip(found, parts)]
    if all(f.kind == ANSWER and f.entry for f in found) and found[0].entry.id != found[1].entry.id:
        return found[0].entry, found[1].entry
    return None


async def status_of_request(action: HerTurnAction, turn: Turn, reply: Reply) -> List[Dict[str, Any]]:
    try:
        record = await action.store.latest_for(turn.tracker.sender_id)
    except Exception:  # noqa: BLE001 - she must get a reply whatever broke
        record = None
    if record is None:
        reply.say_response("utter_status_unavailable")
    else:
        reply.say(describe(record))
    return [ask(None)]


def continue_topic(turn: Turn, reply: Reply, entry: FaqEntry, topic: Dict[str, Any]) -> List[Dict[str, Any]]:
    """A short message in the topic that no sentence of it answers ("白天上班也一直哭",
    "他5岁"): stay with the topic instead of the four-area menu, say what it comes to,
    and offer the person who can go into her case."""
    if not reply.say("我明白了。" + entry.plain_text()):
        reply.say("我明白了。")
    reply.say_fresh("utter_offer_expert_short")
    return set_topic(turn, topic["area"], topic.get("intent"), topic.get("faq_id"), crisis=topic.get("crisis")) + [
        ask(EXPERT_OFFER)]


async def _another_card(action: HerTurnAction, reply: Reply, place: str) -> Optional[List[Dict[str, Any]]]:
    try:
        card = await card_for_place(getattr(action, "directory", None) or default_directory(), load_gazetteer(),
                                    place, None)
    except Exception:  # noqa: BLE001 - the question is answered another way
        return None
    reply.say(card.text)
    return card.events


async def _office_detail(action: HerTurnAction, reply: Reply, region: str, text: str) -> bool:
    try:
        details = await office_details(getattr(action, "directory", None) or default_directory(), region, text)
    except Exception:  # noqa: BLE001 - the question is answered another way
        return False
    return bool(details) and reply.say(details)


def welcome_back(turn: Turn, reply: Reply, index: KnowledgeIndex) -> List[Dict[str, Any]]:
    """Back after a safe exit with no question: in a crisis episode, whether she is safe
    now; otherwise where the conversation was, so she can carry on without retyping it."""
    if turn.episode:
        reply.say_response("utter_welcome_back_in_danger")
        return [ask(CRISIS_SAFETY)]
    entry = _entry(index, (turn.topic or {}).get("faq_id"))
    if entry is not None:
        reply.say_response("utter_welcome_back_to_topic", question=entry.question.rstrip("？?"))
    else:
        reply.say_response("utter_welcome_back")
    return [ask(None)]


def clarify(turn: Turn, reply: Reply) -> List[Dict[str, Any]]:
    """Nothing clear: one question back; on the second miss in a row, a person."""
    if turn.intent == "out_of_scope":
        reply.say_fresh("utter_out_of_scope") or reply.say("这个我答不上来。")
        return [ask(None)]
    if conversation.previous_user_intent(turn.tracker) == FALLBACK and turn.intent == FALLBACK:
        reply.say_response("utter_clarify_again")
        return [ask(EXPERT_OFFER)]
    if not turn.text:
        reply.say(turn.text_of("utter_clarify_empty"), area_buttons())
    else:
        reply.say(turn.text_of("utter_clarify_area"), area_buttons())
    return [ask(None)]


class ActionAnswerRequest(HerTurnAction):
    """Every question of hers that is not danger, small talk, a yes/no or a command."""

    def __init__(self, store=None, index: Optional[KnowledgeIndex] = None, directory=None) -> None:
        super().__init__(store)
        self._index = index
        self.directory = directory

    def name(self) -> Text:
        return "action_answer_request"

    async def respond(self, turn: Turn, reply: Reply) -> List[Dict[Text, Any]]:
        listed = course_request(turn, reply) or await activity_request(turn, reply) \
            or await study_request(turn, reply) or local_service_request(turn, reply)
        # 有没有…的课, 最近有什么活动, 执委学堂, 各地精选
        if listed is not None:
            return listed
        events = await answer_message(self, turn, reply, self._index or default_index())
        add_protection_line(turn, reply)  # after violence, she fears him: what protects her now
        add_after_answer(turn, reply, events)  # a course or two that fit (actions/courses.py)
        add_service_line(turn, reply, events)  # 各地精选 (actions/local_services.py)
        return events


class ActionAnswerFaq(HerTurnAction):
    """She picked one of the suggested questions."""

    def __init__(self, store=None, index: Optional[KnowledgeIndex] = None) -> None:
        super().__init__(store)
        self._index = index

    def name(self) -> Text:
        return "action_answer_faq"

    async def respond(self, turn: Turn, reply: Reply) -> List[Dict[Text, Any]]:
        index = self._index or default_index()
        entry = _entry(index, turn.tracker.get_slot("faq_id"))
        if entry is None:
            reply.say(turn.text_of("utter_clarify_area"), area_buttons())
            return [ask(None)]
        crisis = (turn.topic or {}).get("crisis") if turn.episode else None
        events = answer_entry(turn, reply, entry)
        if crisis:  # a button of the crisis reply: the frame stays
            events += set_topic(turn, entry.category, f"crisis_{crisis}", entry.id, crisis=crisis, answered=True)
        else:
            add_after_answer(turn, reply, events)
            add_service_line(turn, reply, events)
        return events


class ActionRecordFeedback(Action):
    """有帮助 / 没帮助 after an answer: kept in the conversation; 没帮助 offers a person."""

    def name(self) -> Text:
        return "action_record_feedback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        helpful = tracker.get_slot("helpful") == "yes"
        dispatcher.utter_message(
            response="utter_feedback_thanks" if helpful else "utter_feedback_sorry"
        )
        return [SlotSet("helpful", None), ask(None if helpful else EXPERT_OFFER), SlotSet("last_feedback", {
            "faq_id": tracker.get_slot("last_faq_id"), "helpful": helpful,
        })]


def category_of(intent: str) -> Optional[str]:
    return load_taxonomy().category_of(intent)
