from nlu.text import collapse_whitespace, normalize, overlapping_windows, shorten, strip_emoji


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


def test_overlapping_windows_cover_the_text_and_keep_every_short_passage_whole():
    text = "".join(chr(0x4E00 + i) for i in range(300))
    windows = overlapping_windows(text, 128, 64)
    assert all(len(w) == 128 for w in windows) and windows[0] == text[:128] and windows[-1] == text[-128:]
    for start in range(0, 300 - 64):
        assert any(text[start:start + 64] in w for w in windows)
    assert overlapping_windows("短", 128, 64) == ["短"]


def test_normalize_without_a_limit_keeps_the_whole_message():
    assert normalize("開" + "很" * 5000, max_chars=None) == "开" + "很" * 5000
