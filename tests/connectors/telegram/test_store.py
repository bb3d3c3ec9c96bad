"""The channel's SQLite memory: dedupe across restarts, pruning, message ids, payloads."""
from connectors.telegram.store import LONG_PAYLOAD_PREFIX, TelegramStore


class Clock:
    def __init__(self):
        self.now = 1_700_000_000.0

    def __call__(self):
        return self.now


def test_a_claim_holds_across_a_restart_and_a_release_frees_it(tmp_path):
    path = tmp_path / "telegram.db"
    assert TelegramStore(path).claim("update:1") is True
    assert TelegramStore(path).claim("update:1") is False
    TelegramStore(path).release("update:1")
    assert TelegramStore(path).claim("update:1") is True


def test_old_ids_are_pruned(tmp_path):
    clock = Clock()
    store = TelegramStore(tmp_path / "telegram.db", clock=clock)
    store.claim("update:1")
    store.remember_message("7", 10, "in")
    clock.now += 8 * 24 * 3600
    store.claim("update:2")  # the first call after an hour prunes
    assert store.claim("update:1") is True
    assert store.deletable_messages("7") == []


def test_only_messages_younger_than_48_hours_are_deletable(tmp_path):
    clock = Clock()
    store = TelegramStore(tmp_path / "telegram.db", clock=clock)
    store.remember_message("7", 1, "in", sent_at=clock.now - 49 * 3600)
    store.remember_message("7", 2, "out", sent_at=clock.now - 47 * 3600)
    store.remember_message("7", 3, "in")
    store.remember_message("8", 4, "in")
    assert store.deletable_messages("7") == [3, 2]
    store.forget_messages("7", [3])
    assert store.deletable_messages("7") == [2]


def test_long_payloads_get_a_stable_short_key(tmp_path):
    store = TelegramStore(tmp_path / "telegram.db")
    payload = '/choose_faq{"faq_id": "' + "很长的编号" * 10 + '"}'
    key = store.payload_key(payload)
    assert key.startswith(LONG_PAYLOAD_PREFIX) and len(key.encode()) <= 64
    assert store.payload_key(payload) == key
    assert TelegramStore(tmp_path / "telegram.db").payload_for(key) == payload
    assert store.payload_for(LONG_PAYLOAD_PREFIX + "unknown") is None


def test_undelivered_rows_are_kept_until_resent(tmp_path):
    store = TelegramStore(tmp_path / "telegram.db")
    first = store.record_undelivered("7", "sendMessage", {"text": "一"}, "held_after_safe_exit")
    store.record_undelivered("8", "sendMessage", {"text": "二"}, "forbidden", "blocked")
    assert [r.body["text"] for r in store.undelivered()] == ["一", "二"]
    assert [r.reason for r in store.undelivered(chat_id="8")] == ["forbidden"]
    store.mark_resent(first)
    assert [r.chat_id for r in store.undelivered()] == ["8"]


def test_quiet_is_set_and_cleared(tmp_path):
    store = TelegramStore(tmp_path / "telegram.db")
    assert store.quiet_since("7") is None and store.clear_quiet("7") is False
    since = store.set_quiet("7")
    assert store.quiet_since("7") == since
    assert store.clear_quiet("7") is True and store.quiet_since("7") is None
