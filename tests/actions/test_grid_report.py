"""A grid worker's report from her chat (actions/grid_report.py): only a bound chat
starts one, the summary she confirms, and the number she gets (or the honest word
that it is kept until the backend is back)."""
import pytest

from actions.grid_report import (
    ActionAskGridConfirmed, ActionAskGridPlace, ActionGridReportStart, ActionGridReportSubmit, description_in,
)
from actions.routing_protocol import RoutingRefused
from tests.actions.dialogue_support import run_action, said, user_event
from tests.actions.grid_support import BINDING, CADRE_BINDING, sender
from tests.conftest import make_tracker

FILLED = {"grid_binding": BINDING, "grid_bound": True, "grid_subject": "child", "grid_place": "三村第二网格",
          "grid_what": "留守儿童，爷爷奶奶都病了，没人做饭", "grid_urgency": "normal", "grid_consent": "no",
          "grid_no_consent_reason": "孩子还小，监护人不在家", "grid_area": "care", "grid_confirmed": "yes"}


def start(tmp_path, text, intent="grid_report", slots=None, backend=None, **parse):
    grid_sender, backend = sender(tmp_path, backend)
    messages, set_slots = run_action(ActionGridReportStart(grid_sender), [user_event(text, intent, **parse)], slots)
    return said(messages), set_slots, backend


def bound_backend(tmp_path):
    _, backend = sender(tmp_path)
    backend.bindings["woman-1"] = backend.codes["482913"]
    return backend


def test_a_chat_that_is_not_bound_never_reaches_the_form(tmp_path):
    text, slots, _ = start(tmp_path, "我要上报")
    assert slots == {"grid_binding": None, "grid_bound": False}
    assert "网格员" in text and "绑定" in text and "110" in text and "直接告诉我发生了什么" in text


def test_a_bound_grid_worker_starts_a_fresh_report(tmp_path):
    text, slots, _ = start(tmp_path, "我要上报", backend=bound_backend(tmp_path),
                           slots={"grid_subject": "woman", "grid_cancelled": True})
    assert slots["grid_bound"] is True and slots["grid_binding"] == BINDING
    assert slots["grid_subject"] is None and slots["grid_cancelled"] is None and slots["grid_what"] is None
    assert "李梅" in text and "取消" in text


def test_a_cadre_is_told_reports_are_the_grid_workers_and_no_form_starts(tmp_path):
    text, slots, _ = start(tmp_path, "我要上报", slots={"grid_binding": CADRE_BINDING, "grid_bound": False})
    assert slots["grid_bound"] is False and "grid_subject" not in slots
    assert "网格员" in text and "执委学堂" in text and "110" in text


def test_a_case_she_just_describes_is_kept_with_its_area(tmp_path):
    text, slots, _ = start(tmp_path, "三村有个孩子爸妈都在外地打工，奶奶瘫痪在床没人照顾", intent="care_children_elderly",
                           slots={"grid_binding": BINDING, "grid_bound": True})
    assert slots["grid_what"].startswith("三村有个孩子") and slots["grid_area"] == "care"
    assert "登记成一份上报" in text and "取消" in text


@pytest.mark.parametrize("text, kept", [("我要上报", False), ("你好，我是网格员，要上报一个情况", False),
                                        ("我要上报，村里有个妇女被老公赶出家门没地方住", True)])
def test_the_asking_words_alone_are_not_a_description(text, kept):
    assert (description_in(make_tracker([user_event(text, "grid_report")])) is not None) is kept


def test_the_backend_down_when_checking_the_binding_is_said_and_nothing_starts(tmp_path):
    _, backend = sender(tmp_path)
    backend.down = True
    text, slots, _ = start(tmp_path, "我要上报", backend=backend)
    assert slots == {"grid_bound": False} and "暂时查不到" in text and "110" in text


def test_her_grid_is_offered_as_the_place():
    messages, _ = run_action(ActionAskGridPlace(), [user_event("儿童", "nlu_fallback")], {"grid_binding": BINDING})
    assert BINDING["grid_name"] in messages[0]["text"]
    assert messages[0]["buttons"] == [{"title": f"就在{BINDING['grid_name']}", "payload": "就在我的网格"}]


def test_she_reads_the_whole_report_before_confirming():
    messages, _ = run_action(ActionAskGridConfirmed(), [user_event("孩子还小", "nlu_fallback")], FILLED)
    text = said(messages)
    for part in ("儿童", "三村第二网格", "留守儿童", "一般", "不同意（孩子还小，监护人不在家）", "关爱服务", "确认上报", "取消"):
        assert part in text


def submit(tmp_path, slots, backend=None):
    grid_sender, backend = sender(tmp_path, backend)
    messages, set_slots = run_action(ActionGridReportSubmit(grid_sender), [user_event("确认上报", "nlu_fallback")],
                                     slots)
    return said(messages), set_slots, backend, grid_sender


def test_a_confirmed_report_is_sent_and_she_gets_its_number(tmp_path):
    text, slots, backend, _ = submit(tmp_path, FILLED)
    (report,) = backend.reports
    assert report.body() == {"grid_code": "NA-0301-02", "subject": "child", "place": "三村第二网格",
                             "text": "留守儿童，爷爷奶奶都病了，没人做饭", "urgency": "normal", "consent": False,
                             "no_consent_reason": "孩子还小，监护人不在家", "area": "care",
                             "reporter_conversation_id": "woman-1", "source": "patrol"}
    assert "WG-2026-000001" in text
    assert slots["grid_subject"] is None and slots["grid_confirmed"] is None and "grid_binding" not in slots


def test_an_urgent_report_says_the_duty_staff_have_it(tmp_path):
    text, _, backend, _ = submit(tmp_path, {**FILLED, "grid_urgency": "urgent", "grid_consent": "yes"})
    assert "紧急" in text and "110" in text and backend.reports[0].no_consent_reason is None


def test_a_cancelled_report_sends_nothing(tmp_path):
    text, slots, backend, _ = submit(tmp_path, {**FILLED, "grid_confirmed": None, "grid_cancelled": True})
    assert backend.reports == [] and "不上报了" in text and slots["grid_cancelled"] is None


def test_with_the_backend_down_the_report_is_kept_and_she_hears_its_number_later(tmp_path):
    _, backend = sender(tmp_path)
    backend.down = True
    text, _, _, grid_sender = submit(tmp_path, FILLED, backend)
    assert backend.reports == [] and "保存" in text and "不会丢" in text
    backend.down = False
    messages, _ = run_action(ActionGridReportStart(grid_sender), [user_event("我要上报", "grid_report")],
                             {"grid_binding": BINDING, "grid_bound": True})
    assert len(backend.reports) == 1 and "WG-2026-000001" in said(messages)
    messages, _ = run_action(ActionGridReportStart(grid_sender), [user_event("我要上报", "grid_report")],
                             {"grid_binding": BINDING, "grid_bound": True})
    assert "WG-2026-000001" not in said(messages)  # told once


def test_a_refused_report_is_said_honestly(tmp_path):
    _, backend = sender(tmp_path)
    backend.refusal = RoutingRefused(422, "unknown grid")
    text, _, _, _ = submit(tmp_path, FILLED, backend)
    assert "没有接收" in text and "管理员" in text


def test_an_account_without_a_grid_cannot_start_a_report(tmp_path):
    _, backend = sender(tmp_path)
    backend.bindings["woman-1"] = type(backend.codes["482913"]).from_dict({**BINDING, "grid_code": None,
                                                                          "grid_name": None})
    text, slots, _ = start(tmp_path, "我要上报", backend=backend)
    assert slots == {"grid_binding": None, "grid_bound": False} and "还没有分配网格" in text


def test_the_confirm_button_pressed_again_starts_nothing_new(tmp_path):
    text, slots, _ = start(tmp_path, "确认上报", backend=bound_backend(tmp_path))
    assert "没有要确认的上报" in text and slots == {"grid_binding": BINDING, "grid_bound": False}


def test_town_staff_file_as_their_federations_own_finding(tmp_path):
    _, _, backend, _ = submit(tmp_path, {**FILLED, "grid_binding": {**BINDING, "role": "town_staff"}})
    assert backend.reports[0].source == "town"
