"""The WeChat Official Account (公众号) channel: `WeChatInput` in credentials.yml.

channel.py wires the parts from settings.py: inbound.py (signature, safe-mode
decryption, XML), webhook.py (one message under WeChat's five seconds),
messages.py (what a message means for the assistant), output.py and text.py (the
assistant's replies as WeChat text), sender.py (the customer-service API, retried,
then recorded) and store.py (deliveries, signatures and numbered options seen).
"""
from connectors.wechat.channel import WeChatInput

__all__ = ["WeChatInput"]
