"""Toneless pinyin is read as the characters the training messages use."""
import pytest

from nlu.pinyin import PinyinReader, toneless

MESSAGES = [
    "救命他在打我", "我老公打我", "老公又打我了", "他打我怎么办", "压力很大", "大学毕业找工作",
    "离婚后孩子抚养权归谁", "孩子沉迷手机怎么办", "创业贷款怎么申请", "我想找律师", "你好",
]


@pytest.fixture(scope="module")
def reader():
    return PinyinReader.learn(MESSAGES)


@pytest.mark.parametrize(
    "typed, read",
    [
        ("wo lao gong da wo", "我老公打我"),  # 打, not the commoner 大: what follows 公 in her messages
        ("jiuming ta zai da wo", "救命他在打我"),
        ("lihun hou haizi fuyangquan gui shui", "离婚后孩子抚养权归谁"),
        ("lihunhouhaizifuyangquanguishui", "离婚后孩子抚养权归谁"),
        ("Haizi Chenmi Shouji Zenme Ban", "孩子沉迷手机怎么办"),
    ],
)
def test_pinyin_with_or_without_spaces_is_read_as_characters(reader, typed, read):
    assert reader.is_pinyin(typed)
    assert reader.read(typed) == read


@pytest.mark.parametrize(
    "text",
    ["I need help, my husband hits me", "startup loan for women", "divorce 后 custody 怎么判", "离婚后孩子归谁",
     "ok", "/request_human", ""],
)
def test_english_chinese_and_payloads_are_not_pinyin(reader, text):
    assert not reader.is_pinyin(text)


def test_chinese_and_other_words_around_the_pinyin_stay(reader):
    assert reader.read("HR shuo wo lao gong zai da wo!") == "HR 说我老公在打我!"


def test_a_syllable_never_crosses_a_space(reader):
    assert reader.split("xian") == ["xian"]
    assert [reader.split(word) for word in "xi an".split()] == [["xi"], ["an"]]


def test_a_saved_reader_reads_the_same(reader):
    again = PinyinReader.from_dict(reader.to_dict())
    assert again.read("wo lao gong da wo") == reader.read("wo lao gong da wo")


def test_tone_marks_and_umlauts_are_typed_as_on_a_latin_keyboard():
    assert toneless("nǚ") == "nv"
    assert toneless("lüè") == "lve"
