import asyncio
import time
from collections import defaultdict

from bench.load.conversations import parse
from bench.load.user import Reply, run_level, sender_id

CONVERSATIONS = parse({"version": 1, "conversations": [
    {"id": "faq", "turns": [{"kind": "faq", "text": "产假多少天"}, {"kind": "follow_up", "text": "要带什么"}]},
    {"id": "lawyer", "handoff": "legal",
     "turns": [{"kind": "handoff", "text": "我想找律师"}, {"kind": "waiting", "text": "好的"}]},
]})


class FakeAssistant:
    """Answers after `delay`; notes what each conversation received and whether a woman ever had
    two messages in flight."""

    def __init__(self, delay=0.01, reply=({"text": "好的"},), status=200, error=""):
        self.delay, self.reply, self.status, self.error = delay, reply, status, error
        self.received = defaultdict(list)
        self.in_flight = defaultdict(int)
        self.overlapped = False
        self.sent_at = []

    async def send(self, sender, text):
        woman = sender.split("-c")[0]
        self.in_flight[woman] += 1
        self.overlapped |= self.in_flight[woman] > 1
        self.sent_at.append(time.monotonic())
        self.received[sender].append(text)
        await asyncio.sleep(self.delay)
        self.in_flight[woman] -= 1
        return Reply(self.status, tuple(self.reply), self.error)


def level(chat, **options):
    settings = {"users": 3, "seconds": 0.3, "max_turns": 1000, "run": "t"}
    settings.update(options)
    return asyncio.run(run_level(chat, CONVERSATIONS, **settings))


def test_each_woman_waits_for_the_reply_before_her_next_message():
    chat = FakeAssistant()
    result = level(chat)
    assert not chat.overlapped
    assert len(result.results) > 20 and all(turn.ok for turn in result.results)


def test_conversations_are_played_in_order_each_under_its_own_id():
    chat = FakeAssistant()
    level(chat, users=2)
    first = sender_id("t", 2, 0, 0)
    assert chat.received[first] == ["产假多少天", "要带什么"]
    assert chat.received[sender_id("t", 2, 0, 1)][:1] == ["我想找律师"]
    assert chat.received[sender_id("t", 2, 1, 0)][:1] == ["我想找律师"]  # the second woman starts elsewhere


def test_nothing_new_is_sent_after_the_level_time_and_turns_are_bounded():
    chat = FakeAssistant(delay=0.05)
    started = time.monotonic()
    result = level(chat, seconds=0.2)
    assert max(chat.sent_at) - started < 0.2 + 0.02
    assert not result.cut_short
    bounded = level(FakeAssistant(delay=0.0), users=2, seconds=5, max_turns=3)
    assert len(bounded.results) == 6


def test_an_empty_reply_and_an_error_status_are_errors():
    empty = level(FakeAssistant(reply=()), users=1, max_turns=2)
    assert [turn.error.split(":")[0] for turn in empty.results] == ["empty reply", "empty reply"]
    failed = level(FakeAssistant(reply=(), status=500, error="HTTP 500: boom"), users=1, max_turns=1)
    assert failed.results[0].error == "HTTP 500: boom" and failed.results[0].status == 500


def test_a_level_is_cut_short_when_replies_never_come():
    chat = FakeAssistant(delay=60)
    started = time.monotonic()
    result = level(chat, users=2, seconds=0.1, reply_timeout=0.1, slack=0.1)
    assert result.cut_short and time.monotonic() - started < 2
