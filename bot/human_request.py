"""Does a message ask for a person, whatever else it asks?

"我想离婚，能帮我找个律师吗" is a divorce question *and* a request for a human;
the intent classifier can only give one intent, so this check runs beside it.
"""
from __future__ import annotations

import re

_HUMAN = re.compile(
    r"转人工|人工客服|人工服务|(我|就)?(要|找|转|接)人工(?!智能|流产|授精|受孕|费|成本|湖|降雨|呼吸)|找真人|真人|转接|一对一"
    r"|(找|要|请|约|帮我(找|约|联系|转)?|联系|对接|咨询)(个|一个|一位|下)?"
    r"(律师|心理(咨询)?(师|老师|医生|专家)|专家|社工|工作人员|妇联的人)"
    r"|(和|跟|同)(律师|专家|真人|工作人员|心理老师).{0,4}(聊|谈|讲|说|倾)"
)


def wants_human(text: str) -> bool:
    """True when the (normalised) message asks to talk to a person."""
    return bool(text) and _HUMAN.search(text) is not None
