"""Test-set figures: both file formats, and the per-writer breakdown of the blind set."""
from bot.evaluation import Example, load_examples, predict, score, summary_markdown
from bot.taxonomy import load_taxonomy
from tests.conftest import PROJECT_ROOT


class ScriptedParser:
    """Answers each text with the intent it was given; crisis when the intent is one."""

    def __init__(self, answers):
        self._answers = answers

    def parse(self, text):
        intent = self._answers[text]
        return {"intent": {"name": intent, "confidence": 0.9}, "intent_ranking": [{"name": intent, "confidence": 0.9}],
                "crisis": {"detected": intent.startswith("crisis_")}}


def test_the_blind_set_is_read_with_its_kinds_of_writers():
    examples = load_examples(PROJECT_ROOT / "tests" / "data" / "blind_nlu.yml")
    assert len(examples) >= 400
    assert {"pinyin", "cantonese", "traditional", "english_mixed", "short", "long"} <= {e.writer for e in examples}
    taxonomy = load_taxonomy()
    assert all(e.intent in taxonomy for e in examples)


def test_rasa_nlu_files_are_read_without_writers():
    examples = load_examples(PROJECT_ROOT / "tests" / "data" / "heldout_nlu.yml")
    assert examples and all(e.writer is None for e in examples)


def test_figures_per_writer_count_each_kind_separately():
    examples = [Example("wo lao gong da wo", "crisis_violence", "pinyin"),
                Example("lihun hou haizi gui shui", "legal_divorce", "pinyin"),
                Example("點樣申請創業貸款", "startup_finance", "cantonese")]
    answers = {"wo lao gong da wo": "greet", "lihun hou haizi gui shui": "legal_divorce",
               "點樣申請創業貸款": "startup_finance"}
    figures = score(predict(ScriptedParser(answers), examples), load_taxonomy())
    assert figures["writers"]["pinyin"] == {"messages": 2, "category_accuracy": 0.5, "intent_accuracy": 0.5,
                                            "crisis_messages": 1, "crisis_recall": 0.0}
    assert figures["writers"]["cantonese"]["category_accuracy"] == 1.0
    assert figures["crisis"]["missed"] == ["wo lao gong da wo"]
    assert {"text": "wo lao gong da wo", "expected": "crisis_violence", "predicted": "greet", "confidence": 0.9,
            "writer": "pinyin"} in figures["errors"]
    table = summary_markdown(figures, "Blind messages")
    assert table.startswith("Blind messages: 3") and "| pinyin | 2 | 50.0% | 50.0% | 0% of 1 |" in table
