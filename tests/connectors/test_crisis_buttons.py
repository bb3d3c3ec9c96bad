"""「我不安全」 carries the crisis intent of the message it stands under."""
from connectors.crisis_buttons import crisis_kind, with_crisis_payloads

BUTTONS = [{"title": "我现在安全", "payload": "/affirm"}, {"title": "我不安全", "payload": "/deny"}]


def test_not_safe_becomes_the_crisis_intent_and_other_buttons_stay():
    shown = with_crisis_payloads("你现在有危险，请马上拨打110报警。你现在安全吗？", BUTTONS)
    assert [b["payload"] for b in shown] == ["/affirm", "/crisis_violence"]
    offer = [{"title": "不用了", "payload": "/deny"}]
    assert with_crisis_payloads("需要我帮你转给律师吗？", offer) == offer


def test_the_kind_comes_from_the_message():
    assert crisis_kind("这不是你的错。请马上拨打110报警，先不要洗澡，保留好证据。") == "sexual_assault"
    assert crisis_kind("谢谢你愿意告诉我，你并不孤单。如果你已经伤害了自己或吃了药") == "self_harm"
    assert crisis_kind("孩子正在受到伤害，请马上拨打110报警") == "child_danger"
    assert crisis_kind("孩子说这样的话，一定要当真。", "找不到孩子") == "self_harm"
