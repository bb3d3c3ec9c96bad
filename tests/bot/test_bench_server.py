import os

from bot.bench_server import conversations, free_port, memory_mb, send_all


def test_messages_go_round_the_texts_a_few_to_each_conversation():
    bodies = list(conversations(["a", "b", "c"], 7, per_conversation=3))
    assert [b["message"] for b in bodies] == ["a", "b", "c", "a", "b", "c", "a"]
    assert [b["sender"] for b in bodies] == ["bench-0"] * 3 + ["bench-1"] * 3 + ["bench-2"]


def test_memory_is_read_from_proc_for_a_live_process():
    figures = memory_mb(os.getpid())
    assert 0 < figures["rss_mb"] <= figures["peak_rss_mb"]


def test_a_free_port_is_a_port_number():
    assert 1024 <= free_port() <= 65535


def test_every_message_is_sent_in_its_conversations_order_and_failures_are_counted():
    sent = []

    def post(url, body):
        if body["message"] == "bad":
            raise OSError("refused")
        sent.append((body["sender"], body["message"]))

    bodies = list(conversations(["a", "b", "bad", "c"], 8, per_conversation=4))
    assert send_all("http://x/webhook", bodies, clients=2, post=post) == 2
    for sender in ("bench-0", "bench-1"):
        assert [m for s, m in sent if s == sender] == ["a", "b", "c"]
