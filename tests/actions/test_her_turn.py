"""Every action answering her reads a typed "取消" of her open request the same way,
except on the crisis path, where the urgent request stays."""
import asyncio

from actions.crisis import ActionCrisisResponse
from actions.handoff_types import HandoffRequest
from actions.her_turn import HerTurnAction
from tests.actions.dialogue_support import crisis_event, run_action, user_event
from tests.actions.fakes import InMemoryHandoffStore


class Echo(HerTurnAction):
    def name(self):
        return "action_echo"

    async def respond(self, turn, reply):
        reply.say("这是普通的回答。")
        return []


class EchoKeepingRequests(Echo):
    reads_withdrawals = False


def open_request(store: InMemoryHandoffStore, urgent: bool = False):
    return asyncio.run(store.open_request(HandoffRequest("woman-1", "rest", "legal", "legal_divorce_property",
                                                         urgent, "离婚财产怎么分", [])))


def test_a_typed_take_back_withdraws_her_open_request_whatever_the_intent():
    store = InMemoryHandoffStore()
    record = open_request(store)
    messages, slots = run_action(Echo(store), [user_event("算了 刚才那个帮我取消吧", "faq_legal", 0.4)],
                                 {"handoff_open": True, "handoff_id": record.id})
    assert store.records[-1].status == "returned" and slots["handoff_open"] is False
    assert "已经取消了" in messages[0]["text"] and "普通的回答" not in messages[0]["text"]


def test_without_an_open_request_the_words_are_simply_answered():
    store = InMemoryHandoffStore()
    messages, _ = run_action(Echo(store), [user_event("算了 刚才那个帮我取消吧", "faq_legal", 0.4)], {})
    assert messages[0]["text"] == "这是普通的回答。"


def test_an_action_that_keeps_requests_answers_instead():
    store = InMemoryHandoffStore()
    record = open_request(store)
    messages, _ = run_action(EchoKeepingRequests(store), [user_event("帮我取消吧", "faq_legal", 0.4)],
                             {"handoff_open": True, "handoff_id": record.id})
    assert store.records[-1].status != "returned"
    assert messages[0]["text"].startswith("这是普通的回答。")


def test_cancel_words_in_a_crisis_never_withdraw_the_urgent_request():
    store = InMemoryHandoffStore()
    record = open_request(store, urgent=True)
    messages, _ = run_action(ActionCrisisResponse(store),
                             [crisis_event("他拿刀回来了 快 那个帮我取消了吧", "violence")],
                             {"handoff_open": True, "handoff_id": record.id, "urgent": True})
    assert store.records[-1].status != "returned"
    assert "拨打110" in messages[0]["text"] and "你现在安全吗" in messages[0]["text"]


def test_her_addition_to_an_open_request_is_passed_on_and_she_is_told_it_was():
    store = InMemoryHandoffStore()
    record = open_request(store)
    slots = {"handoff_open": True, "handoff_id": record.id}
    messages, _ = run_action(Echo(store), [user_event("补充一下 首付有一半是他爸妈出的", "legal_family_property", 0.27)],
                             slots)
    assert store.forwarded[-1][-1] == "补充一下 首付有一半是他爸妈出的"
    assert "你补充的情况也已经转给" in messages[-1]["text"]
    messages, _ = run_action(Echo(store), [user_event("房子写的是他的名字", "legal_family_property", 0.5)], slots)
    assert "这条消息也已经转给" in messages[-1]["text"]
