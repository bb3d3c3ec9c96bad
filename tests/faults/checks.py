"""The four guarantees of issue #16 under faults, each as figures and the problems behind them.

Pure functions over what the run recorded (load.py, expert.py) and what the databases hold
(stores.py): no I/O, so each rule is tested on fakes.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from tests.faults.expert import NOT_STORED, SentReply
from tests.faults.load import EMPTY, REPLIED, UNFINISHED, ConversationRecord
from tests.faults.stores import ArchivedRow, StoredHandoff, StoredReply, TrackerEvent

EXPERT_MESSAGE_ID = "expert_message_id"  # the reply's id on the bot message (actions/relay.py)
MAX_PROBLEMS = 20  # per guarantee in the report: the first ones tell the story

ArchiveKey = Tuple[str, str, object, Optional[str], Optional[str], Optional[str]]


@dataclass
class Finding:
    guarantee: str
    figures: Dict[str, int]
    failures: Sequence[str] = ()  # the figures that must be 0
    problems: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)  # worth knowing, not a broken guarantee

    @property
    def passed(self) -> bool:
        return all(self.figures.get(name, 0) == 0 for name in self.failures)

    def problem(self, line: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(line)


def messages(conversations: Iterable[ConversationRecord], events: Sequence[TrackerEvent] = ()) -> Finding:
    """Every message she sent got a reply, possibly after retries of retryable errors."""
    records = [m for c in conversations for m in c.messages]
    user_texts = Counter((e.conversation_id, e.body.get("text")) for e in events if e.kind == "user")
    finding = Finding("messages", {
        "sent": len(records),
        "replied": sum(m.outcome == REPLIED for m in records),
        "replied_after_retry": sum(m.outcome == REPLIED and m.retried for m in records),
        "retries": sum(len(m.retried_because) for m in records),
        "client_timeouts": sum("timed out" in reason.lower() for m in records
                               for reason in m.retried_because + [m.final_error]),
        "empty_replies": sum(m.outcome == EMPTY for m in records),
        "unfinished": sum(m.outcome == UNFINISHED for m in records),
        "lost": sum(m.outcome != REPLIED for m in records),
        "processed_twice": sum(user_texts[(m.conversation_id, m.text)] > 1 for m in records),
    }, failures=("lost",))
    for m in records:
        if m.outcome != REPLIED:
            seen = user_texts[(m.conversation_id, m.text)]
            finding.problem(f"{m.conversation_id} turn {m.turn} 「{m.text}」: {m.outcome} after {m.attempts} "
                            f"attempt(s), {m.final_error or 'no error'}; the tracker holds it {seen} time(s)")
    if finding.figures["processed_twice"]:
        finding.notes.append("a retried message that Rasa had already taken is in her conversation twice "
                             "(allowed: the client could not know; what matters is that no handoff doubled)")
    return finding


def handoffs(conversations: Iterable[ConversationRecord], stored: Sequence[StoredHandoff]) -> Finding:
    """Every handoff she asked for exists, exactly once."""
    by_conversation: Dict[str, List[StoredHandoff]] = defaultdict(list)
    for handoff in stored:
        by_conversation[handoff.conversation_id].append(handoff)
    conversations = list(conversations)
    requested = [c for c in conversations if c.sent_request]  # at most one handoff each
    asked = [c for c in requested if c.asked_for_person]  # she was answered: exactly one
    requested_ids = {c.conversation_id for c in requested}
    finding = Finding("handoffs", {
        "asked": len(asked),
        "found_once": sum(len(by_conversation[c.conversation_id]) == 1 for c in asked),
        "missing": sum(not by_conversation[c.conversation_id] for c in asked),
        "doubled": sum(max(0, len(by_conversation[c.conversation_id]) - 1) for c in requested),
        "request_unanswered": len(requested) - len(asked),
        "request_unanswered_opened": sum(bool(by_conversation[c.conversation_id]) for c in requested
                                         if not c.asked_for_person),
        "not_asked": sum(len(h) for cid, h in by_conversation.items() if cid not in requested_ids),
    }, failures=("missing", "doubled"))
    for c in requested:
        found = by_conversation[c.conversation_id]
        if len(found) > 1 or (c.asked_for_person and not found):
            told = next((m.reply_text() for m in c.messages if m.turn == c.script.asks_for_person), "")
            finding.problem(f"{c.conversation_id} ({c.script.id}): {len(found)} handoffs "
                            f"{[h.id + ' ' + h.status for h in found]}; she was told 「{told[:80]}」")
    if finding.figures["request_unanswered_opened"]:
        finding.notes.append(f"{finding.figures['request_unanswered_opened']} request(s) for a person got no answer "
                             "(counted under messages) and still opened a handoff: the action ran to its end after "
                             "Rasa gave up the turn")
    for cid, found in by_conversation.items():
        if cid not in requested_ids:
            finding.notes.append(f"{cid}: handoff {[h.id for h in found]} in a conversation that did not ask for one")
    return finding


def _deliveries(reply: StoredReply, bot_events: Sequence[TrackerEvent]) -> List[int]:
    """Positions of the bot messages that carry this reply: by its id on the message, else by its words."""
    found = []
    for event in bot_events:
        body = event.body
        carried = (body.get("metadata") or {}).get(EXPERT_MESSAGE_ID)
        if carried is not None:
            if str(carried) == str(reply.id):
                found.append(event.position)
        elif reply.text and reply.text in str(body.get("text") or ""):
            found.append(event.position)
    return found


def expert_replies(sent: Sequence[SentReply], stored: Sequence[StoredReply],
                   events: Sequence[TrackerEvent], handoffs: Sequence[StoredHandoff] = ()) -> Finding:
    """Every expert reply reached her exactly once and in order (the bot messages of her conversation)."""
    bots: Dict[str, List[TrackerEvent]] = defaultdict(list)
    for event in events:
        if event.kind == "bot":
            bots[event.conversation_id].append(event)
    stored_texts = Counter((r.handoff_id, r.text) for r in stored)
    first: Dict[int, int] = {}
    counts: Dict[int, int] = {}
    for reply in stored:
        positions = _deliveries(reply, bots[reply.conversation_id])
        counts[reply.id] = len(positions)
        if positions:
            first[reply.id] = positions[0]
    late = _out_of_order(stored, first)
    finding = Finding("expert_replies", {
        "typed": len(sent),
        "not_stored": sum(s.outcome == NOT_STORED for s in sent),
        "stored": len(stored),
        "stored_twice": sum(n - 1 for n in stored_texts.values() if n > 1),
        "delivered_once": sum(n == 1 for n in counts.values()),
        "lost": sum(n == 0 for n in counts.values()),
        "doubled": sum(max(0, n - 1) for n in counts.values()),
        "out_of_order": len(late),
        "still_pending": sum(r.delivery == "pending" for r in stored),  # the relay never saw Rasa take it
    }, failures=("not_stored", "stored_twice", "lost", "doubled", "out_of_order"))
    for s in sent:
        if s.outcome == NOT_STORED:
            finding.problem(f"{s.conversation_id}: reply {s.number}/{s.of} of {s.expert} never stored after "
                            f"{s.attempts} attempt(s): {s.error}")
    for (handoff_id, text), n in stored_texts.items():
        if n > 1:
            finding.problem(f"handoff {handoff_id}: 「{text[:30]}」 stored {n} times")
    for reply in stored:
        if counts[reply.id] != 1:
            finding.problem(f"{reply.conversation_id}: reply #{reply.id} 「{reply.text[:30]}」 reached her "
                            f"{counts[reply.id]} time(s) (delivery state {reply.delivery})")
    for reply in late:
        finding.problem(f"{reply.conversation_id}: reply #{reply.id} reached her before an earlier reply")
    answered = {r.handoff_id for r in stored}
    for handoff in handoffs:
        if handoff.id not in answered:
            finding.notes.append(f"handoff {handoff.id} ({handoff.conversation_id}, {handoff.status}) got no expert "
                                 "reply: no simulated expert took it in time, so it tests no delivery")
    return finding


def _out_of_order(stored: Sequence[StoredReply], first: Mapping[int, int]) -> List[StoredReply]:
    """Replies that reached her before a reply written earlier in the same conversation."""
    late: List[StoredReply] = []
    by_conversation: Dict[str, List[StoredReply]] = defaultdict(list)
    for reply in stored:
        by_conversation[reply.conversation_id].append(reply)
    for replies in by_conversation.values():
        replies.sort(key=lambda r: r.id)
        for index, reply in enumerate(replies):
            if reply.id in first and any(r.id in first and first[r.id] > first[reply.id] for r in replies[:index]):
                late.append(reply)
    return late


def archive_key_of_routing(event: TrackerEvent) -> Optional[ArchiveKey]:
    """The archive row the routing backend makes of this event (routing/archive/events.py owns the
    rule: which events staff read and how), as a comparable key; None for events it does not keep."""
    from routing.archive.events import MalformedEvent, archived_event
    from routing.archive.sources import BrokerRow

    try:
        row = archived_event("faults-check", BrokerRow(event.position, event.conversation_id, event.data))
    except MalformedEvent:
        return None
    return None if row is None else (row.conversation_id, row.event_type, row.at, row.text, row.slot, row.value)


def archive_key(row: ArchivedRow) -> ArchiveKey:
    return row.conversation_id, row.event_type, row.at, row.text, row.slot, row.value


def archive(events: Sequence[TrackerEvent], archived: Sequence[ArchivedRow],
            key_of: Callable[[TrackerEvent], Optional[ArchiveKey]] = archive_key_of_routing) -> Finding:
    """The archive caught up: every tracker event the archive keeps is there, once."""
    expected = Counter(k for k in map(key_of, events) if k is not None)
    found = Counter(map(archive_key, archived))
    missing = {k: n - found[k] for k, n in expected.items() if n > found[k]}
    doubled = {k: found[k] - n for k, n in expected.items() if found[k] > n}
    extra = {k: n for k, n in found.items() if k not in expected}
    finding = Finding("archive", {
        "tracker_events": len(events),
        "archivable": sum(expected.values()),
        "archived": sum(found.values()),
        "missing": sum(missing.values()),
        "doubled": sum(doubled.values()),
        "not_in_tracker": sum(extra.values()),
    }, failures=("missing", "doubled"))
    for label, keys in (("missing", missing), ("doubled", doubled)):
        for (cid, kind, at, text_, slot, _), n in keys.items():
            finding.problem(f"{label}: {cid} {kind} at {at} 「{(text_ or slot or '')[:40]}」 ×{n}")
    if missing:
        times = sorted(str(key[2]) for key in missing)
        finding.notes.append(f"the missing events were written between {times[0]} and {times[-1]}, in "
                             f"{len({key[0] for key in missing})} conversation(s)")
    if extra:
        finding.notes.append(f"{sum(extra.values())} archived event(s) are not in the tracker store: published "
                             "by a Rasa server that died before it stored them (she retried, so her conversation "
                             "has them again under a later time)")
    return finding
