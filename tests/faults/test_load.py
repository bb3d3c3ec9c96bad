import threading

from tests.faults.conversations import Script
from tests.faults.load import (
    EMPTY, LOST, REPLIED, UNFINISHED, ConversationRecord, Load, MessageRecord, RetryPolicy, SimulatedWoman, send,
    warm_up,
)
from tests.faults.web_client import Answer

REPLY = Answer(200, [{"recipient_id": "w", "text": "好的"}])
REFUSED = Answer(None, None, "ConnectionRefusedError: [Errno 111] Connection refused")


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def scripted(*answers):
    """A transport that gives these answers in turn and records each call."""
    calls, queue = [], list(answers)

    def transport(method, url, body=None, token=None, timeout=60):
        calls.append((method, url, body))
        return queue.pop(0) if queue else REPLY
    transport.calls = calls
    return transport


def record(text="在吗"):
    return MessageRecord(0, "run-w00-c0", "s", 0, text, 0.0)


def test_a_reply_at_the_first_attempt():
    transport, clock = scripted(REPLY), Clock()
    done = send(transport, "http://proxy/webhooks/rest/webhook", record(), RetryPolicy(), clock.sleep, clock)
    assert done.outcome == REPLIED and done.attempts == 1 and not done.retried
    assert transport.calls == [("POST", "http://proxy/webhooks/rest/webhook", {"sender": "run-w00-c0",
                                                                              "message": "在吗"})]


def test_retryable_errors_are_sent_again_with_doubling_pauses_until_a_reply():
    transport, clock = scripted(REFUSED, Answer(502, None, "HTTP 502"), Answer(504, None, "HTTP 504"), REPLY), Clock()
    done = send(transport, "u", record(), RetryPolicy(first_pause=0.5, longest_pause=1.5), clock.sleep, clock)
    assert done.outcome == REPLIED and done.attempts == 4
    assert done.retried_because == [REFUSED.error, "HTTP 502", "HTTP 504"]
    assert clock.now == 0.5 + 1.0 + 1.5  # the third pause is capped


def test_a_message_is_lost_when_the_attempts_run_out():
    transport, clock = scripted(*[REFUSED] * 10), Clock()
    done = send(transport, "u", record(), RetryPolicy(attempts=3), clock.sleep, clock)
    assert done.outcome == LOST and done.attempts == 3 and len(transport.calls) == 3
    assert "gave up after 3 attempts" in done.final_error


def test_a_message_is_lost_when_retrying_would_pass_the_time_limit():
    transport, clock = scripted(*[REFUSED] * 10), Clock()
    done = send(transport, "u", record(), RetryPolicy(attempts=10, first_pause=4, give_up_after=10), clock.sleep,
                clock)
    assert done.outcome == LOST and done.attempts == 3  # 4 + 4 seconds waited; a third pause would pass 10


def test_an_error_that_is_not_retryable_is_lost_at_once():
    transport, clock = scripted(Answer(500, None, "HTTP 500 boom")), Clock()
    done = send(transport, "u", record(), RetryPolicy(), clock.sleep, clock)
    assert done.outcome == LOST and done.attempts == 1 and done.final_error == "HTTP 500 boom"


def test_an_answer_without_any_message_for_her_is_empty_not_replied():
    transport, clock = scripted(Answer(200, [])), Clock()
    assert send(transport, "u", record(), RetryPolicy(), clock.sleep, clock).outcome == EMPTY


ASKING = Script("lawyer", ("我要找律师！前夫一年没给抚养费了", "孩子六岁"), asks_for_person=0)
CALM = Script("loan", ("想开个奶茶店", "要担保人吗"))


def test_a_woman_plays_her_conversations_each_under_its_own_id_in_order():
    transport = scripted()
    woman = SimulatedWoman(1, [ASKING, CALM], "http://proxy/", "run", transport, threading.Event(),
                           max_conversations=3, think_seconds=0)
    conversations = woman.run()
    assert [c.conversation_id for c in conversations] == ["run-w01-c0", "run-w01-c1", "run-w01-c2"]
    assert [c.script.id for c in conversations] == ["loan", "lawyer", "loan"]  # woman 1 starts on the second
    assert [body["message"] for _, _, body in transport.calls][:2] == list(CALM.turns)
    assert all(m.outcome == REPLIED for c in conversations for m in c.messages)


def test_a_woman_stops_at_a_turns_end_when_told():
    stop = threading.Event()

    def transport(method, url, body=None, token=None, timeout=60):
        stop.set()  # the load ends while her first message is on its way
        return REPLY
    woman = SimulatedWoman(0, [ASKING], "http://proxy", "run", transport, stop, think_seconds=0)
    [conversation] = woman.run()
    assert [m.outcome for m in conversation.messages] == [REPLIED]  # seen through, then no more


def test_a_handoff_is_owed_only_when_the_asking_turn_was_answered():
    answered = ConversationRecord("run-w00-c0", ASKING, [_message(0, REPLIED, "已为你登记转接法律维权方面的律师，编号H-20261130-0007。")])
    lost = ConversationRecord("run-w00-c1", ASKING, [_message(0, LOST)])
    calm = ConversationRecord("run-w00-c2", CALM, [_message(0, REPLIED)])
    assert answered.asked_for_person and answered.handoff_number == "H-20261130-0007"
    assert not lost.asked_for_person and not calm.asked_for_person and calm.handoff_number is None
    assert answered.sent_request and lost.sent_request and not calm.sent_request


def test_the_warm_up_sends_its_messages_one_after_the_other_each_in_its_own_conversation():
    transport = scripted()
    records = warm_up(transport, "http://proxy", "run", rounds=2)
    assert [r.outcome for r in records] == [REPLIED] * 4
    assert [body["sender"] for _, _, body in transport.calls] == ["run-warmup0", "run-warmup1", "run-warmup2",
                                                                  "run-warmup3"]


def _message(turn, outcome, text="好的"):
    message = MessageRecord(0, "c", "s", turn, "我要找律师", 0.0, outcome=outcome)
    message.replies = [{"text": text}] if outcome == REPLIED else []
    return message


def test_the_load_gives_every_conversation_and_leaves_a_message_in_flight_unfinished():
    release, stop, sending = threading.Event(), threading.Event(), threading.Event()

    def slow(method, url, body=None, token=None, timeout=60):
        sending.set()
        release.wait(5)
        return REPLY
    load = Load([SimulatedWoman(0, [CALM], "http://proxy", "run", slow, stop, think_seconds=0)]).start()
    assert sending.wait(5)
    assert load.running == 1
    stop.set()
    conversations = load.finish(join_seconds=0.2)
    assert [m.outcome for m in conversations["run-w00-c0"].messages] == [UNFINISHED]
    release.set()
