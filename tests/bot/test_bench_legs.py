import json
from pathlib import Path

from bot.bench_legs import accuracy, contest, main, totals

HELDOUT = 'nlu:\n- intent: greet\n  examples: |\n    - 你好\n    - 早上好\n- intent: crisis_violence\n  examples: |\n    - 他在打我\n'


class Keyword:
    """Greets unless it reads 打, which it calls violence."""

    closed = False

    def parse(self, text):
        violent = "打" in text
        return {"intent": {"name": "crisis_violence" if violent else "greet", "confidence": 0.9},
                "crisis": {"detected": violent}}

    def close(self):
        self.closed = True


def test_accuracy_gives_totals_for_each_test_file_that_exists(tmp_path: Path):
    heldout = tmp_path / "heldout.yml"
    heldout.write_text(HELDOUT, encoding="utf-8")
    figures = accuracy(Keyword(), {"heldout": heldout, "blind": tmp_path / "missing.yml"})
    assert list(figures) == ["heldout"]
    assert figures["heldout"]["category_accuracy"] == 1.0 and figures["heldout"]["crisis_recall"] == 1.0
    assert "errors" not in figures["heldout"]


def test_totals_keep_no_message():
    figures = {"examples": 2, "category": {"accuracy": 0.5}, "intent": {"accuracy": 0.5},
               "crisis": {"recall": None, "false_alarm_rate": 0.0, "missed": ["秘密"], "false_alarms": []},
               "writers": {"teen": {"messages": 2, "category_accuracy": 0.5, "intent_accuracy": 0.5,
                                    "crisis_messages": 0, "crisis_recall": None}},
               "errors": [{"text": "秘密"}]}
    assert "秘密" not in json.dumps(totals(figures), ensure_ascii=False)


def test_a_contest_builds_once_then_measures_speed_accuracy_and_memory(tmp_path: Path):
    heldout = tmp_path / "heldout.yml"
    heldout.write_text(HELDOUT, encoding="utf-8")
    built = []
    figures = contest(lambda: built.append(Keyword()) or built[-1], {"heldout": heldout}, ["你好", "他在打我"])
    assert len(built) == 1 and built[0].closed
    assert figures["speed"]["messages"] == 2 and figures["peak_rss_mb"] > 0
    assert figures["accuracy"]["heldout"]["intent_accuracy"] == 1.0


def test_the_baseline_leg_trains_and_writes_its_figures(tmp_path: Path):
    training = tmp_path / "nlu"
    training.mkdir()
    (training / "t.yml").write_text(HELDOUT.replace("他在打我", "他在打我啊\n    - 他又在打我"), encoding="utf-8")
    heldout = tmp_path / "heldout.yml"
    heldout.write_text(HELDOUT, encoding="utf-8")
    out = tmp_path / "baseline.json"
    assert main(["baseline", "--training", str(training), "--heldout", str(heldout), "--out", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["training_seconds"] >= 0 and figures["accuracy"]["heldout"]["messages"] == 3
