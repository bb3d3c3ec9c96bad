"""The crisis verdict alone; how it becomes the intent is tested in test_intent_decision.py."""
from pathlib import Path

import pytest

from nlu.crisis_detector import CrisisDetector
from nlu.normalizer import ChineseTextNormalizer
from tests.nlu.components import build, load, message, training_data
from tests.nlu.long_messages import story

LEXICON = str(Path(__file__).resolve().parents[2] / "nlu" / "crisis_lexicon.yml")
PAIRS = [
    ("他拿刀追我", "crisis_violence"), ("他在掐我脖子", "crisis_violence"),
    ("我吞了安眠药", "crisis_self_harm"), ("活不下去了", "crisis_self_harm"),
    ("抚养费怎么算", "legal_family_property"), ("孩子玩手机", "family_screen_study"),
    ("你好", "greet"), ("谢谢", "thanks"),
]


def detector(tmp_path, **config):
    component, storage, resource, full = build(CrisisDetector, tmp_path, **{"lexicon_path": LEXICON, **config})
    component.train(training_data(PAIRS))
    return load(CrisisDetector, storage, resource, full)


def test_without_crisis_examples_the_lexicon_still_works(tmp_path):
    component, storage, resource, full = build(CrisisDetector, tmp_path, lexicon_path=LEXICON)
    component.train(training_data([("你好", "greet"), ("谢谢", "thanks")]))
    (processed,) = load(CrisisDetector, storage, resource, full).process([message("救命 他在打我")])
    assert processed.get("crisis")["detected"] is True


def test_a_changed_lexicon_changes_the_cache_fingerprint(tmp_path):
    lexicon = tmp_path / "lexicon.yml"
    lexicon.write_text(Path(LEXICON).read_text(encoding="utf-8"), encoding="utf-8")
    before = CrisisDetector.fingerprint_addon({"lexicon_path": str(lexicon)})
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n# reviewed again\n", encoding="utf-8")
    assert CrisisDetector.fingerprint_addon({"lexicon_path": str(lexicon)}) != before


def test_the_fingerprint_works_when_rasa_passes_no_lexicon_path():
    assert CrisisDetector.fingerprint_addon({}) == CrisisDetector.fingerprint_addon({"lexicon_path": LEXICON})


def test_the_detector_records_its_verdict_and_leaves_the_intent_alone(tmp_path):
    (processed,) = detector(tmp_path).process(
        [message("救命 他在打我", "legal_domestic_violence", [{"name": "legal_domestic_violence", "confidence": 0.9}])]
    )
    assert processed.get("crisis")["detected"] is True
    assert processed.get("intent")["name"] == "legal_domestic_violence"


def normalised(tmp_path, text):
    normalizer, *_ = build(ChineseTextNormalizer, tmp_path / "normalizer")
    return normalizer.process([message(text)])[0]


@pytest.mark.parametrize("length", [661, 4100])
def test_danger_in_the_middle_of_a_long_message_is_found(tmp_path, length):
    lexicon_only = detector(tmp_path, model_threshold=0.99)
    (processed,) = lexicon_only.process([normalised(tmp_path, story(length))])
    assert processed.get("crisis")["detected"] is True
    assert processed.get("crisis")["type"] == "violence" and processed.get("crisis")["source"] == "lexicon"


@pytest.mark.parametrize("length", [661, 4100])
def test_a_long_story_does_not_dilute_one_dangerous_sentence_for_the_model(tmp_path, length):
    lexicon = tmp_path / "lexicon.yml"  # nothing the messages say: only the model can see the danger
    lexicon.write_text("patterns: {violence: [不会出现的词]}\nnegation_cues: []\npast_cues: []\npresent_cues: []\n",
                       encoding="utf-8")
    # windows near the sentence's length: a model trained on 8 examples is easily outvoted
    # (the trained model's own window size is tested in test_pipeline.py)
    model_only = detector(tmp_path, lexicon_path=str(lexicon), window_chars=16, window_step=8)
    calm = "抚养费怎么算，孩子玩手机，谢谢。" * (length // 16 + 1)
    half = (length - len("他在掐我脖子。")) // 2
    dangerous = calm[:half] + "他在掐我脖子。" + calm[: length - half - len("他在掐我脖子。")]
    (danger,) = model_only.process([normalised(tmp_path, dangerous)])
    assert len(dangerous) == length
    assert danger.get("crisis")["detected"] is True
    assert danger.get("crisis")["type"] == "violence" and danger.get("crisis")["source"] == "model"
    (story_only,) = model_only.process([normalised(tmp_path, calm[:length])])
    assert story_only.get("crisis")["detected"] is False


def test_up_to_the_classifiers_limit_the_model_reads_the_message_whole(tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    default = detector(tmp_path / "a", window_chars=16, window_step=8)
    never_windowed = detector(tmp_path / "b", window_chars=10_000, window_step=5_000)
    calm = "抚养费怎么算，孩子玩手机，谢谢。"
    text = calm * 30 + "他在掐我脖子。"
    assert len(text) == 487 and default.assess(text) == never_windowed.assess(text)
    assert default.assess(calm * 40 + "他在掐我脖子。") != never_windowed.assess(calm * 40 + "他在掐我脖子。")


def test_a_window_step_longer_than_the_window_is_refused(tmp_path):
    with pytest.raises(ValueError):
        detector(tmp_path, window_chars=64, window_step=100)


def test_news_that_help_has_come_needs_the_higher_threshold_from_the_model(tmp_path):
    eager = detector(tmp_path, model_threshold=0.0, override_threshold=1.01)  # the model alone would always fire
    (calm,) = eager.process([message("我安全了,警察把他带走了")])
    (alarm,) = eager.process([message("他又回来了,在门口")])
    assert calm.get("crisis")["detected"] is False and alarm.get("crisis")["detected"] is True


@pytest.mark.parametrize("typed", ["<img src=x>我老公打我", "<b>救命</b>他拿刀了", "&lt;b&gt;救命&lt;/b&gt; 他在打我"])
def test_the_danger_inside_markup_is_read(tmp_path, typed):
    normalizer, *_ = build(ChineseTextNormalizer, tmp_path / "normalizer")
    (processed,) = detector(tmp_path).process(normalizer.process([message(typed)]))
    assert processed.get("crisis")["detected"] is True
    assert processed.get("crisis")["type"] == "violence"


def test_a_tv_plot_needs_the_higher_threshold_from_the_model_and_a_phrase_still_raises_it(tmp_path):
    eager = detector(tmp_path, model_threshold=0.0, override_threshold=1.01)  # the model alone would always fire
    (story,) = eager.process([message("刚刚看电视剧,里面那个老公把老婆打得满头血")])
    (danger,) = eager.process([message("看电视剧的时候他冲进来,现在他在打我")])
    (hers,) = eager.process([message("我在看电视剧,他突然过来打我")])  # no lexicon phrase: the model, unhindered
    assert story.get("crisis")["detected"] is False
    assert danger.get("crisis")["detected"] is True and hers.get("crisis")["detected"] is True
