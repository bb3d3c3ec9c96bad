"""The Telegram channel: `TelegramInput` in credentials.yml; `python -m connectors.telegram.polling` on a laptop.

channel.py (routes, secret check, dedupe, what each update does) builds on
updates.py (reading an update), output.py and render.py (the assistant's replies as
Telegram messages), sender.py (every Bot API call, retried, then recorded),
safe_exit.py, store.py (the channel's SQLite file), texts.py (what the channel itself
says) and settings.py. polling.py is the runner that feeds getUpdates to the webhook.
"""
from connectors.telegram.channel import TelegramInput

__all__ = ["TelegramInput"]
