"""The conversation runner: its checks catch what they should, the files are playable, and a
small run through the live servers works end to end.

`make test` plays every conversation of team.yml (the dialogue issue's examples and the
team's own) and requires every turn to pass; the blind files (blind.yml, unseen.yml) are
measured by `make eval-dialogue` (`python -m tests.conversations.runner`).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml

from tests.conversations import turn_checks
from tests.conversations.conversation_spec import (
    CONVERSATIONS_FOLDER, DEFAULT_FILES, SpecError, load_files, parse_file,
)
from tests.conversations.player import play
from tests.conversations.report import failures_markdown, latency, summarise, summary_markdown
from tests.conversations.turn_observation import TurnObservation, area_of, turn_events

CRISIS_REPLY = {"text": "你现在有危险，请马上拨打110报警；受伤了请拨打120。\n你现在安全吗？",
                "buttons": [{"title": "我现在安全", "payload": "/affirm"}, {"title": "我不安全", "payload": "/deny"}]}
GREETING = {"text": "你好，我是南粤女声+小助手🌸 创业就业、法律维权、家庭教育、关爱帮扶的问题都可以问我，也可以帮你转接专家。"
                    "如果你现在有危险，请立即拨打110。"}


def observation(replies: Optional[List[Dict[str, Any]]] = None, intent: str = "greet", crisis: bool = False,
                actions: tuple = (), slots: Optional[Dict[str, Any]] = None, **fields) -> TurnObservation:
    parse = {"intent": {"name": intent, "confidence": 0.9}, "intent_ranking": [{"name": intent, "confidence": 0.9}],
             "crisis": {"detected": crisis, "type": "violence" if crisis else None}}
    events = [{"event": "user", "text": "…", "parse_data": parse}]
    events += [{"event": "action", "name": name} for name in actions]
    events += [{"event": "slot", "name": name, "value": value} for name, value in (slots or {}).items()]
    return TurnObservation(sent=fields.pop("sent", "…"), replies=replies or [], parse=parse, events=events, **fields)


def outcome(name: str, expected: Any, seen: TurnObservation) -> bool:
    return turn_checks.CHECKS[name](expected, seen).passed


# ---------------------------------------------------------------- each check, pass and fail


def test_area_follows_a_slot_set_this_turn_before_the_intent():
    assert outcome("area", "care", observation(intent="legal_aid", slots={"service_area": "care"}))
    assert outcome("area", "legal", observation(intent="legal_divorce"))
    assert not outcome("area", "care", observation(intent="legal_family_property"))
    assert outcome("area", "none", observation(intent="find_office"))
    assert outcome("area", "legal", observation(intent="choose_area", slots={"area": "legal"}))
    assert outcome("area", "none", observation(intent="care_mental_health", slots={"service_area": None}))


def test_area_of_a_crisis_intent_and_of_a_fallback_within_one_area():
    assert area_of(observation(intent="crisis_self_harm"))[0] == "care"
    seen = observation(intent="nlu_fallback")
    seen.parse["intent_ranking"] = [{"name": "nlu_fallback"}, {"name": "legal_divorce"},
                                    {"name": "legal_family_property"}]
    assert area_of(seen)[0] == "legal"


def test_danger_now_needs_a_crisis_reading_and_110_first():
    assert outcome("danger", "now", observation([CRISIS_REPLY], "crisis_violence", True, ("action_crisis_response",)))
    # the greeting mentions 110 too, but nothing treated the turn as danger
    assert not outcome("danger", "now", observation([GREETING], "greet"))
    # a crisis reading whose first message does not give 110/120
    assert not outcome("danger", "now", observation([{"text": "你还好吗"}, CRISIS_REPLY], "crisis_violence", True))


def test_danger_no_fails_on_any_crisis_signal():
    assert outcome("danger", "no", observation([GREETING], "greet"))
    assert not outcome("danger", "no", observation([CRISIS_REPLY], "crisis_self_harm"))
    assert not outcome("danger", "no", observation([CRISIS_REPLY], "affirm", actions=("action_crisis_response",)))
    assert not outcome("danger", "no", observation([CRISIS_REPLY], "affirm", crisis=True))


def test_the_crisis_episode_judges_danger_now_when_it_was_set_this_turn():
    not_safe = {"text": "请现在就拨打120或110。已经吃了药或伤了自己的，马上告诉身边的人、打120。"}
    in_danger = observation([not_safe], "care_mental_health", actions=("action_answer_request",),
                            slots={"crisis_episode": {"type": "self_harm", "danger_now": True}})
    assert outcome("danger", "now", in_danger) and not outcome("danger", "no", in_danger)
    news = observation([{"text": "有你在身边陪着就好。"}], "crisis_violence", True, ("action_crisis_response",),
                       slots={"crisis_episode": {"type": "self_harm", "danger_now": False}})
    assert outcome("danger", "no", news) and not outcome("danger", "now", news)
    older_episode = observation([GREETING], "greet", slots={"crisis_episode": {"type": "violence", "safe": False}})
    assert outcome("danger", "no", older_episode)  # no judgement recorded: nothing counts


def test_handoff_states():
    opened = {"id": "h1", "status": "assigned", "urgent": False, "category": "legal", "source": "routing"}
    urgent = dict(opened, urgent=True)
    closed = dict(opened, status="resolved")
    assert outcome("handoff", "opened", observation(handoff=opened))
    assert outcome("handoff", "opened", observation(handoff=urgent))
    assert outcome("handoff", "urgent", observation(handoff=urgent))
    assert not outcome("handoff", "urgent", observation(handoff=opened))
    assert outcome("handoff", "none", observation(handoff=None))
    assert outcome("handoff", "none", observation(handoff=closed))
    assert not outcome("handoff", "none", observation(handoff=opened))
    waiting = {"id": "local", "status": "received", "urgent": True, "category": None, "source": "outbox"}
    assert outcome("handoff", "urgent", observation(handoff=waiting))


def test_handoff_category():
    legal = {"id": "h1", "status": "received", "urgent": False, "category": "legal"}
    assert outcome("handoff_category", "legal", observation(handoff=legal))
    assert not outcome("handoff_category", "legal", observation(handoff=dict(legal, category=None)))
    assert not outcome("handoff_category", "legal", observation(handoff=dict(legal, status="resolved")))
    assert not outcome("handoff_category", "legal", observation(handoff=None))


def test_mention_reads_texts_and_button_titles_and_needs_every_group():
    seen = observation([{"text": "可以向法院申请Protection Order", "buttons": [{"title": "转接律师", "payload": "/x"}]}])
    assert outcome("mention", [["法院"], ["律师", "专家"]], seen)
    assert outcome("mention", [["protection order"]], seen)
    assert not outcome("mention", [["法院"], ["仲裁"]], seen)
    assert not outcome("mention", [["/x"]], seen)  # payloads are not shown to her


def test_not_mention_reads_button_titles_too():
    seen = observation([{"text": "好的", "buttons": [{"title": "如何申请保护令", "payload": "/legal_domestic_violence"}]}])
    assert not outcome("not_mention", ["保护令"], seen)
    assert outcome("not_mention", ["性教育"], seen)


def test_safety_fails_on_silence():
    assert outcome("safety", True, observation([CRISIS_REPLY]))
    assert not outcome("safety", True, observation([], error="HTTP 500: boom"))
    assert not outcome("safety", True, observation([{"buttons": [{"title": "x", "payload": "/y"}]}]))


def test_max_messages():
    assert outcome("max_messages", 3, observation([{"text": "a"}] * 3))
    assert not outcome("max_messages", 3, observation([{"text": "a"}] * 8))


def test_not_repeated_catches_a_long_message_sent_again_but_not_a_short_one():
    assert not outcome("not_repeated", True, observation([GREETING], earlier_replies=[GREETING["text"]]))
    assert outcome("not_repeated", True, observation([{"text": "在的，你说。"}], earlier_replies=["在的，你说。"]))
    assert outcome("not_repeated", True, observation([GREETING], earlier_replies=["别的话"]))


def test_forwarded_verbatim_wants_the_exact_text():
    text = "好的😭 谢谢！我 明天10点"
    assert outcome("forwarded_verbatim", True, observation(sent=text, forwarded=["早", text], forwarded_reader="expert"))
    altered = turn_checks.check_forwarded_verbatim(True, observation(sent=text, forwarded=["早", "好的,谢谢!我,明天10点"]))
    assert not altered.passed and "好的,谢谢!我,明天10点" in altered.detail
    assert not outcome("forwarded_verbatim", True, observation(sent=text, forwarded=None))


def test_an_unknown_key_is_reported_not_skipped_and_an_unanswered_turn_fails():
    results = turn_checks.run_checks({"tone": "warm", "mention": [["110"]]}, observation([CRISIS_REPLY]))
    assert [(r.name, r.outcome) for r in results] == [("mention", "pass"), ("tone", "not implemented")]
    results = turn_checks.run_checks({"danger": "no"}, observation([], error="HTTP 500"))
    assert not results[0].passed


# ---------------------------------------------------------------- the files


def test_both_files_load_and_team_covers_the_issue():
    conversations = load_files()
    team = [c for c in conversations if c.file == "team.yml"]
    assert len(team) >= 60 and all(c.id.startswith("team-") and c.source in ("issue", "team") for c in team)
    assert len([c for c in conversations if c.file == "blind.yml"]) == 74
    more = [c for c in conversations if c.file == "blind_more.yml"]
    assert len(more) == 30 and {c.source for c in more} == {"blind"}
    third = [c for c in conversations if c.file == "blind_third.yml"]
    assert len(third) == 30 and {c.source for c in third} == {"blind"}
    unseen = [c for c in conversations if c.file == "unseen.yml"]
    assert len(unseen) == 48 and {c.source for c in unseen} == {"unseen"}
    issue_text = "\n".join(t.user or "" for c in team if c.source == "issue" for t in c.turns)
    for example in ("我已经报警了", "我安全了 警察把他带走了", "接下来我该怎么办", "我能告他们吗 去哪里告", "要钱吗",
                    "我兒子今年九歲，他想跟我", "我要找律师！前夫一年没给抚养费了",
                    "我想咨询律师关于离婚财产的问题，能帮我联系一个吗", "我想找个工做 能接送孩子的那种", "妈妈岗在哪里报名",
                    "单位知道我怀孕就要辞退我", "安全退出", "我要安全退出", "我老公会翻我手机", "退出", "删掉记录",
                    "清空聊天", "他最近老说活着没意思", "老公在外面有人了 还要跟我离婚", "要先交2000手续费", "帮帮我",
                    "我字认得不多 你说的看不太懂", "房子係婚後兩個人一齊買嘅，寫咗佢個名😢", "好的😭 谢谢！我 明天10点"):
        assert example in issue_text, example
    lengths = {len(t.user or "") for c in team if c.source == "issue" for t in c.turns}
    assert {661, 4100} <= lengths


def _parse(text: str):
    return parse_file(Path("x.yml"), yaml.safe_load(text))


@pytest.mark.parametrize("turn, problem", [
    ('{user: "a", danger: no}', "quote no"),
    ('{user: "a", mentoin: [["b"]]}', "unknown keys"),
    ('{user: "a", mention: ["b"]}', "list of groups"),
    ('{user: "a", press: "b"}', "exactly one"),
    ('{user: "abc", chars: 4}', "chars says 4"),
    ('{user: "a", handoff: yes}', "handoff must be"),
])
def test_a_file_that_cannot_be_played_as_written_is_refused(turn, problem):
    with pytest.raises(SpecError, match=re.escape(problem)):
        _parse(f"conversations:\n- id: t-x-01\n  turns:\n  - {turn}\n")


# ---------------------------------------------------------------- the player, against a fake assistant


class FakeServices:
    """Answers every message with `answers[text]`; records what was sent."""

    def __init__(self, answers: Dict[str, List[Dict[str, Any]]]) -> None:
        self.answers, self.sent, self._events = answers, [], []

    def say(self, conversation_id, text):
        self.sent.append(text)
        intent = text.lstrip("/") if text.startswith("/") else "greet"
        self._events += [{"event": "user", "text": text,
                          "parse_data": {"intent": {"name": intent, "confidence": 1.0}}},
                         {"event": "action", "name": "utter_x"}]
        return self.answers.get(text, [{"text": "？"}]), 0.01, ""

    def events(self, conversation_id):
        return list(self._events)

    def handoff(self, conversation_id):
        return None

    def her_messages(self, conversation_id):
        return "expert lawyer", []


def test_pressing_a_button_sends_its_payload_and_history_feeds_not_repeated():
    conversation = _parse("""conversations:
- id: t-x-01
  turns:
  - {user: "你好"}
  - {user: "你好", not_repeated: true}
  - {press: "我现在安全", not_mention: ["保护令"]}
  - {press: "没有的按钮"}
""")[0]
    services = FakeServices({"你好": [GREETING, CRISIS_REPLY],
                             "/affirm": [{"text": "好的", "buttons": [{"title": "如何申请保护令", "payload": "/p"}]}]})
    result = play(services, conversation, "run")
    assert services.sent == ["你好", "你好", "/affirm", "没有的按钮"]
    second, third, fourth = result.turns[1:]
    assert not second.passed  # the greeting came back word for word
    assert [c.name for c in third.checks if not c.passed] == ["not_mention"]
    assert third.checks[0].name == "press" and third.checks[0].passed
    assert not fourth.passed and "sent as typed text" in fourth.checks[0].detail


def test_reports_count_only_checked_turns_and_show_every_failure():
    conversation = _parse("""conversations:
- id: t-x-01
  turns:
  - {user: "你好", safety: true, mention: [["110"]]}
  - {user: "我在东莞"}
  - {user: "谢谢", mention: [["不客气"]]}
""")[0]
    result = play(FakeServices({"你好": [GREETING], "谢谢": [{"text": "嗯"}]}), conversation, "run")
    summary = summarise([result])
    assert (summary["checked_turns"], summary["passed_turns"], summary["unchecked_turns"]) == (2, 1, 1)
    assert summary["safety"] == [1, 1]
    assert "50.0% (1/2)" in summary_markdown(summary, {"started": "now", "commit": "c", "model": "m", "files": []})
    failures = failures_markdown([result])
    assert "turn 3" in failures and "missing: 不客气" in failures and "turn 1" not in failures


def test_latency_percentiles():
    figures = latency([0.1] * 19 + [2.0])
    assert figures["p50_ms"] == 100.0 and figures["p95_ms"] == 100.0 and figures["max_ms"] == 2000.0
    assert latency([i / 100 for i in range(1, 101)])["p95_ms"] == 950.0


def test_turn_events_skip_messages_the_backend_injected():
    events = [{"event": "user", "text": "她", "parse_data": {"intent": {"name": "greet"}}},
              {"event": "bot", "text": "你好"},
              {"event": "user", "text": "/expert_reply", "metadata": {"is_external": True}}]
    parse, turn = turn_events(events)
    assert parse["intent"]["name"] == "greet" and len(turn) == 3


# ---------------------------------------------------------------- end to end, live

TEAM_FILE = DEFAULT_FILES[1]
BEYOND_FILE = CONVERSATIONS_FOLDER / "beyond.yml"


def test_every_team_conversation_passes_through_the_live_servers(tmp_path):
    """team.yml holds every example of the dialogue issue and the team's own cases, and
    beyond.yml the flows beyond triage (找组织 by town, courses, 各地精选, the activity sign-up
    form, 执委学堂): each of their turns must pass. The blind files are measured by
    `make eval-dialogue` instead."""
    from tests.conversations.report import write_reports
    from tests.conversations.runner import run_conversations

    conversations = load_files([TEAM_FILE, BEYOND_FILE])
    results = run_conversations(conversations, tmp_path / "servers")
    turns = [t for r in results for t in r.turns]
    assert len(turns) == sum(len(c.turns) for c in conversations)
    assert not [t.error for t in turns if t.error]
    assert all(t.replies and t.understood.get("intent") for t in turns)
    failing = [(t.conversation, t.index, [c.detail for c in t.checks if not c.passed]) for t in turns if not t.passed]
    assert not failing
    summary = write_reports(tmp_path / "reports", results, {"started": "now", "commit": "c", "model": "m", "files": []})
    assert summary["checked_turns"] == summary["passed_turns"] > 0
    assert (tmp_path / "reports" / "results.json").exists() and (tmp_path / "reports" / "failures.md").exists()
