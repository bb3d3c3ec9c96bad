from bot.bench import Targets
from bot.bench_report import comparison_markdown

ACCURACY = {"heldout": {"messages": 385, "category_accuracy": 0.956, "intent_accuracy": 0.927, "crisis_recall": 1.0,
                        "false_alarm_rate": 0.009, "writers": {}},
            "blind": {"messages": 521, "category_accuracy": 0.962, "intent_accuracy": 0.917, "crisis_recall": 1.0,
                      "false_alarm_rate": 0.013, "writers": {"teen": {"messages": 33, "category_accuracy": 0.879,
                                                                       "intent_accuracy": 0.848}}}}
SPEED = {"messages": 390, "load_seconds": 9.0, "median_ms": 8.0, "p95_ms": 20.0, "p95_cpu_ms": 12.0, "max_ms": 100.0,
         "per_second": 90.0}
FIGURES = {
    "date": "2026-11-30 21:00 UTC", "load_average_before": 9.5, "load_average_after": 8.0,
    "pipeline": {"training": {"seconds": 400.0, "cpu_seconds": 150.0, "peak_rss_mb": 1500.0, "what": "rasa train", "epochs": None,
                              "epoch_seconds": None},
                 "speed": SPEED, "accuracy": ACCURACY, "peak_rss_mb": 800.0,
                 "server": {"messages": 1000, "seconds": 60.0, "failed": 0, "after_load": {"rss_mb": 700.0},
                            "after_messages": {"rss_mb": 1300.0, "peak_rss_mb": 1310.0}}},
    "baseline": {"training_seconds": 40.0, "speed": SPEED, "accuracy": ACCURACY, "peak_rss_mb": 300.0},
    "stock": {"training": {"seconds": 620.0, "cpu_seconds": 1100.0, "peak_rss_mb": 2000.0, "what": "rasa train nlu", "epochs": 15,
                           "epoch_seconds": 40.2}, "speed": SPEED, "accuracy": ACCURACY, "peak_rss_mb": 1200.0},
}


def test_the_comparison_has_one_row_per_contestant_in_a_fixed_order():
    text = comparison_markdown(FIGURES, Targets(), [])
    rows = [line for line in text.splitlines() if line.startswith("| this") or line.startswith("| Rasa")
            or line.startswith("| char")]
    assert [row.split(" | ")[0] for row in rows] == ["| this project's pipeline", "| Rasa stock Chinese pipeline",
                                                    "| char 1–3 TF-IDF + logistic regression"]
    assert "15 epochs, 40.2 s/epoch" in rows[1] and "| 96.2% |" in rows[0] and "| 40 s |" in rows[2]


def test_each_target_says_whether_it_was_met_and_missed_targets_are_listed():
    text = comparison_markdown(FIGURES, Targets(), ["server_rss_mb 1300.0 > 1200.0"])
    assert "| training from scratch, CPU time (s) | 150.0 | ≤ 180.0 | yes |" in text
    assert "load average of 9.5 before" in text and "training 400 s" in text
    assert "resident memory (MB) | 1300.0 | ≤ 1200.0 | NO |" in text
    assert "Target missed: server_rss_mb 1300.0 > 1200.0" in text
    assert "| teen | 33 | 87.9% | 84.8% |" in text


def test_without_the_stock_pipeline_its_row_is_left_out():
    figures = {key: value for key, value in FIGURES.items() if key != "stock"}
    assert "Rasa stock" not in comparison_markdown(figures, Targets(), []).split("## This project")[0]
