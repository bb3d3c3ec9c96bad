"""Stands in for Rasa's trigger_intent endpoint in the routing tests."""
from routing.relay import RasaRelay


class FakeRelay:
    """Records what would reach her channel; can be switched off to keep replies pending."""

    def __init__(self):
        self.up, self.sent = True, []

    def deliver(self, message, handoff, author):
        if self.up:
            self.sent.append((handoff.conversation_id, message.sender, message.text))
        return self.up

    def deliver_pending(self, session):
        return RasaRelay.deliver_pending(self, session)
