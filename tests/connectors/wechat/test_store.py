"""What the WeChat channel remembers: deliveries seen and numbered options, with expiry."""
from connectors.wechat.store import WeChatStore


class Clock:
    def __init__(self):
        self.now = 1_764_403_200.0

    def __call__(self):
        return self.now


def test_a_delivery_is_claimed_once_and_keeps_its_reply(tmp_path):
    store = WeChatStore(tmp_path / "wechat.db")
    assert store.claim("msg:1") is True
    assert store.claim("msg:1") is False
    store.remember_reply("msg:1", "你好")
    assert store.reply_for("msg:1") == "你好"
    assert WeChatStore(tmp_path / "wechat.db").claim("msg:1") is False  # survives a restart


def test_options_expire_and_an_empty_set_forgets_them(tmp_path):
    clock = Clock()
    store = WeChatStore(tmp_path / "wechat.db", options_ttl_seconds=60, clock=clock)
    store.save_options("her", {1: "/affirm", 2: "/deny"})
    assert store.option("her", 2) == "/deny" and store.option("her", 3) is None
    assert store.option("someone-else", 1) is None
    clock.now += 61
    assert store.option("her", 1) is None
    store.save_options("her", {1: "/affirm"})
    store.save_options("her", {})
    assert store.option("her", 1) is None


def test_two_replicas_taking_what_waits_for_her_at_once_send_each_message_once(tmp_path):
    import threading

    path = tmp_path / "wechat.db"
    for number in range(50):
        WeChatStore(path).hold("her", f"第{number}条", "held_after_safe_exit")
    stores = [WeChatStore(path) for _ in range(4)]  # the replicas on one host share the file
    start, taken = threading.Barrier(len(stores)), []

    def take(store):
        start.wait(timeout=10)
        taken.extend(message.text for message in store.take_held("her"))

    threads = [threading.Thread(target=take, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(taken) == sorted(f"第{number}条" for number in range(50))
    assert WeChatStore(path).take_held("her") == []
