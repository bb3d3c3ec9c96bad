"""Binding a grid worker's chat with her one-time code (actions/grid_binding.py)."""
import asyncio

import pytest

from actions.grid_binding import ActionGridBind, binding_of, code_in
from actions.routing_protocol import RoutingUnavailable
from tests.actions.dialogue_support import run_action, said, user_event
from tests.actions.fakes import FakeGridBackend
from tests.actions.grid_support import BINDING, CADRE_BINDING, CODE, sender
from tests.conftest import make_tracker


def bind(tmp_path, text, backend=None):
    grid_sender, backend = sender(tmp_path, backend)
    messages, slots = run_action(ActionGridBind(grid_sender), [user_event(text, "grid_bind")])
    return said(messages), slots, backend


@pytest.mark.parametrize("text, code", [("绑定 482913", "482913"), ("bind 482913", "482913"),
                                        ("我的绑定码是：482913，谢谢", "482913"), ("绑定码 4829130", None),
                                        ("绑定 12345", None), ("绑定", None)])
def test_the_code_is_six_digits_standing_alone(text, code):
    assert code_in(text) == code


def test_her_code_binds_this_chat_and_she_hears_her_grid(tmp_path):
    text, slots, backend = bind(tmp_path, f"绑定 {CODE}")
    assert "绑定好了" in text and "李梅" in text and BINDING["grid_name"] in text and "我要上报" in text
    assert slots == {"grid_binding": BINDING, "grid_bound": True}
    assert backend.bindings["woman-1"].grid_code == BINDING["grid_code"]


def test_a_login_name_is_not_how_she_is_greeted(tmp_path):
    grid_sender, backend = sender(tmp_path, FakeGridBackend({CODE: {**BINDING, "name": "wangli01"}}))
    messages, _slots = run_action(ActionGridBind(grid_sender), [user_event(f"绑定 {CODE}", "grid_bind")])
    text = said(messages)
    assert text.startswith("绑定好了！") and "wangli01" not in text and BINDING["grid_name"] in text


def test_a_cadre_hears_her_office_and_the_study_corner_not_a_grid(tmp_path):
    grid_sender, _backend = sender(tmp_path, FakeGridBackend({CODE: CADRE_BINDING}))
    messages, slots = run_action(ActionGridBind(grid_sender), [user_event(f"绑定 {CODE}", "grid_bind")])
    text = said(messages)
    assert text.startswith("陈芳，绑定好了") and "广东省妇女联合会" in text and "执委学堂" in text
    assert "网格" not in text and "上报" not in text
    assert slots["grid_bound"] is False and slots["grid_binding"]["office"] == "广东省妇女联合会"


def test_a_code_is_used_once(tmp_path):
    grid_sender, backend = sender(tmp_path)
    run_action(ActionGridBind(grid_sender), [user_event(f"绑定 {CODE}", "grid_bind")])
    messages, slots = run_action(ActionGridBind(grid_sender), [user_event(f"绑定 {CODE}", "grid_bind")])
    assert "过期" in said(messages) and slots == {}


def test_an_unknown_code_is_refused_kindly_and_nothing_is_bound(tmp_path):
    text, slots, backend = bind(tmp_path, "绑定 000000")
    assert "找管理员重新要一个" in text and slots == {} and backend.bindings == {}


def test_no_code_in_the_message_asks_for_it(tmp_path):
    text, slots, _ = bind(tmp_path, "我要绑定网格员账号")
    assert "6位绑定码" in text and "绑定 123456" in text and slots == {}


def test_the_backend_down_is_said_honestly(tmp_path):
    grid_sender, backend = sender(tmp_path)
    backend.down = True
    text, slots, _ = bind(tmp_path, f"绑定 {CODE}", backend)
    assert "暂时连不上" in text and slots == {}


def test_the_binding_is_asked_of_the_backend_once_a_session(tmp_path):
    grid_sender, backend = sender(tmp_path)
    backend.bindings["woman-1"] = backend.codes[CODE]
    fresh = make_tracker([user_event("我要上报", "grid_report")])
    assert asyncio.run(binding_of(fresh, backend)).grid_name == BINDING["grid_name"]
    backend.down = True
    cached = make_tracker([user_event("我要上报", "grid_report")], slots={"grid_binding": BINDING})
    assert asyncio.run(binding_of(cached, backend)).user_id == "u-7"
    with pytest.raises(RoutingUnavailable):
        asyncio.run(binding_of(fresh, backend))
