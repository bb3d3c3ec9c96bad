"""Handoff statuses, which of them count as open, and the intents that carry an expert's
words back to her.

Open means a person is (or will be) working on her request: asking for a person again
then points to that request instead of opening a second one with a due time already past.
"""
from __future__ import annotations

from typing import Optional

RECEIVED, ASSIGNED, IN_PROGRESS, REPLIED = "received", "assigned", "in_progress", "replied"
ESCALATED, RESOLVED, RETURNED = "escalated", "resolved", "returned"
STATUSES = (RECEIVED, ASSIGNED, IN_PROGRESS, REPLIED, ESCALATED, RESOLVED, RETURNED)
OPEN_STATUSES = (RECEIVED, ASSIGNED, IN_PROGRESS, REPLIED, ESCALATED)
CLOSED_STATUSES = (RESOLVED, RETURNED)

# Intents the routing backend triggers in her conversation through Rasa's API.
EXPERT_REPLY = "expert_reply"  # entities: expert_text, expert_role
HANDOFF_CLOSED = "handoff_closed"  # also the text of the system message that queues it


def is_open(status: Optional[str]) -> bool:
    return status in OPEN_STATUSES
