"""Her request for a person (actions/request_human.py), opened through actions/handoff.py."""
import asyncio
from dataclasses import replace

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.request_human import ActionRequestHuman
from actions.handoff_outbox import OutboxHandoffStore
from actions.handoff_store import SQLiteHandoffStore
from actions.routing_client import RoutingClient
from actions.routing_protocol import RoutingRefused, RoutingUnavailable
from tests.actions.dialogue_support import domain, topic
from tests.actions.fakes import InMemoryHandoffStore, StubRoutingServer
from tests.conftest import bot_event, make_tracker, user_event
from tests.routing_process import free_port


def run(store, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionRequestHuman(store=store).run(dispatcher, tracker, domain()))
    return dispatcher.messages, events


def slot(events, name):
    return next(e["value"] for e in events if e.get("name") == name)


def asking(text="转人工"):
    """A request whose topic the conversation already knows, so the handoff opens at once."""
    return make_tracker([user_event(text, "request_human")], slots={"topic": topic("legal", turn=1)})


def test_request_is_recorded_with_area_summary_and_transcript():
    store = InMemoryHandoffStore()
    tracker = make_tracker(
        [
            user_event("你好", "greet"),
            bot_event("你好，我是南粤女声+小助手"),
            user_event("老公出轨了我想离婚，孩子才一岁", "legal_divorce"),
            user_event("帮我转律师", "request_human"),
        ],
        slots={"topic": topic("legal", "legal.divorce.custody", "legal_divorce", turn=2)},
    )
    messages, events = run(store, tracker)
    (saved,) = store.requests
    assert saved.category == "legal" and saved.intent == "legal_divorce"
    assert saved.urgent is False
    assert "孩子才一岁" in saved.summary and "你好" not in saved.summary
    assert [line["role"] for line in saved.transcript] == ["user", "bot", "user", "user"]
    assert "律师" in messages[0]["text"] and "48小时" in messages[0]["text"]
    assert slot(events, "handoff_id") == store.records[0].id and slot(events, "handoff_open") is True


def test_after_a_crisis_the_request_is_urgent():
    store = InMemoryHandoffStore()
    tracker = make_tracker([user_event("转人工", "request_human")], slots={"urgent": True, "topic": topic("legal")})
    messages, _ = run(store, tracker)
    assert store.requests[0].urgent is True
    assert "优先" in messages[0]["text"]


def test_a_second_request_does_not_open_a_duplicate():
    store = InMemoryHandoffStore()
    tracker = asking()
    run(store, tracker)
    messages, events = run(store, tracker)
    assert len(store.records) == 1
    assert "已经在处理中" in messages[0]["text"]
    assert slot(events, "handoff_id") == store.records[0].id


def test_asking_for_a_kind_of_person_while_her_request_is_open_is_heard():
    """"我想找个心理咨询师好好聊聊" after the urgent request opened: her wish, then the request's state."""
    store = InMemoryHandoffStore()
    run(store, asking())
    messages, _ = run(store, make_tracker([user_event("谢谢你 我想找个心理咨询师好好聊聊", "request_human")],
                                          slots={"topic": topic("care", turn=2)}))
    assert len(store.records) == 1
    assert messages[0]["text"].startswith("好的，想跟心理咨询师好好聊聊") and "已经在处理中" in messages[0]["text"]


def test_the_confirmation_names_the_area_once():
    store = InMemoryHandoffStore()
    messages, _ = run(store, make_tracker([user_event("孩子不肯上学 我想跟家庭教育专家聊聊", "request_human")]))
    assert "转接家庭教育指导师" in messages[0]["text"] and "家庭教育方面的" not in messages[0]["text"]
    messages, _ = run(InMemoryHandoffStore(), make_tracker([user_event("我要找律师 老公要跟我抢孩子", "request_human")]))
    assert "转接法律维权方面的律师" in messages[0]["text"]


@pytest.mark.parametrize("status", ["replied", "escalated"])
def test_a_request_already_answered_or_escalated_still_counts_as_open(status):
    """The routing backend's open statuses (assistant_contract): an escalated crisis
    handoff is still being worked on, so asking again must not open a second one."""
    store = InMemoryHandoffStore()
    tracker = asking()
    run(store, tracker)
    store.records[0] = replace(store.records[0], status=status)
    messages, _ = run(store, tracker)
    assert len(store.records) == 1
    assert "已经在处理中" in messages[0]["text"]


@pytest.mark.parametrize("text", ["找真人", "我不想跟机器人说 能不能给我找个真人"])
def test_a_bare_request_asks_what_it_is_about_before_opening_anything(text):
    """Words beside the request that name no topic ("我不想跟机器人说") give it nothing to route by."""
    store = InMemoryHandoffStore()
    messages, events = run(store, make_tracker([user_event(text, "request_human")]))
    assert store.requests == []
    assert "工作人员" in messages[0]["text"] and [b["title"] for b in messages[0]["buttons"]] == ["马上转接", "先不用了"]
    assert slot(events, "pending_question") == "handoff_topic"


def test_pressing_connect_now_after_the_question_opens_it_as_it_is():
    store = InMemoryHandoffStore()
    tracker = make_tracker([user_event("/request_human", "request_human", 1.0)],
                           slots={"person_request": {"role": "律师", "category": "legal"},
                                  "pending_question": "handoff_topic"})
    run(store, tracker)
    assert store.requests[0].category == "legal"


def test_a_request_naming_the_person_and_the_topic_opens_at_once_in_that_area():
    store = InMemoryHandoffStore()
    messages, events = run(store, make_tracker([user_event("我要找律师 老公要跟我抢孩子", "request_human", 0.4)]))
    assert store.requests[0].category == "legal" and slot(events, "service_area") == "legal"
    assert "律师" in messages[0]["text"]


def test_her_answer_to_what_it_is_about_opens_the_request_and_is_answered_while_she_waits():
    store = InMemoryHandoffStore()
    tracker = make_tracker([user_event("转人工", "request_human"), bot_event("你先用一两句话说说是什么事"),
                            user_event("离婚两年了 前夫一分抚养费都没给过 孩子5岁", "legal_family_property", 0.86)],
                           slots={"person_request": {"role": "工作人员", "category": None},
                                  "pending_question": "handoff_topic"})
    messages, events = run(store, tracker)
    assert store.requests[0].category == "legal" and "编号" in messages[0]["text"]
    assert any("抚养费" in m["text"] for m in messages[1:])


def test_a_kind_of_person_the_nlu_found_routes_the_request_by_its_area():
    store = InMemoryHandoffStore()
    parse = {"person_kind": {"kind": "心理专家", "area": "care", "words": "心理专家"}}
    messages, events = run(store, make_tracker([user_event("能不能安排心理专家跟我聊一下", "request_human", 0.9,
                                                          **parse)]))
    assert store.requests[0].category == "care" and slot(events, "service_area") == "care"
    assert "心理咨询师" in messages[0]["text"]


def test_pinyin_is_searched_as_the_nlu_read_it():
    from actions.context import Turn

    event = user_event("wo xiang zhao lv shi", "request_human", 0.9, pinyin="wo xiang zhao lv shi")
    event["parse_data"]["text"] = "我想找律师"
    assert Turn(make_tracker([event]), domain()).text == "我想找律师"


def test_a_guessed_request_her_words_do_not_make_opens_nothing():
    store = InMemoryHandoffStore()
    messages, _ = run(store, make_tracker([user_event("我想找个工做 能接送孩子的那种", "request_human", 0.34)]))
    assert store.requests == []


def test_a_request_guessed_at_low_confidence_in_a_topic_is_a_follow_up_in_it():
    store = InMemoryHandoffStore()
    tracker = make_tracker([user_event("女生创业可以贷款吗", "startup_finance"), bot_event("创业可以申请创业担保贷款……"),
                            user_event("need collateral吗", "request_human", 0.1)],
                           slots={"topic": topic("entrepreneurship", "entrepreneurship.startup_loan", "startup_finance")})
    messages, _ = run(store, tracker)
    assert store.requests == [] and "转接真人" not in messages[0]["text"]
    assert "担保" in " ".join(m["text"] for m in messages)


def test_when_the_backend_is_down_she_is_told_the_request_is_recorded():
    messages, events = run(InMemoryHandoffStore(waiting=True), asking())
    assert "已经记录好" in messages[0]["text"] and slot(events, "handoff_id")


@pytest.mark.parametrize("failure", [RoutingRefused(422, "body.summary: too long"), RuntimeError("disk full")])
def test_a_request_that_cannot_be_recorded_gets_her_the_hotline_and_a_retry(failure):
    messages, events = run(InMemoryHandoffStore(failure=failure), asking())
    assert "12338" in messages[0]["text"] and [b["title"] for b in messages[0]["buttons"]] == ["再试一次"]
    assert not any(e.get("name") == "handoff_id" for e in events)  # nothing was recorded


def test_a_422_from_the_backend_over_http_gets_her_a_reply_and_is_not_queued(tmp_path):
    outbox = SQLiteHandoffStore(tmp_path / "outbox.db")
    refusal = {"detail": [{"loc": ["body", "summary"], "msg": "too long", "input": "她的原话"}]}
    with StubRoutingServer(422, refusal) as server:
        store = OutboxHandoffStore(RoutingClient(server.url, "service-token"), outbox)
        messages, events = run(store, asking())
    assert "12338" in messages[0]["text"] and not any(e.get("name") == "handoff_id" for e in events)
    assert outbox.pending() == []


def test_with_no_backend_at_all_the_request_waits_in_the_outbox_and_she_is_told(tmp_path):
    outbox = SQLiteHandoffStore(tmp_path / "outbox.db")
    store = OutboxHandoffStore(RoutingClient(f"http://127.0.0.1:{free_port()}", "service-token", timeout=1), outbox)
    messages, events = run(store, asking())
    assert "已经记录好" in messages[0]["text"]
    ((local_id, _),) = outbox.pending()
    assert slot(events, "handoff_id") == local_id


def test_when_her_earlier_request_cannot_be_looked_up_a_new_one_is_still_recorded():
    class Forgetful(InMemoryHandoffStore):
        async def latest_for(self, conversation_id):
            raise RoutingUnavailable("down")

    store = Forgetful()
    messages, _ = run(store, asking())
    assert len(store.requests) == 1 and "编号" in messages[0]["text"]


def test_her_recognised_region_goes_with_the_request():
    store = InMemoryHandoffStore()
    tracker = make_tracker([user_event("我在顺德，想找律师", "request_human")], slots={"region": "广东省佛山市顺德区"})
    run(store, tracker)
    assert store.requests[0].region == "广东省佛山市顺德区"
