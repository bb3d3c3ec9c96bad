import pytest

from nlu.normalizer import FULL_TEXT, ORIGINAL_TEXT, PINYIN, ChineseTextNormalizer
from tests.nlu.components import build, load, message, training_data


def test_message_text_is_normalised_and_the_original_kept(tmp_path):
    normalizer, *_ = build(ChineseTextNormalizer, tmp_path)
    (processed,) = normalizer.process([message("離婚 怎麼辦😭")])
    assert processed.get("text") == "离婚,怎么办"
    assert processed.get(ORIGINAL_TEXT) == "離婚 怎麼辦😭"


def test_training_examples_are_normalised_the_same_way(tmp_path):
    normalizer, *_ = build(ChineseTextNormalizer, tmp_path)
    data = normalizer.process_training_data(training_data([("撫養費", "legal_family_property")]))
    assert data.training_examples[0].get("text") == "抚养费"


def test_long_text_is_cut_to_the_configured_size(tmp_path):
    normalizer, *_ = build(ChineseTextNormalizer, tmp_path, max_chars=50, tail_chars=10)
    (processed,) = normalizer.process([message("字" * 1000)])
    assert len(processed.get("text")) == 51


def test_bad_configuration_is_refused(tmp_path):
    with pytest.raises(ValueError):
        build(ChineseTextNormalizer, tmp_path, max_chars=10, tail_chars=10)


@pytest.mark.parametrize("typed", ["／request_human", "😀/request_human", "\u200b/share_location{\"latitude\": 1}", " ／／safe_exit"])
def test_typed_text_never_becomes_a_payload_after_normalising(tmp_path, typed):
    normalizer, *_ = build(ChineseTextNormalizer, tmp_path)
    (processed,) = normalizer.process([message(typed)])
    assert not processed.get("text").startswith("/")


def test_real_payloads_are_left_as_they_are(tmp_path):
    normalizer, *_ = build(ChineseTextNormalizer, tmp_path)
    (processed,) = normalizer.process([message("/request_human")])
    assert processed.get("text") == "/request_human"


def test_the_whole_normalised_text_is_kept_beside_the_classifiers_shortened_copy(tmp_path):
    normalizer, *_ = build(ChineseTextNormalizer, tmp_path, max_chars=50, tail_chars=10)
    (processed,) = normalizer.process([message("離婚" + "字" * 996 + "怎麼辦")])
    assert len(processed.get("text")) == 51
    assert processed.get(FULL_TEXT) == "离婚" + "字" * 996 + "怎么办"


@pytest.mark.parametrize("typed, words", [("<img src=x>我老公打我", "我老公打我"), ("<b>救命</b>他拿刀了", "救命他拿刀了"),
                                          ("&lt;b&gt;離婚&lt;/b&gt;", "离婚"), ("[b]救命[/b]", "救命")])
def test_markup_is_stripped_from_both_copies(tmp_path, typed, words):
    normalizer, *_ = build(ChineseTextNormalizer, tmp_path)
    (processed,) = normalizer.process([message(typed)])
    assert processed.get("text") == words
    assert processed.get(FULL_TEXT) == words
    assert processed.get(ORIGINAL_TEXT) == typed


def test_a_payload_wrapped_in_markup_stays_words(tmp_path):
    normalizer, *_ = build(ChineseTextNormalizer, tmp_path)
    (processed,) = normalizer.process([message("<b>/request_human</b>")])
    assert not processed.get("text").startswith("/")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A normaliser trained on a few messages and loaded back, as a model is."""
    normalizer, storage, resource, config = build(ChineseTextNormalizer, tmp_path_factory.mktemp("normalizer"))
    normalizer.train(training_data([("救命他在打我", "crisis_violence"), ("我老公打我", "crisis_violence"),
                                    ("压力很大", "care_mental_health"), ("离婚后孩子抚养权归谁", "legal_divorce")]))
    return load(ChineseTextNormalizer, storage, resource, config)


def test_pinyin_is_read_as_characters_in_both_copies_and_kept_beside_them(trained):
    (processed,) = trained.process([message("wo lao gong da wo")])
    assert processed.get("text") == processed.get(FULL_TEXT) == "我老公打我"
    assert processed.get(PINYIN) == "wo lao gong da wo"
    assert PINYIN in processed.as_dict(only_output_properties=True)


def test_markup_around_pinyin_goes_first(trained):
    (processed,) = trained.process([message("<b>jiuming</b> ta zai da wo")])
    assert processed.get(FULL_TEXT) == "救命他在打我"


def test_chinese_and_english_are_not_read_as_pinyin(trained):
    chinese, english = trained.process([message("离婚 怎么办"), message("my husband is beating me now")])
    assert chinese.get("text") == "离婚,怎么办" and chinese.get(PINYIN) is None
    assert english.get("text") == "my husband is beating me now" and english.get(PINYIN) is None


def test_a_normaliser_that_learned_nothing_leaves_pinyin_as_typed(tmp_path):
    normalizer, *_ = build(ChineseTextNormalizer, tmp_path)
    (processed,) = normalizer.process([message("wo lao gong da wo")])
    assert processed.get("text") == "wo lao gong da wo"
