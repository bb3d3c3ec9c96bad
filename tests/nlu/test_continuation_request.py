"""nlu/continuation_request.py: her wish to take her request to another app, and what is not one."""
import pytest

from nlu.continuation_request import asks_to_move
from nlu.text import normalize


@pytest.mark.parametrize("text", [
    "接续码", "给我一个接续码", "我要接續碼", "我想换到微信上继续聊", "能不能换到公众号上接着说",
    "换个app还能收到律师回复吗", "我要换手机了，之前的求助怎么办", "我想转到telegram上聊",
    "可唔可以轉去微信繼續傾", "这个手机不安全了 我想换个手机继续", "律师的回复能不能转到我另一个号上",
    "我在电脑上用网页聊，能把手机上的求助接过来吗",
])
def test_she_asks_to_move(text):
    assert asks_to_move(normalize(text)), text


@pytest.mark.parametrize("text", [
    "都是微信转的", "他微信转了我5000", "老公换了手机号 不回我消息", "我想换个工作", "孩子天天玩手机",
    "聊天记录怎么删", "接续码 7KQ2M-XD94P", "微信上被骗了钱能追回吗", "我换了新手机 号码没变",
    "前夫换了微信号 抚养费也不给了", "我想在网上开个店卖土特产",
])
def test_other_messages_are_not_a_wish_to_move(text):
    assert not asks_to_move(normalize(text)), text
