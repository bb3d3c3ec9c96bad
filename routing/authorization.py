"""Who may do what to a handoff: the one policy behind the console and the API.

Every check of the form "may this person read, claim, answer, move or close this
handoff" calls `permits` (or `require`, which raises `Forbidden`), so a counsellor
refused a legal handoff in the console is refused the same handoff through the API.

A person stands in one relation to a handoff:

- holder      the expert it is assigned to;
- department  an expert of the handoff's department who does not hold it;
- other       an expert of another department;
- supervisor, staff, admin (by role; disabled accounts have no relation at all).

Decisions, and why:

- Experts work on their own department's handoffs. Any of them may claim one (the
  lifecycle then refuses a claim on a handoff a colleague holds, unless it was
  escalated); only the holder replies, notes, returns, resolves, reassigns or escalates.
- Supervisors and admins read and manage every handoff (note, return, resolve,
  reassign, escalate) but do not claim or reply: her answers come from an expert
  whose professional title goes with the reply, and a supervisor who wants to answer
  reassigns the handoff to an expert. The console never offered them these buttons.
- Staff audit: they read handoffs and transcripts, masked, and change nothing.
- Personal data (phone, ID and card numbers, addresses, WeChat ids) is shown to
  admins and to the expert holding the handoff; everyone else reads it masked
  (routing/masking.py applies this rule).
"""
from __future__ import annotations

from typing import Optional

from routing.models import Handoff, User

ACTIONS = ("read", "status", "transcript", "claim", "reply", "note", "return", "resolve", "reassign", "escalate")
RELATIONS = ("holder", "department", "other", "supervisor", "staff", "admin")
MANAGERS = ("supervisor", "admin")

_READERS = frozenset({"holder", "department", "supervisor", "staff", "admin"})
_MANAGING = frozenset({"holder", "supervisor", "admin"})
RULES = {
    "read": _READERS,  # the handoff page and its detail, her words masked unless below
    "status": _READERS,  # that it exists and where it stands: lists, the queue, live updates
    "transcript": _READERS,  # her whole conversation around the handoff
    "claim": frozenset({"holder", "department"}),
    "reply": frozenset({"holder"}),
    "note": _MANAGING,
    "return": _MANAGING,
    "resolve": _MANAGING,
    "reassign": _MANAGING,
    "escalate": _MANAGING,
}
PERSONAL_DATA = frozenset({"holder", "admin"})

# Shown to the person (the console prints its own Chinese text for each refusal).
REFUSALS = {"read": "this handoff belongs to another department", "claim": "only experts of its department can claim it",
            "reply": "only the expert holding the handoff can reply"}


class Forbidden(Exception):
    """The actor may not do this to this handoff (HTTP 403)."""


def relation(user: Optional[User], handoff: Handoff) -> Optional[str]:
    """How `user` stands to `handoff`, or None (no user, disabled, unknown role)."""
    if user is None or getattr(user, "disabled", False):
        return None
    if user.role == "expert":
        if handoff.assignee_id is not None and handoff.assignee_id == user.id:
            return "holder"
        if handoff.department_id is not None and handoff.department_id == user.department_id:
            return "department"
        return "other"
    return user.role if user.role in RELATIONS else None


def permits(user: Optional[User], action: str, handoff: Handoff) -> bool:
    if action not in RULES:
        raise ValueError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    return relation(user, handoff) in RULES[action]


def require(user: Optional[User], action: str, handoff: Handoff) -> None:
    if not permits(user, action, handoff):
        raise Forbidden(REFUSALS.get(action, f"only the expert holding the handoff or a supervisor can {action} it"))


def may_hand_to(user: User, handoff: Handoff, expert: User) -> bool:
    """Reassigning: to an active expert; an expert hands over within her department only."""
    if expert.role != "expert" or getattr(expert, "disabled", False):
        return False
    return user.role in MANAGERS or expert.department_id == handoff.department_id


def may_see_personal_data(user: Optional[User], handoff: Optional[Handoff] = None) -> bool:
    """Admins, and the expert holding her handoff, read what she wrote; everyone else reads it masked.
    Without a handoff (reviewing any conversation) only admins do."""
    if handoff is None:
        return user is not None and user.role == "admin" and not getattr(user, "disabled", False)
    return relation(user, handoff) in PERSONAL_DATA
