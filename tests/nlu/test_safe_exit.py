"""Safe exit in any wording, and the fear that he reads her phone (nlu/safe_exit.py)."""
import pytest

from nlu.safe_exit import asks_to_exit, fears_being_read
from nlu.text import normalize


@pytest.mark.parametrize("text", [
    "安全退出", "我要安全退出", "退出", "安全 退出！", "【安全退出】", "退出吧", "删掉记录", "删除聊天记录",
    "清空聊天", "清空", "他過來了 快刪", "快删 他回来了", "他回来了 帮我把刚才的对话清掉",
    "can you delete this chat 我怕他看到", "please clear the chat", "Delete!",
    "他来了", "老公回来了 先不说了", "佢返嚟喇", "先不说了", "he's coming delete this", "he is here",
    "女婿要过来了 看见我用手机问这个要骂人 帮我关了", "婆婆进屋了，她看到要闹，快删掉",
    "那我现在就退出吧", "好的 那就退出", "wait he's coming 快 clear everything", "ok hurry delete",
])
def test_an_exit_command_is_understood_in_any_wording(text):
    assert asks_to_exit(normalize(text))


@pytest.mark.parametrize("text", [
    "我想退出志愿者", "退出群聊", "我想删掉他微信", "我想清空一下我的信用卡", "怎么删除聊天记录",
    "我老公会翻我手机", "好了 他去洗澡了 剛才說到房子", "",
    # her own return, a question about him, and a story: not a command
    "我回来了", "我回来了 刚才说到哪", "他来了吗", "他来了？", "他又来了", "他来了 我好怕",
    "我老公出差回来了 还是天天打游戏",
    "我老公出差回来了 帮我删掉他的微信", "他回来了 我能不能把他拉黑删掉", "他看到我的聊天记录了 怎么删",
])
def test_words_that_only_contain_an_exit_word_are_not_a_command(text):
    assert not asks_to_exit(normalize(text))


@pytest.mark.parametrize("text", ["我老公会翻我手机", "婆婆总拿我手机看", "手机会被他看到吗", "我怕他看到聊天记录"])
def test_the_fear_that_he_reads_her_phone_is_recognised(text):
    assert fears_being_read(normalize(text))


def test_a_plain_question_is_not_a_fear_of_being_read():
    assert not fears_being_read(normalize("离婚冷静期是多少天"))


def test_that_he_goes_through_her_phone_said_outright_is_told_apart_from_a_worry_about_being_seen():
    from nlu.safe_exit import goes_through_her_phone

    assert goes_through_her_phone(normalize("我老公成日偷睇我電話 佢會唔會見到我同你傾偈"))
    assert goes_through_her_phone(normalize("他天天翻我手机"))
    assert not goes_through_her_phone(normalize("最近总担心别人看到我手上的伤疤 出门都穿长袖"))
