"""Safe exit in her words and her code word: the one rule every channel asks."""
import pytest

from connectors.safe_exit_words import (
    BAD_CODE_WORD, EXIT, OTHER, SET_CODE_WORD, CodeWords, SafeExitWords, requested_code_word,
)


@pytest.fixture
def words(tmp_path):
    return SafeExitWords(CodeWords(tmp_path / "safe_exit.db"))


@pytest.mark.parametrize("text", ["安全退出！", "安全退出。", "安全 退出", "退出", "他来了快删", "老公回来了快删", "快删掉",
                                  "删掉记录", "清空聊天", "/safe_exit"])
def test_exit_in_any_wording(words, text):
    assert words.read("her", text).kind == EXIT


@pytest.mark.parametrize("text", ["我想退出志愿者", "怎么删除聊天记录", "我回来了，刚才手机没电", "/deny", "买菜"])
def test_questions_and_other_words_are_not_an_exit(words, text):
    assert words.read("her", text).kind == OTHER


def test_a_code_word_is_an_exit_in_her_conversation_only(words):
    assert words.read("her", "设置暗号 买菜").kind == SET_CODE_WORD
    assert words.read("her", "买菜！").kind == EXIT and words.read("her", " 买 菜 ").kind == EXIT
    assert words.read("another", "买菜").kind == OTHER
    assert words.read("her", "买菜了吗").kind == OTHER  # only the word alone
    assert words.read("her", "暗号改成 晾衣服").kind == SET_CODE_WORD and words.read("her", "晾衣服").kind == EXIT
    assert words.read("her", "买菜").kind == OTHER  # the old one no longer counts


@pytest.mark.parametrize("text", ["设置暗号", "设置暗号 1", "设置暗号 退出", "设置暗号 这个暗号实在是太长了根本记不住"])
def test_an_unusable_code_word_is_refused_with_an_example(words, text):
    reading = words.read("her", text)
    assert reading.kind == BAD_CODE_WORD and "设置暗号 买菜" in reading.reply


def test_the_code_word_request_is_read_in_several_forms():
    assert requested_code_word("设置暗号：买菜") == requested_code_word("暗号设为 买菜") == "买菜"
    assert requested_code_word("帮我设个暗号 收衣服") == "收衣服"
    assert requested_code_word("暗号是什么意思") is None
