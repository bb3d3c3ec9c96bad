"""Expert replies reach her on her own channel, through Rasa.

A reply is stored as `pending`; delivery posts it to Rasa's
`/conversations/{id}/trigger_intent?output_channel=latest`, which runs the
assistant's relay action on the conversation's latest channel. Failed
deliveries stay pending (the expert sees that) and are retried by the loop.
The id is escaped as one path segment, so a reply never reaches another conversation.

What happened next is the channel's to say (one owner per rule): Rasa taking the
reply only makes it `delivered` (handed to her channel); the channel that holds her chat reports the platform's
answer (`POST /api/v1/handoffs/messages/{id}/delivery`, `record_delivery`):
`accepted`, `refused` with the platform's reason, or `waiting` for her to come back
(page closed, safe exit, refused and kept for her next message). A report may come
before the relay's own update, so the relay only moves a reply that is still pending.

Several replicas (issue #16). Every delivery round (each backend's background loop, and the round
an expert's reply or the console starts at once) follows one protocol in the database:

1. claim, in a short transaction of its own: the oldest pending reply of a conversation none of
   whose earlier replies is still pending, urgent handoffs' first, locked with
   `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (a round on another replica skips it and
   takes another conversation); the claim is written on the reply (`delivery_owner`: this round,
   `delivery_until`: now + `claim_seconds` by the database's clock, `delivery_attempts` + 1) and
   committed. The reply stays `pending`, which is what the expert sees (待送达).
2. send it to Rasa outside any transaction, with a hard deadline (the relay's `timeout`, connection
   closed when it passes), shorter than the claim.
3. settle, in a second short transaction: `delivered` when Rasa took it, else the claim ends and the
   reply waits for the next round, which also holds back the rest of her conversation; either only
   while the reply is still pending and the claim still this round's.

A later reply of a conversation is never claimed while an earlier one is pending, claimed or not:
her replies go one at a time and in order, while different conversations go out in parallel
from every replica. A claim left by a dead process (kill -9, a lost host) expires after
`claim_seconds` and the next round takes the reply over; no round takes it earlier.

The guarantee: at least once and in order per conversation, with at most one send of a
conversation's replies open at a time, whichever replica makes it. It is exactly once unless a
send ends without an answer. Only two events can make a second copy, each at most one extra
copy per event:
- the process dies (or loses the database for longer than the claim) after Rasa took the reply
  and before `delivered` was committed: another replica sends it again once the claim has
  expired (`claim_seconds`, three times the send deadline by default), never sooner, so the first
  send is over (done, or its connection closed with the process) before the second starts, and
  Rasa's lock store keeps the two in order;
- the send passes its deadline after Rasa took the reply (Rasa answered too late): the next round
  sends it again.
A process paused (not dead) for longer than the claim is the one case without a bound: its send
may resume after another replica's. Rasa does not drop a repeated trigger by itself; the reply's id
travels with it (`expert_message_id`, on the bot message as well), and the relay action does not
show a reply whose id is already on a bot message of her conversation (actions/relay.py), so she
reads each reply once; the notice that the bot takes over again carries no id.

On SQLite (one host) the rounds are also serialised: in the process by a lock and across
processes by a file lock beside the database (SQLite has no SKIP LOCKED); the protocol is the same.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import socket
import threading
import uuid
import weakref
from datetime import datetime, timedelta
from typing import Iterator, Optional, Tuple

import httpx
from sqlalchemy import Engine, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from assistant_contract.conversation_ids import path_segment
from assistant_contract.handoffs import EXPERT_REPLY, HANDOFF_CLOSED
from routing.models import Handoff, HandoffEvent, HandoffMessage, User, utcnow

PENDING = "pending"
SENT, ACCEPTED, REFUSED, WAITING = "delivered", "accepted", "refused", "waiting"  # delivered: Rasa took it
REPORTED_STATES = (ACCEPTED, REFUSED, WAITING)
CHANNEL_ACTOR = "channel"
CLAIM_SECONDS = 30.0  # a relay without its own `claim_seconds` (stand-ins in tests)
ROUND_LIMIT = 500  # replies one round sends at most; the next round goes on

_ROUND_LOCK = threading.Lock()  # SQLite: delivery rounds of this process never overlap


class _Soon:
    """`deliver_soon`'s state for one database: the thread running its rounds holds `running`;
    `wanted` is set when a round was asked for since that thread last began one."""

    def __init__(self) -> None:
        self.running, self.wanted = threading.Lock(), threading.Event()


_SOON: "weakref.WeakKeyDictionary[object, _Soon]" = weakref.WeakKeyDictionary()  # by session factory
_SOON_GUARD = threading.Lock()


def _soon_of(session_factory) -> _Soon:
    with _SOON_GUARD:
        return _SOON.setdefault(session_factory, _Soon())


class RasaRelay:
    """`timeout`: the hard deadline of one send, in seconds; `claim_seconds`: how long a claimed reply is
    left to the round that claimed it (three times the deadline unless given; it must be longer)."""

    def __init__(self, rasa_url: str, token: Optional[str] = None, timeout: float = 10.0,
                 claim_seconds: Optional[float] = None) -> None:
        self._url = rasa_url.rstrip("/")
        self._params = {"output_channel": "latest", **({"token": token} if token else {})}
        self._timeout = timeout
        self.claim_seconds = claim_seconds if claim_seconds is not None else 3 * timeout
        if self.claim_seconds <= timeout:
            raise ValueError("a claim must outlast the send's deadline")

    async def _post(self, url: str, body: dict) -> bool:
        async with httpx.AsyncClient(timeout=self._timeout) as client:
            response = await asyncio.wait_for(client.post(url, params=self._params, json=body), self._timeout)
        return response.status_code == 200

    def _trigger(self, conversation_id: str, intent: str, entities: dict) -> bool:
        url = f"{self._url}/conversations/{path_segment(conversation_id)}/trigger_intent"
        try:
            return _run(self._post(url, {"name": intent, "entities": entities}))
        except (httpx.HTTPError, TimeoutError):
            return False

    def deliver(self, message: HandoffMessage, handoff: Handoff, author: Optional[User]) -> bool:
        if message.sender == "system" and message.text == HANDOFF_CLOSED:
            return self._trigger(handoff.conversation_id, HANDOFF_CLOSED, {})
        role = author.title if author else "工作人员"
        return self._trigger(handoff.conversation_id, EXPERT_REPLY,
                             {"expert_text": message.text, "expert_role": role, "expert_message_id": message.id})

    def deliver_pending(self, session: Session) -> int:
        """One delivery round on the database this session uses, in transactions of its own (`deliver_round`)."""
        return deliver_round(self, sessionmaker(bind=session.get_bind(), expire_on_commit=False))


def _run(coroutine):
    """The send from a worker thread (the scheduler, background tasks); from a thread with a running
    event loop, in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def round_owner() -> str:
    """Names one round: host, process and a random part (a round never settles another's claim)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def database_now(db: Session) -> datetime:
    """PostgreSQL's clock, one for every replica; SQLite's rounds all run on one host."""
    if db.get_bind().dialect.name == "postgresql":
        return db.scalar(select(func.clock_timestamp()))
    return utcnow()


Claimed = Tuple[HandoffMessage, Handoff, Optional[User]]


def claim_next(db: Session, owner: str, claim_seconds: float, held: frozenset = frozenset(),
               up_to: Optional[int] = None) -> Optional[Claimed]:
    """Claims the next reply to send, if any (step 1); the rows come back detached, for the send."""
    now = database_now(db)
    earlier, earlier_handoff = aliased(HandoffMessage), aliased(Handoff)
    earlier_pending = exists().where(earlier.handoff_id == earlier_handoff.id,
                                     earlier_handoff.conversation_id == Handoff.conversation_id,
                                     earlier.delivery == PENDING, earlier.id < HandoffMessage.id)
    query = (select(HandoffMessage, Handoff).join(Handoff, Handoff.id == HandoffMessage.handoff_id)
             .where(HandoffMessage.delivery == PENDING, ~earlier_pending,
                    or_(HandoffMessage.delivery_until.is_(None), HandoffMessage.delivery_until <= now))
             .order_by(Handoff.urgent.desc(), HandoffMessage.id).limit(1)
             .with_for_update(of=HandoffMessage, skip_locked=True))
    if held:
        query = query.where(Handoff.conversation_id.not_in(held))
    if up_to is not None:
        query = query.where(HandoffMessage.id <= up_to)
    row = db.execute(query).first()
    if row is None:
        return None
    message, handoff = row
    db.execute(update(HandoffMessage).where(HandoffMessage.id == message.id)
               .values(delivery_owner=owner, delivery_until=now + timedelta(seconds=claim_seconds),
                       delivery_attempts=HandoffMessage.delivery_attempts + 1)
               .execution_options(synchronize_session=False))
    author = db.get(User, message.author_id) if message.author_id else None
    db.expunge_all()  # what the send reads stays readable after the commit
    return message, handoff, author


def settle(db: Session, message_id: int, owner: str, delivered: bool) -> bool:
    """Step 3: False when the reply is no longer this round's (her channel reported first, or the
    claim expired and another round took it over)."""
    values = {"delivery": SENT, "delivery_until": None} if delivered else {"delivery_until": None}
    result = db.execute(update(HandoffMessage)
                        .where(HandoffMessage.id == message_id, HandoffMessage.delivery == PENDING,
                               HandoffMessage.delivery_owner == owner)
                        .values(**values).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _engine_of(session_factory) -> Engine:
    bind = getattr(session_factory, "kw", {}).get("bind")
    if bind is not None:
        return bind
    with session_factory() as db:
        return db.get_bind()


@contextlib.contextmanager
def _serialised(session_factory) -> Iterator[None]:
    engine = _engine_of(session_factory)
    if engine.dialect.name == "postgresql":
        yield  # the claims coordinate the rounds
        return
    from routing.scheduler import job_lock_path, file_lock  # noqa: PLC0415 - the scheduler imports this module

    path = job_lock_path(engine, "delivery-round")
    with _ROUND_LOCK, (file_lock(path, wait=True) if path else contextlib.nullcontext(True)):
        yield


def deliver_round(relay, session_factory) -> int:
    """One delivery round: claim, send, settle, reply after reply (the module's protocol), until
    nothing is left to claim that was pending when it began; returns how many Rasa took. The reply
    endpoint, the console and every replica's background loop all call this at any time."""
    with _serialised(session_factory):
        owner = round_owner()
        claim_seconds = float(getattr(relay, "claim_seconds", CLAIM_SECONDS))
        with session_factory() as db:
            up_to = db.scalar(select(func.max(HandoffMessage.id)).where(HandoffMessage.delivery == PENDING))
        if up_to is None:
            return 0
        delivered, held = 0, set()
        for _ in range(ROUND_LIMIT):
            with session_factory() as db, db.begin():
                claimed = claim_next(db, owner, claim_seconds, frozenset(held), up_to)
            if claimed is None:
                break
            message, handoff, author = claimed
            sent = False
            try:
                sent = bool(relay.deliver(message, handoff, author))
            finally:  # an unexpected error ends the claim at once, as a failed send does
                with session_factory() as db, db.begin():
                    settle(db, message.id, owner, sent)
            if sent:
                delivered += 1
            else:
                held.add(handoff.conversation_id)  # keep her messages in order: a later one never overtakes
        return delivered


def deliver_soon(relay, session_factory) -> int:
    """A round for a reply just committed (an expert's, the console's), without queueing behind others.

    Every reply asks for a round at once. When this process is already running one for such a
    request, the new request only leaves a note and returns: that round goes once more when it ends,
    so the reply still leaves at once, and no request waits in a worker thread. (Under twenty women,
    thirty background rounds each held a worker thread while waiting for the round before them; the
    requests left could not finish and commit, and the routing backend stood still for minutes.)
    Returns how many replies the rounds it ran delivered; 0 when it left the work to another."""
    soon, delivered = _soon_of(session_factory), 0
    soon.wanted.set()
    while soon.wanted.is_set():
        if not soon.running.acquire(blocking=False):
            return delivered  # the thread holding it sees the note before it lets go
        try:
            while soon.wanted.is_set():
                soon.wanted.clear()
                delivered += deliver_round(relay, session_factory)
        finally:
            soon.running.release()
    return delivered


def record_delivery(session: Session, message_id: int, state: str, detail: str = "") -> bool:
    """The channel's report on an expert reply; a refusal or a wait is also noted in the handoff's
    history with the platform's reason, so the expert knows the reply has not reached her yet.
    The reply's row is locked, so reports and the relay's own update on it queue up."""
    message = session.get(HandoffMessage, message_id, with_for_update=True)
    if message is None or message.sender != "expert" or state not in REPORTED_STATES:
        return False
    before, message.delivery = message.delivery, state
    notes = {REFUSED: f"回复 #{message_id} 被平台拒收（{detail or '原因未知'}），她下次发消息时会补发。",
             WAITING: f"回复 #{message_id} 暂未送达（{detail or '她暂时不在'}），她回来时会送达。",
             ACCEPTED: f"回复 #{message_id} 已补发送达。" if before in (REFUSED, WAITING) else ""}
    if notes[state]:
        handoff = session.get(Handoff, message.handoff_id)
        session.add(HandoffEvent(handoff_id=handoff.id, from_status=None, to_status=handoff.status,
                                 actor=CHANNEL_ACTOR, note=notes[state]))
    return True
