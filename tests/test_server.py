"""The running assistant (Rasa server + action server) on bad input: never silent,
never crashing, and every message kept in the tracker exactly as she wrote it."""
import pytest

from tests.live_assistant import LiveAssistant, json_call, tracker
from tests.routing_process import SERVICE_TOKEN, RoutingProcess, free_port


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("assistant")
    routing = RoutingProcess(workdir, free_port()).start()
    live = LiveAssistant(workdir, dict(ROUTING_URL=routing.url, ROUTING_SERVICE_TOKEN=SERVICE_TOKEN))
    try:
        live.start()
        yield live.rasa_url, routing
    finally:
        routing.stop()
        live.stop()


def say(base, sender, text):
    return json_call("POST", f"{base}/webhooks/rest/webhook", {"sender": sender, "message": text})


def tracker_texts(base, sender):
    events = tracker(base, sender)["events"]
    return [event.get("text") for event in events if event["event"] == "user"]


BAD_INPUTS = {
    "empty": "",
    "blank": "   \n\t ",
    "emoji": "😭😭😭🙏",
    "huge": "我老公经常打我，还不给生活费，" * 1334,
    "control": "孩子\x00\x07沉迷\x1b手机",
    "mixed": "HR说我pregnant就不能续约 離婚ok嗎？",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_a_reply_and_is_kept_whole(assistant, name):
    assistant, _ = assistant
    text = BAD_INPUTS[name]
    replies = say(assistant, f"bad-{name}", text)
    assert replies and all(reply.get("text") for reply in replies)
    # Rasa's UserMessage strips surrounding whitespace; nothing else is changed.
    assert tracker_texts(assistant, f"bad-{name}")[-1] == text.strip()


def test_first_reply_to_danger_gives_110_and_asks_if_she_is_safe(assistant):
    assistant, _ = assistant
    replies = say(assistant, "danger", "救命 他拿着刀在踹门")
    first = replies[0]["text"]
    assert "110" in first and "安全吗" in first and "12338" in first and "12356" in first
    assert tracker(assistant, "danger")["slots"]["urgent"] is True


def test_a_request_for_a_person_opens_a_handoff_in_the_routing_backend(assistant):
    assistant, routing = assistant
    routing_url = routing.url
    say(assistant, "wants-lawyer", "老公出轨了我想离婚，孩子两岁")
    reply = say(assistant, "wants-lawyer", "转人工")[0]["text"]
    assert "编号" in reply and "48小时" in reply
    handoff = json_call("GET", f"{routing_url}/api/v1/conversations/wants-lawyer/status", token=SERVICE_TOKEN)
    assert handoff["id"] in reply
    assert handoff["department"] == "权益部" and handoff["category"] == "legal"
    assert "summary" not in handoff  # the service token's status call carries none of her words
    assert "孩子两岁" in routing.handoff_as_admin(handoff["id"])["summary"]
    status = say(assistant, "wants-lawyer", "我的求助有人处理了吗")[0]["text"]
    assert handoff["id"] in status and "前回复" in status
