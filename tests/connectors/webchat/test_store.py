"""What waits for her in var/webchat.db, which the Rasa replicas on one host share: taken once."""
import sqlite3
import threading

from connectors.webchat.store import AFTER_SAFE_EXIT, PAGE_CLOSED, UNCONFIRMED, WebChatStore


def test_waiting_messages_are_taken_oldest_first_and_only_once(tmp_path):
    store = WebChatStore(tmp_path / "webchat.db")
    store.keep("web-1", [{"text": "一"}], PAGE_CLOSED, expert_message_id=7)
    store.keep("web-1", [{"text": "二"}], AFTER_SAFE_EXIT)
    store.keep("web-2", [{"text": "别人的"}], PAGE_CLOSED)
    assert [w.messages[0]["text"] for w in store.take_waiting("web-1", (PAGE_CLOSED,))] == ["一"]
    taken = store.take_waiting("web-1")
    assert [(w.messages, w.expert_message_id, w.reason) for w in taken] == [([{"text": "二"}], None, AFTER_SAFE_EXIT)]
    assert store.take_waiting("web-1") == [] and len(store.waiting("web-2")) == 1


def test_two_replicas_taking_her_waiting_messages_at_once_show_each_once(tmp_path):
    path = tmp_path / "webchat.db"
    WebChatStore(path).keep("web-1", [{"text": "一"}], PAGE_CLOSED)
    for number in range(50):
        WebChatStore(path).keep("web-1", [{"text": str(number)}], PAGE_CLOSED)
    stores = [WebChatStore(path) for _ in range(4)]  # each replica opens the file itself
    start, taken = threading.Barrier(len(stores)), []

    def take(store):
        start.wait(timeout=10)
        taken.extend(w.id for w in store.take_waiting("web-1"))

    threads = [threading.Thread(target=take, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(taken) == sorted(set(taken)) and len(taken) == 51


def test_the_file_uses_the_write_ahead_log(tmp_path):
    store = WebChatStore(tmp_path / "webchat.db")
    store.set_quiet("web-1")
    assert sqlite3.connect(tmp_path / "webchat.db").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_shown_message_stays_until_confirmed_and_waits_again_when_released(tmp_path):
    store = WebChatStore(tmp_path / "webchat.db")
    kept = store.keep("web-1", [{"text": "一"}], PAGE_CLOSED, expert_message_id=7)
    assert [w.id for w in store.take_waiting("web-1")] == [kept]  # claimed: shown, unconfirmed
    assert store.take_waiting("web-1") == [] and store.waiting("web-1") == []
    assert store.release(kept) and not store.release(kept)
    assert [w.id for w in store.take_waiting("web-1")] == [kept]
    assert store.confirm(kept) and not store.confirm(kept) and not store.release(kept)
    assert store.take_waiting("web-1") == []


def test_messages_a_stopped_process_left_unconfirmed_wait_again(tmp_path):
    clock = [1000.0]
    store = WebChatStore(tmp_path / "webchat.db", clock=lambda: clock[0])
    old = store.keep("web-1", [{"text": "旧的"}], UNCONFIRMED)
    clock[0] = 1100.0
    store.keep("web-1", [{"text": "另一个进程刚发出的"}], UNCONFIRMED)
    assert store.release_unconfirmed(before=1050.0) == 1
    assert [w.id for w in store.take_waiting("web-1")] == [old]
