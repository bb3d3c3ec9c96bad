import pytest

from nlu.normalizer import FULL_TEXT, ORIGINAL_TEXT, ChineseTextNormalizer
from tests.nlu.components import build, message, training_data


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
