"""Numbered options and splitting long text under WeChat's byte limit."""
from connectors.wechat.text import TEXT_LIMIT_BYTES, NumberedOptions, chosen_number, split_text, utf8_size


def test_numbers_continue_across_one_turn():
    options = NumberedOptions()
    first = options.render("有帮助吗？", [{"title": "有帮助", "payload": "/affirm"}, {"title": "没帮助", "payload": "/deny"}])
    second = options.render("", [{"title": "转人工", "payload": "/request_human"}])
    assert first == "有帮助吗？\n\n回复 1：有帮助\n回复 2：没帮助"
    assert second == "回复 3：转人工"
    assert options.payloads == {1: "/affirm", 2: "/deny", 3: "/request_human"}


def test_only_a_bare_number_is_an_option_choice():
    assert [chosen_number(text) for text in ["1", " ２ ", "3。", "12", "1个孩子", "第1个", ""]] == [
        1, 2, 3, 12, None, None, None]


def test_short_text_is_one_message():
    assert split_text("  你好  ") == ["你好"]
    assert split_text("   ") == []


def test_long_paragraphs_are_packed_whole_and_under_the_limit():
    paragraphs = ["法律规定" * 100, "第二段" * 150, "短段落", "第四段" * 200]
    chunks = split_text("\n\n".join(paragraphs))
    assert all(utf8_size(chunk) <= TEXT_LIMIT_BYTES for chunk in chunks)
    assert [p for chunk in chunks for p in chunk.split("\n\n")] == paragraphs


def test_one_huge_paragraph_is_cut_at_sentence_ends():
    sentence = "夫妻在婚姻关系存续期间所得的工资、奖金，为夫妻的共同财产。"
    chunks = split_text(sentence * 60)
    assert len(chunks) > 1 and all(chunk.endswith("。") for chunk in chunks)
    assert "".join(chunks) == sentence * 60


def test_text_without_any_break_is_cut_by_bytes_without_breaking_characters():
    chunks = split_text("好" * 3000)
    assert all(utf8_size(chunk) <= TEXT_LIMIT_BYTES for chunk in chunks)
    assert "".join(chunks) == "好" * 3000
