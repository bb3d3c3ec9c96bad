import itertools
import json
import threading

from tests.faults import checks
from tests.faults.conversations import Script
from tests.faults.faults import KILL, STOP, Fault
from tests.faults.scenario import ExpertAccount, Scenario, ScenarioSettings, run_tag, scripts_with_handoffs_first
from tests.faults.stores import ArchivedRow, StoredHandoff, StoredReply, TrackerEvent
from tests.faults.web_client import Answer

ASKING = Script("lawyer", ("我要找律师！前夫一年没给抚养费了", "孩子六岁 跟我住"), asks_for_person=0)
CALM = Script("loan", ("想开个奶茶店 怎么申请贴息贷款", "要担保人吗"))
FRONT = "http://proxy"
QUICK = ScenarioSettings(women=3, max_conversations=2, think_seconds=0, faults_limit=5, settle_seconds=0.05,
                         join_seconds=5, experts_finish_seconds=5, expert_gap_seconds=0, expert_poll_seconds=0.02,
                         quiet_limit=2, stable_seconds=0.5, poll_seconds=0.02)
PLAN = (Fault("rasa-1", KILL, 0.01, 0), Fault("archive", STOP, 0.02, 0.01))


class World:
    """The assistant, the routing API and their databases, in memory: handoffs open on the asking turn,
    expert replies are delivered at once as bot messages."""

    def __init__(self, handoffs_per_request=1):
        self.lock = threading.Lock()
        self.events, self.handoffs, self.replies = [], {}, []
        self.positions, self.ids = itertools.count(1), itertools.count(1)
        self.handoffs_per_request = handoffs_per_request
        self.calls = []

    def _event(self, cid, kind, **body):
        position = next(self.positions)
        self.events.append(TrackerEvent(cid, position, kind, json.dumps(
            {"event": kind, "timestamp": 1764504000.0 + position, **body}, ensure_ascii=False)))

    def __call__(self, method, url, body=None, token=None, timeout=60):
        with self.lock:
            return self._answer(method, url.removeprefix(FRONT), body)

    def _answer(self, method, path, body):
        if path == "/webhooks/rest/webhook":
            cid, text = body["sender"], body["message"]
            self._event(cid, "user", text=text)
            reply = "好的，我来帮你。"
            if "律师" in text and not any(h["conversation_id"] == cid for h in self.handoffs.values()):
                for _ in range(self.handoffs_per_request):
                    hid = f"H-{next(self.ids)}"
                    self.handoffs[hid] = {"id": hid, "conversation_id": cid, "status": "received"}
                reply = f"已为你登记转接律师，编号{hid}。"
            self._event(cid, "bot", text=reply)
            return Answer(200, [{"recipient_id": cid, "text": reply}])
        path = path.removeprefix("/api/v1")
        if path == "/auth/token":
            return Answer(200, {"access_token": "t"})
        if path.startswith("/handoffs?"):
            return Answer(200, list(self.handoffs.values()))
        hid, verb = path.split("/")[2], (path.split("/") + [""])[3]
        handoff = self.handoffs[hid]
        if verb == "claim":
            handoff["status"] = "in_progress"
        elif verb == "reply":
            handoff["status"] = "replied"
            mid = next(self.ids)
            self.replies.append(StoredReply(mid, hid, handoff["conversation_id"], body["text"], "delivered"))
            self._event(handoff["conversation_id"], "bot", text=f"【律师回复】\n{body['text']}",
                        metadata={"expert_message_id": mid})
        return Answer(200, {**handoff, "messages": [{"sender": "expert", "text": r.text}
                                                    for r in self.replies if r.handoff_id == hid]})

    # --- the Stores interface ---------------------------------------------------------------
    def tracker_events(self, tag):
        return [e for e in self.events if e.conversation_id.startswith(tag + "-")]

    def handoffs_of(self, tag):
        return [StoredHandoff(h["id"], h["conversation_id"], h["status"], False, None) for h in self.handoffs.values()
                if h["conversation_id"].startswith(tag + "-")]

    def expert_replies(self, tag):
        return list(self.replies)

    def archived(self, tag):
        keys = [checks.archive_key_of_routing(e) for e in self.tracker_events(tag)]
        return [ArchivedRow(*k) for k in keys if k is not None]


class Stores:
    def __init__(self, world):
        self.world = world
        self.tracker_events, self.expert_replies, self.archived = world.tracker_events, world.expert_replies, \
            world.archived
        self.handoffs = world.handoffs_of


class Deployment:
    def __init__(self):
        self.calls = []

    def kill(self, name):
        self.calls.append(("kill", name))

    def stop_process(self, name):
        self.calls.append(("stop", name))

    def restart(self, name, timeout=120):
        self.calls.append(("restart", name))

    def is_alive(self, name):
        return True


def scenario(world, deployment):
    accounts = [ExpertAccount("lawyer", "pw", ("请把转账记录整理好。", "可以申请强制执行。"))]
    return Scenario(deployment, Stores(world), FRONT, accounts, [ASKING, CALM], "run", QUICK, PLAN, world)


def test_a_run_where_nothing_breaks_passes_with_every_figure_and_every_fault_made():
    world, deployment = World(), Deployment()
    outcome = scenario(world, deployment).run()
    assert outcome.passed, [f.problems for f in outcome.findings]
    head = outcome.headline()
    assert head["messages"] == 3 * 2 * 2 and head["handoffs"] == 3 and head["lost"] == head["doubled"] == 0
    assert head["replies"] == len(world.replies) >= 3 * 2
    assert ("kill", "rasa-1") in deployment.calls and ("stop", "archive") in deployment.calls
    assert all(record.recovered for record in outcome.faults)
    assert list(outcome.seconds) == ["warm_up", "load_and_faults", "last_replies", "experts_finish", "catch_up"]
    assert outcome.settings["warm_up"].startswith("4/4 answered")
    assert outcome.settings["women_still_talking_when_the_faults_ended"] == "0/3"  # 2 short conversations each


def test_a_doubled_handoff_fails_the_run():
    outcome = scenario(World(handoffs_per_request=2), Deployment()).run()
    assert not outcome.passed and outcome.headline()["doubled"] >= 3
    handoffs = next(f for f in outcome.findings if f.guarantee == "handoffs")
    assert not handoffs.passed and handoffs.figures["doubled"] == 3


def test_scripts_alternate_asking_and_calm_ones_and_run_tags_differ_from_wildcards():
    other = Script("phone", ("儿子天天刷抖音",))
    assert [s.id for s in scripts_with_handoffs_first([CALM, other, ASKING])] == ["lawyer", "loan", "phone"]
    tag = run_tag()
    assert tag.startswith("faults-") and not any(c in tag for c in "%_\\")
