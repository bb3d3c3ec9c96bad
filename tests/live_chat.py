"""Talking to the running assistant as her phone does: send a message, read the replies
(texts and button titles), press an offered button. Shared by the end-to-end tests."""


def say(services, chat, text):
    replies, _, error = services.say(chat, text)
    assert not error and replies, f"no reply to {text!r}: {error}"
    return replies


def read(replies):
    return "\n".join([r.get("text") or "" for r in replies]
                     + [b["title"] for r in replies for b in r.get("buttons") or []])


def press(replies, title_start):
    """The payload of the offered button whose title starts so (as her phone sends it)."""
    for reply in replies:
        for button in reply.get("buttons") or []:
            if button["title"].startswith(title_start):
                return button["payload"]
    raise AssertionError(f"no button {title_start!r} in {read(replies)!r}")
