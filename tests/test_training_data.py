"""The training data and the held-out set are what the issue promises."""
import glob
import re

import pytest

from bot.evaluation import load_examples
from bot.taxonomy import load_taxonomy
from nlu.text import normalize, traditional_to_simplified
from tests.conftest import HELDOUT_FILE, PROJECT_ROOT

CANTONESE = re.compile(r"[佢咗嘅啲喺冇唔睇嘢俾咩嚟㗎咁]|点算|返工|打机|係")


@pytest.fixture(scope="module")
def training():
    return [e for path in sorted(glob.glob(str(PROJECT_ROOT / "data/nlu/*.yml"))) for e in load_examples(path)]


@pytest.fixture(scope="module")
def heldout():
    return load_examples(HELDOUT_FILE)


def trigrams(text):
    text = re.sub(r"\W", "", normalize(text))
    return {text[i : i + 3] for i in range(max(1, len(text) - 2))}


def test_at_least_1500_distinct_training_messages(training):
    texts = [e.text for e in training]
    assert len(set(texts)) == len(texts) >= 1500


def test_no_message_is_labelled_twice(training):
    labels = {}
    for e in training:
        labels.setdefault(normalize(e.text), set()).add(e.intent)
    assert {t: i for t, i in labels.items() if len(i) > 1} == {}


def test_every_intent_has_examples_and_no_unknown_intent_is_used(training):
    taxonomy = load_taxonomy()
    counts = {}
    for e in training:
        counts[e.intent] = counts.get(e.intent, 0) + 1
    assert set(counts) == set(taxonomy.intent_names)
    assert min(counts.values()) >= 35


def test_registers_include_cantonese_traditional_and_long_narratives(training):
    to_simplified = traditional_to_simplified()
    share = lambda predicate: sum(1 for e in training if predicate(e.text)) / len(training)  # noqa: E731
    assert share(lambda t: CANTONESE.search(t)) >= 0.05
    assert share(lambda t: to_simplified(t) != t) >= 0.05
    assert share(lambda t: len(t) >= 60) >= 0.08


def test_heldout_is_big_enough_and_uses_known_intents(heldout):
    assert len(heldout) >= 300
    assert {e.intent for e in heldout} <= set(load_taxonomy().intent_names)
    assert sum(1 for e in heldout if e.intent.startswith("crisis_")) >= 40


def test_heldout_never_repeats_a_training_message(training, heldout):
    train_grams = [trigrams(e.text) for e in training]
    too_close = []
    for e in heldout:
        grams = trigrams(e.text)
        best = max(len(grams & g) / len(grams | g) for g in train_grams)
        if best > 0.6:
            too_close.append(e.text)
    assert too_close == []
