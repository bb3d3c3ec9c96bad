"""The replies about a topic: a whole FAQ answer, a follow-up on one side of it,
the overview of an area's topic with its questions as buttons, a choice between
close questions, and the plain version.

Each writes into a `Reply` (at most three messages) and returns the events that
keep the topic in play, so that the next short message is read in it.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from actions.context import ANSWER_FEEDBACK, EXPERT_OFFER, Turn, ask, set_topic
from actions.follow_up import answer_follow_up
from actions.her_turn import Reply
from actions.knowledge_answer import entry_for_intent
from assistant_contract.catalogue.entries import FaqEntry
from bot.knowledge_index import SUGGEST_THRESHOLD, KnowledgeIndex
from bot.taxonomy import load_taxonomy

FEEDBACK_BUTTONS = [
    {"title": "有帮助", "payload": '/feedback{"helpful":"yes"}'},
    {"title": "没帮助", "payload": '/feedback{"helpful":"no"}'},
]
MAX_CHOICES = 4


def choose_button(entry: FaqEntry) -> Dict[str, str]:
    return {"title": entry.question, "payload": f'/choose_faq{{"faq_id":"{entry.id}"}}'}


_SENTENCE = re.compile(r"(?<=[。！])")
_PART = re.compile(r"(?<=；)")


def next_step_while_waiting(next_step: str) -> str:
    """The next step without its offer to hand her over ("需要的话，我可以帮你转接律师；…"), for
    when a person already has her request: the hotlines and the 110 stay, the offer goes."""
    kept = []
    for sentence in _SENTENCE.split(next_step or ""):
        if "转接" not in sentence:
            kept.append(sentence)
            continue
        parts = [part for part in _PART.split(sentence) if part and "转接" not in part]
        if parts:
            kept.append("".join(parts).rstrip("；，。") + "。")
    text = "".join(kept).strip()
    return re.sub(r"^也(可以|可)", "可以", text)


def said_before(text: str, entry: FaqEntry) -> str:
    """An answer she has read whole, asked again: the sentences her words point to
    ("照顧老人有冇補貼": the allowance), else the plain version."""
    passage = answer_follow_up(text, entry, [], prefer_current=0.0)
    if passage is not None and passage.sentences and passage.score > 0 and passage.text != entry.answer_text():
        return "前面提到过，你问的这一点：\n" + passage.text
    return "这个问题前面说过了，简单说：" + entry.plain_text()


def answer_entry(turn: Turn, reply: Reply, entry: FaqEntry, intent: Optional[str] = None,
                 feedback: bool = True, waiting: Optional[bool] = None) -> List[Dict[str, Any]]:
    """The answer, its basis and next step, and the feedback question: three messages.
    An answer she has already read whole is not sent again: the plain version and
    the next step stand for it. `waiting`: a person has her request (default: an open
    handoff in the conversation), so the next step offers no handover."""
    if not reply.say(entry.answer_text()):
        reply.say(said_before(turn.text, entry))
    waits = turn.handoff_open if waiting is None else waiting
    reply.say(entry.basis_and_next_step(next_step_while_waiting(entry.next_step) if waits else None))
    events = set_topic(turn, entry.category, intent, entry.id, answered=True)
    if feedback:
        reply.say(turn.text_of("utter_ask_feedback"), FEEDBACK_BUTTONS)
        events.append(ask(ANSWER_FEEDBACK))
    else:
        events.append(ask(None))
    return events


def answer_two(turn: Turn, reply: Reply, first: FaqEntry, second: FaqEntry, intent: Optional[str] = None
               ) -> List[Dict[str, Any]]:
    """Two questions in one message ("因为怀孕被公司辞退了 还想问问产假有几天"): two answers,
    then both bases, the first next step and the feedback question; three messages."""
    reply.say(first.answer_text())
    reply.say(second.answer_text())
    basis = "；".join(dict.fromkeys(first.references + second.references))
    reply.say("\n".join(part for part in ("依据：" + basis if basis else "", first.next_step,
                                           turn.text_of("utter_ask_feedback")) if part), FEEDBACK_BUTTONS)
    return set_topic(turn, second.category, intent, second.id, answered=True, also=first.id) + [ask(ANSWER_FEEDBACK)]


def follow_up_candidates(index: KnowledgeIndex, text: str, current: FaqEntry) -> List[FaqEntry]:
    """Entries of the topic's area that her words (with the topic's question) point to."""
    matches = index.search_faq(f"{text} {current.question}", current.category)
    return [m.entry for m in matches if m.entry.category == current.category and m.score >= SUGGEST_THRESHOLD]


def answer_in_topic(turn: Turn, reply: Reply, index: KnowledgeIndex, entry: Optional[FaqEntry],
                    area: Optional[str], also_asked: List[str] = (), also_entries: List[FaqEntry] = ()
                    ) -> Optional[List[Dict[str, Any]]]:
    """A follow-up on the topic: the sentences that answer the side she asks about.
    `also_entries`: other entries she read in the same reply (two needs answered together).
    None when nothing in the topic speaks to it."""
    text = turn.text
    others = follow_up_candidates(index, text, entry) if entry else [
        m.entry for m in index.search_faq(text, area) if m.entry.category == area and m.score >= SUGGEST_THRESHOLD]
    # after an overview she read only the topic's summary: "要多久" may be about any of its questions
    intent = (turn.topic or {}).get("intent")
    others += [e for e in topic_entries(index, intent) if e.category == area] if intent else []
    others += list(also_entries)
    passage = answer_follow_up(text, entry, others, also_asked) if (entry or others) else None
    if passage is None or not passage.sentences:
        return None
    title = passage.entry.question.rstrip("？?")
    if not reply.say(f"关于“{title}”：\n{passage.text}"):
        reply.say("简单说：" + passage.entry.plain_text())
    offered = reply.say_fresh("utter_offer_expert_short")
    return set_topic(turn, passage.entry.category, (turn.topic or {}).get("intent"), passage.entry.id,
                     answered=True) + [ask(EXPERT_OFFER if offered else None)]


def topic_entries(index: KnowledgeIndex, intent: str) -> List[FaqEntry]:
    """The questions of an area's topic, the entry its button stands for first: what its
    overview offers as buttons, and where a follow-up after the overview is looked for."""
    taxonomy = load_taxonomy()
    category = taxonomy.category_of(intent)
    info = next((i for i in taxonomy.topics_in(category or "") if i.name == intent), None)
    if info is None:
        return []
    entries = [m.entry for m in index.search_faq(f"{info.title} {info.covers}", category) if m.entry.category == category]
    first = entry_for_intent(index, intent)
    return ([first] + [e for e in entries if e.id != first.id]) if first else entries


def overview(turn: Turn, reply: Reply, index: KnowledgeIndex, intent: str) -> List[Dict[str, Any]]:
    """What the topic is about in a few lines, and its common questions as buttons,
    each leading to an answer (a menu button the assistant showed, or a clear
    area without a clear question)."""
    category = load_taxonomy().category_of(intent)
    summarised = reply.say_response(f"utter_topic_{intent}")
    entries = topic_entries(index, intent) or [
        m.entry for m in index.search_faq(turn.text, category) if m.entry.category == category]
    # the question of the topic nearest her words comes first, and her follow-ups are read in it
    # ("我妈82了 老年痴呆…": the elderly-care question of 留守儿童与老人, not the children's)
    near = {m.entry.id: m.score for m in index.search_faq(turn.text, category)} if turn.text else {}
    if entries and max(near.get(e.id, 0.0) for e in entries) > 0:
        nearest = max(entries, key=lambda e: near.get(e.id, 0.0))
        entries = [nearest] + [e for e in entries if e.id != nearest.id]
    first = entries[0] if entries else entry_for_intent(index, intent)
    if not summarised and first is not None and near.get(first.id, 0.0) > 0 and not turn.is_button:
        return answer_entry(turn, reply, first, intent)  # she read the summary already: her question's answer
    if len(entries) >= 2:  # questions to pick from; a single one would be a hedge, not a choice
        reply.say("想细看的话，点一个问题：", [choose_button(e) for e in entries[:MAX_CHOICES]]
                  + [{"title": "转人工", "payload": "/request_human"}])
        return set_topic(turn, category, intent, first.id if first else None) + [ask(None)]
    offered = reply.say_fresh("utter_offer_expert_short")
    return set_topic(turn, category, intent, first.id if first else None) + [ask(EXPERT_OFFER if offered else None)]


def choose(turn: Turn, reply: Reply, choices: List[FaqEntry], category: Optional[str]) -> List[Dict[str, Any]]:
    """Two or more close questions: she picks (never one alone)."""
    buttons = [choose_button(e) for e in choices[:MAX_CHOICES]]
    buttons.append({"title": "都不是，转人工", "payload": "/request_human"})
    reply.say(turn.text_of("utter_suggest_faq"), buttons)
    events = [ask(None)]
    if category:
        events += set_topic(turn, category, turn.intent if load_taxonomy().category_of(turn.intent) else None)
    return events


def plain(turn: Turn, reply: Reply, index: KnowledgeIndex) -> List[Dict[str, Any]]:
    """The short plain version of the topic in play, in everyday words."""
    topic = turn.topic or {}
    entry = next((e for e in index.knowledge.faq if e.id == topic.get("faq_id")), None)
    if topic.get("crisis"):
        reply.say_response(f"utter_crisis_plain_{topic['crisis']}")
        return set_topic(turn, topic.get("area"), topic.get("intent"), None, crisis=topic["crisis"])
    if entry is None:
        reply.say_response("utter_simpler_none")
        return [ask(None)]
    reply.say("简单说：" + entry.plain_text())
    reply.say("还有哪里不明白，就问我一句，比如“要去哪里”“要花钱吗”。也可以让工作人员打电话给你讲。",
              [{"title": "转人工", "payload": "/request_human"}])
    return set_topic(turn, entry.category, topic.get("intent"), entry.id) + [ask(None)]


def strip_yes_no(text: str) -> str:
    """Her words without a leading yes/no ("算了 还是先不离了 想问问…" → the question)."""
    return re.sub(r"^[\W]*(算了|不用了|不对|不是|是的|对|好的|好|嗯|唔係|係|不)+[\W]*", "", text or "")
