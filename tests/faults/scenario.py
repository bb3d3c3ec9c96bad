"""One run of `make test-faults`, against a running deployment: the women's load and the
experts start, the faults follow one another, the load stops, the experts finish their
replies, the stores are given time to settle, and the four guarantees are checked.

Every phase is bounded in time and every loop in count; the run's conversation ids start
with its own tag, so the checks read only this run's rows.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Callable, Dict, List, Sequence

from tests.faults import checks
from tests.faults.conversations import Script
from tests.faults.expert import SimulatedExpert
from tests.faults.faults import PLAN, Deployment, Fault, FaultRunner
from tests.faults.load import REPLIED, ConversationRecord, Load, SimulatedWoman, warm_up
from tests.faults.report import Outcome
from tests.faults.stores import Stores
from tests.faults.web_client import Transport, call

OBSERVED = (
    "Messages: the simulated women's own record of every POST /webhooks/rest/webhook through the proxy "
    "(a reply, or a retryable error — connection refused or reset, timeout, 502/503/504 — sent again with "
    "backoff), and her user events in Rasa's tracker store (PostgreSQL, table `events`) to say how often "
    "Rasa took each message. Handoffs: the routing database's `handoffs` rows of each conversation in which "
    "she sent the turn asking for a person and got an answer. Expert replies: the experts typed them through "
    "the routing API (POST /api/v1/handoffs/{id}/reply, looked up before any retry); what reached her is the "
    "bot messages of her conversation in Rasa's tracker store — the REST channel cannot push, so the relay's "
    "trigger_intent (output_channel=latest) hands each reply to Rasa's collecting output channel and records "
    "it as a bot event carrying `expert_message_id` (actions/relay.py): what Rasa hands to any channel is "
    "recorded there the same way. Archive: each tracker event turned into the archive row routing/archive/events.py makes of it, "
    "compared as a multiset with the routing database's `archived_events` rows of the run.")


@dataclass(frozen=True)
class ExpertAccount:
    username: str
    password: str
    texts: Sequence[str]  # her replies' words; each reply is numbered


@dataclass(frozen=True)
class ScenarioSettings:
    women: int = 12
    max_conversations: int = 8  # per woman
    think_seconds: float = 0.5
    faults_limit: float = 200.0  # every fault made and every restart ended within
    settle_seconds: float = 8.0  # load after the last restart, with every process back
    join_seconds: float = 70.0  # for the messages in flight when the load stops
    experts_finish_seconds: float = 45.0
    expert_gap_seconds: float = 6.0
    expert_poll_seconds: float = 2.0
    quiet_limit: float = 60.0  # for the relay and the archive to catch up
    stable_seconds: float = 15.0  # nothing changed that long: stop waiting
    poll_seconds: float = 3.0


def _evaluate(stores: Stores, run_tag: str, conversations: Dict[str, ConversationRecord],
              experts: Sequence[SimulatedExpert]) -> List[checks.Finding]:
    events, handoffs = stores.tracker_events(run_tag), stores.handoffs(run_tag)
    sent = [s for expert in experts for s in expert.sent]
    return [checks.messages(conversations.values(), events),
            checks.handoffs(conversations.values(), handoffs),
            checks.expert_replies(sent, stores.expert_replies(run_tag), events, handoffs),
            checks.archive(events, stores.archived(run_tag))]


def _signature(findings: Sequence[checks.Finding]) -> tuple:
    return tuple(tuple(sorted(f.figures.items())) for f in findings)


class Scenario:
    def __init__(self, deployment: Deployment, stores: Stores, front_url: str, accounts: Sequence[ExpertAccount],
                 scripts: Sequence[Script], run_tag: str, settings: ScenarioSettings = ScenarioSettings(),
                 plan: Sequence[Fault] = PLAN, transport: Transport = call,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.deployment, self.stores, self.front_url = deployment, stores, front_url
        self.accounts, self.scripts, self.run_tag = list(accounts), list(scripts), run_tag
        self.settings, self.plan, self.transport = settings, list(plan), transport
        self.clock, self.sleep = clock, sleep
        self.seconds: Dict[str, float] = {}
        self.extra_settings: Dict[str, object] = {}  # what the caller set up, for the report

    def _phase(self, name: str, since: float) -> float:
        now = self.clock()
        self.seconds[name] = round(now - since, 1)
        return now

    def run(self) -> Outcome:
        s = self.settings
        started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        load_average = [round(os.getloadavg()[0], 1)]
        stop_load, stop_experts = threading.Event(), threading.Event()
        women = [SimulatedWoman(i, self.scripts, self.front_url, self.run_tag, self.transport, stop_load,
                                max_conversations=s.max_conversations, think_seconds=s.think_seconds)
                 for i in range(s.women)]
        experts = [SimulatedExpert(a.username, a.password, a.texts, self.front_url, self.run_tag, self.transport,
                                   stop_experts, gap_seconds=s.expert_gap_seconds, poll_seconds=s.expert_poll_seconds)
                   for a in self.accounts]
        expert_threads = [threading.Thread(target=e.run, name=f"expert-{e.username}", daemon=True) for e in experts]
        mark = self.clock()
        warmed = warm_up(self.transport, self.front_url, self.run_tag)
        mark = self._phase("warm_up", mark)
        load = Load(women).start()
        for thread in expert_threads:
            thread.start()
        faults = FaultRunner(self.deployment, self.plan).start()
        recovered = faults.wait(s.faults_limit)
        faults.halt()
        if not recovered:
            faults.wait(30)  # a restart that was still waiting for its pause happens now
        stop_load.wait(s.settle_seconds)
        still_talking = load.running  # fewer than all: some ran out of conversations before the faults ended
        stop_load.set()
        mark = self._phase("load_and_faults", mark)
        conversations = load.finish(s.join_seconds)
        mark = self._phase("last_replies", mark)
        self._let_experts_finish(experts, s.experts_finish_seconds)
        stop_experts.set()
        for thread in expert_threads:
            thread.join(30)
        mark = self._phase("experts_finish", mark)
        findings = self._quiesce(conversations, experts)
        self._phase("catch_up", mark)
        load_average.append(round(os.getloadavg()[0], 1))
        settings = {**asdict(s), "plan": [f"{f.process} {f.how} at {f.at} s, down {f.down_for} s" for f in self.plan],
                    "run_tag": self.run_tag, "experts": [e.username for e in experts],
                    "women_still_talking_when_the_faults_ended": f"{still_talking}/{len(women)}",
                    "warm_up": f"{sum(r.outcome == REPLIED for r in warmed)}/{len(warmed)} answered, slowest "
                               f"{max((r.seconds for r in warmed), default=0):.1f} s",
                    "expert_problems": [p for e in experts for p in e.problems][:10], **self.extra_settings}
        return Outcome(started, self.seconds, settings, faults.records, findings, load_average, OBSERVED)

    def _let_experts_finish(self, experts: Sequence[SimulatedExpert], seconds: float) -> None:
        """Until every handoff of the run in the database has all its replies, or the time is up."""
        deadline = self.clock() + seconds
        while self.clock() < deadline:
            handled = {hid for e in experts for hid, h in e.handling.items() if h.done}
            waiting = [h for h in self.stores.handoffs(self.run_tag) if h.id not in handled]
            if not waiting:
                return
            self.sleep(self.settings.poll_seconds)

    def _quiesce(self, conversations: Dict[str, ConversationRecord],
                 experts: Sequence[SimulatedExpert]) -> List[checks.Finding]:
        """Checks again until they pass, nothing moved for `stable_seconds`, or `quiet_limit` is up."""
        s = self.settings
        deadline = self.clock() + s.quiet_limit
        findings = _evaluate(self.stores, self.run_tag, conversations, experts)
        last, unchanged_since = _signature(findings), self.clock()
        while not all(f.passed for f in findings) and self.clock() < deadline \
                and self.clock() - unchanged_since < s.stable_seconds:
            self.sleep(s.poll_seconds)
            findings = _evaluate(self.stores, self.run_tag, conversations, experts)
            if _signature(findings) != last:
                last, unchanged_since = _signature(findings), self.clock()
        return findings


def run_tag(prefix: str = "faults") -> str:
    """A tag no earlier run used: conversation ids, and so every row the checks read, start with it."""
    return f"{prefix}-{datetime.now(timezone.utc):%m%d%H%M%S}-{os.getpid() % 1000:03d}"


def scripts_with_handoffs_first(scripts: Sequence[Script]) -> List[Script]:
    """Alternate scripts that ask for a person with the others, so every woman meets both early."""
    asking = [s for s in scripts if s.wants_person]
    others = [s for s in scripts if not s.wants_person]
    mixed: List[Script] = []
    for index in range(max(len(asking), len(others))):
        mixed += ([asking[index]] if index < len(asking) else []) + ([others[index]] if index < len(others) else [])
    return mixed

