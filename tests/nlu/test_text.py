from nlu.text import collapse_whitespace, normalize, shorten, strip_emoji


def test_traditional_becomes_simplified():
    assert normalize("離婚冷靜期請問怎樣計算") == "离婚冷静期请问怎样计算"


def test_full_width_becomes_half_width():
    assert normalize("ＨＲ说１２３") == "HR说123"


def test_a_space_between_chinese_words_is_a_pause_and_latin_words_keep_one():
    assert collapse_whitespace("救命 他在打我") == "救命,他在打我"
    assert collapse_whitespace("离婚  HR   said no 怎么办") == "离婚HR said no怎么办"


def test_emoji_and_zero_width_characters_are_removed():
    assert normalize("他在打我🔪\u200b快来😭😭") == "他在打我,快来"


def test_emoji_only_and_blank_messages_become_empty():
    assert normalize("😭😭👍🏻") == ""
    assert normalize(" \t\n\u200b ") == ""
    assert normalize("") == ""


def test_control_characters_do_not_survive():
    assert normalize("孩子\x00\x07沉迷\x1b手机") == "孩子沉迷手机"


def test_long_text_keeps_head_and_tail():
    text = "开" + "很" * 5000 + "我该怎么办"
    short = normalize(text, max_chars=100, tail_chars=20)
    assert len(short) == 101  # head + ellipsis + tail
    assert short.startswith("开很") and short.endswith("我该怎么办")


def test_shorten_leaves_short_text_alone():
    assert shorten("抚养费", 10, 3) == "抚养费"


def test_strip_emoji_keeps_chinese_punctuation():
    assert strip_emoji("好的，谢谢！").strip() == "好的，谢谢！"


def test_repeated_punctuation_is_reduced():
    assert normalize("救命！！！！！！") == "救命!!"
