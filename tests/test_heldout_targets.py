"""The figures the issue sets, measured on the held-out messages (never trained on)."""
import pytest

from bot.evaluation import load_examples, predict, score
from bot.taxonomy import load_taxonomy
from tests.conftest import HELDOUT_FILE


@pytest.fixture(scope="module")
def figures(model_parser):
    return score(predict(model_parser, load_examples(HELDOUT_FILE)), load_taxonomy())


def test_category_accuracy_is_at_least_95_percent(figures):
    assert figures["category"]["accuracy"] >= 0.95


def test_intent_accuracy_is_at_least_90_percent(figures):
    assert figures["intent"]["accuracy"] >= 0.90


def test_every_crisis_message_is_caught(figures):
    assert figures["crisis"]["missed"] == []


def test_false_alarms_stay_at_most_3_percent(figures):
    assert figures["crisis"]["false_alarm_rate"] <= 0.03, figures["crisis"]["false_alarms"]
