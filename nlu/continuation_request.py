"""Her wish to take her request to another app, in her own words.

"接续码" without a code, "我想换到微信上继续聊", "换个app还能收到律师回复吗", "我要换手机了，之前的
求助怎么办": she wants the continuation code (assistant_contract.continuation). Decided from
the text, never by the classifier: trained on these wordings it read 「都是微信转的」 (paid by
WeChat transfer) as this wish. A message asks to move when it names another app or device
after a verb of moving, and says what should go on there (the chat, the replies, her
request). Pure functions over normalised (simplified) text, no Rasa.
"""
from __future__ import annotations

import re

from assistant_contract.continuation import asks_for_code

_PLACES = r"(微信|公众号|telegram|电报|tg|网页|电脑|手机|号|app|平台|地方|设备)"
_MOVE = re.compile(  # 换到微信上, 转到我另一个号上; 手机上的求助接过来
    r"(换|转|挪|搬|接|移)(到|去|过去|过来|成|个|了|一个|一下)?(个|一个)?(新的?|另一个|另外一个|别的|其他的?|我的?){0,2}"
    + _PLACES + "|" + _PLACES + r".{0,8}(接|转|挪|搬|移)(过来|过去)", re.IGNORECASE)
_GOES_ON = re.compile(r"继续|接着|接上|回复|求助|对话|聊天?|收到|收得到|看到|看得到")
_NOT_HERS = re.compile(r"老公|他|佢|前夫|男朋友|孩子|儿子|女儿|婆婆")  # "老公换了手机号 不回我消息" is about him


def asks_to_move(text: str) -> bool:
    """She wants this conversation's request, or its replies, somewhere else."""
    text = text or ""
    if asks_for_code(text):
        return True
    move = _MOVE.search(text)
    if move is None or not _GOES_ON.search(text):
        return False
    return not _NOT_HERS.search(text[:move.start()])
