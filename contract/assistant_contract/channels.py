"""The channels her messages come through, by the name Rasa gives each (the input
channel on her messages, the `channel` of a handoff), with the title staff read."""
from __future__ import annotations

CHANNEL_TITLES = {"rest": "网页", "callback": "回调", "telegram": "Telegram", "wechat": "微信",
                  "socketio": "网页聊天"}


def channel_title(channel: str) -> str:
    """The title for a known channel; an unknown one is shown by its name."""
    return CHANNEL_TITLES.get(channel, channel)
