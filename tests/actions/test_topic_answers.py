"""actions/topic_answers.py: while a person has her request, an answer offers no second handover;
an answer she has read is not sent again whole."""
import pytest

from actions.topic_answers import answer_entry, next_step_while_waiting, said_before
from actions.context import Turn
from actions.her_turn import Reply
from bot.knowledge_index import KnowledgeIndex
from tests.actions.dialogue_support import domain, user_event
from tests.conftest import make_tracker


@pytest.mark.parametrize("next_step, waiting", [
    ("需要的话，我可以帮你转接律师；也可拨打公共法律服务热线12348，或全国妇联维权热线12338。",
     "可以拨打公共法律服务热线12348，或全国妇联维权热线12338。"),
    ("如果你现在有危险，请立即拨打110。需要的话，我可以帮你转接律师；也可拨打全国妇联维权热线12338。",
     "如果你现在有危险，请立即拨打110。也可拨打全国妇联维权热线12338。"),
    ("可以就近联系妇联咨询两癌救助申请；需要倾诉的话，我也可以帮你转接心理专家。", "可以就近联系妇联咨询两癌救助申请。"),
    ("需要的话，我可以帮你转接家庭教育专家，一起商量家里的沟通办法。", ""),
    ("可以拨打12338。", "可以拨打12338。"),
])
def test_the_offer_to_hand_her_over_goes_and_the_hotlines_stay(next_step, waiting):
    assert next_step_while_waiting(next_step) == waiting


def answered(slots):
    index = KnowledgeIndex()
    entry = next(e for e in index.knowledge.faq if e.id == "legal.divorce.child_support")
    turn = Turn(make_tracker([user_event("前夫不给抚养费怎么办", "legal_family_property")], slots=slots), domain())
    reply = Reply(turn)
    answer_entry(turn, reply, entry)
    return "\n".join(message["text"] for message in reply.messages)


def test_with_her_request_open_the_answer_offers_no_lawyer_and_keeps_its_basis():
    waiting = answered({"handoff_open": True, "handoff_id": "h-1"})
    assert "转接" not in waiting and "依据" in waiting and "12348" in waiting
    assert "我可以帮你转接律师" in answered({})


@pytest.fixture(scope="module")
def elderly_care():
    return next(e for e in KnowledgeIndex().knowledge.faq if e.id == "care.elderly_care")


@pytest.mark.parametrize("asked", ["照顧老人有冇補貼", "照顾老人有没有补贴"])
def test_asked_again_about_one_side_she_gets_that_side(asked, elderly_care):
    again = said_before(asked, elderly_care)
    assert again.startswith("前面提到过") and "护理补贴" in again
    assert len(again) < len(elderly_care.answer_text())


def test_asked_again_without_a_side_she_gets_the_plain_version(elderly_care):
    assert said_before("再说一遍", elderly_care) == "这个问题前面说过了，简单说：" + elderly_care.plain_text()
