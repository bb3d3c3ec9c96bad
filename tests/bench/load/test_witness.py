import json
import sqlite3

from bench.load.expert import ExpertReply
from bench.load.witness import count_reached, reached_her


def reply(conversation, text, delivered=1.0):
    return ExpertReply("H", conversation, "lawyer", text, posted=0.0, delivered=delivered)


def test_a_delivered_reply_counts_when_her_conversation_holds_it_exactly_once():
    texts = {"a": ("【律师回复】\n请带上判决书",), "b": ("别的",), "c": ("【律师回复】\n请带上判决书",) * 2}
    replies = [reply(name, "请带上判决书") for name in "abc"] + [reply("a", "请带上判决书", delivered=None)]
    assert count_reached(replies, lambda conversation: texts[conversation]) == 1


def test_the_replies_are_read_from_rasas_sql_tracker_store(tmp_path):
    database = tmp_path / "tracker.db"
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, data TEXT)")
    rows = [("w1", "user", {"text": "我想找律师"}), ("w1", "bot", {"text": "【律师回复】\n请带上判决书"}),
            ("w2", "bot", {"text": "你好"})]
    connection.executemany("INSERT INTO events (sender_id, type_name, data) VALUES (?, ?, ?)",
                           [(sender, kind, json.dumps(data)) for sender, kind, data in rows])
    connection.commit()
    connection.close()
    assert reached_her(f"sqlite:///{database}", [reply("w1", "请带上判决书"), reply("w2", "请带上判决书")]) == 1
