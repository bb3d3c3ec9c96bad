from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionRequestHuman
from actions.handoff_store import InMemoryHandoffStore
from tests.conftest import bot_event, make_tracker, user_event


def run(store, tracker):
    dispatcher = CollectingDispatcher()
    events = ActionRequestHuman(store=store).run(dispatcher, tracker, {})
    return dispatcher.messages, events


def test_request_is_recorded_with_area_summary_and_transcript():
    store = InMemoryHandoffStore()
    tracker = make_tracker(
        [
            user_event("你好", "greet"),
            bot_event("你好，我是南粤女声+小助手"),
            user_event("老公出轨了我想离婚，孩子才一岁", "legal_divorce"),
            user_event("帮我转律师", "request_human"),
        ]
    )
    messages, events = run(store, tracker)
    (saved,) = store.requests
    assert saved.category == "legal" and saved.intent == "legal_divorce"
    assert saved.urgent is False
    assert "孩子才一岁" in saved.summary and "你好" not in saved.summary
    assert [line["role"] for line in saved.transcript] == ["user", "bot", "user", "user"]
    assert "律师" in messages[0]["text"] and "48小时" in messages[0]["text"]
    assert events[0]["name"] == "handoff_id" and events[0]["value"] == store.records[0].id


def test_after_a_crisis_the_request_is_urgent():
    store = InMemoryHandoffStore()
    tracker = make_tracker([user_event("转人工", "request_human")], slots={"urgent": True})
    messages, _ = run(store, tracker)
    assert store.requests[0].urgent is True
    assert "优先" in messages[0]["text"]


def test_a_second_request_does_not_open_a_duplicate():
    store = InMemoryHandoffStore()
    tracker = make_tracker([user_event("转人工", "request_human")])
    run(store, tracker)
    messages, events = run(store, tracker)
    assert len(store.records) == 1
    assert "已经在处理中" in messages[0]["text"]
    assert events[0]["value"] == store.records[0].id


def test_a_bare_request_has_no_area_and_says_so_kindly():
    store = InMemoryHandoffStore()
    messages, _ = run(store, make_tracker([user_event("找真人", "request_human")]))
    assert store.requests[0].category is None
    assert "工作人员" in messages[0]["text"]


class DownBackend(InMemoryHandoffStore):
    """A store whose requests wait in the outbox, as when the routing backend is down."""

    def open_request(self, request):
        from dataclasses import replace

        return replace(super().open_request(request), delivered=False)


def test_when_the_backend_is_down_she_is_told_the_request_is_recorded():
    messages, events = run(DownBackend(), make_tracker([user_event("转人工", "request_human")]))
    assert "已经记录好" in messages[0]["text"] and events[0]["name"] == "handoff_id"


def test_her_recognised_region_goes_with_the_request():
    store = InMemoryHandoffStore()
    tracker = make_tracker([user_event("我在顺德，想找律师", "request_human")], slots={"region": "广东省佛山市顺德区"})
    run(store, tracker)
    assert store.requests[0].region == "广东省佛山市顺德区"
