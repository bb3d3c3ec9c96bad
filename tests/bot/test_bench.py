from bot.bench import Targets, measure, missed, percentile, report


class SlowOnLongText:
    def __init__(self):
        self.closed = False

    def parse(self, text):
        return {"text": text, "intent": {"name": "greet"}}

    def close(self):
        self.closed = True


def test_percentile_of_a_small_sample():
    assert percentile([5, 1, 3, 2, 4], 0.5) == 3
    assert percentile([1, 2, 3, 4, 100], 0.95) == 100


def test_measure_times_every_message_and_closes_the_parser():
    parser = SlowOnLongText()
    figures = measure(lambda: parser, ["你好", "他" * 20_000, ""], warmup=1)
    assert figures["messages"] == 3 and parser.closed
    assert figures["median_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    assert figures["peak_rss_mb"] > 0


def test_a_missed_target_is_named_and_reported():
    figures = {"messages": 3, "load_seconds": 1.0, "median_ms": 10.0, "p95_ms": 400.0, "max_ms": 500.0,
               "per_second": 50.0, "peak_rss_mb": 900.0}
    assert missed(figures, Targets()) == ["p95_ms 400.0 > 150.0"]
    assert "| p95 per message (ms) | 400.0 | ≤ 150.0 |" in report(figures, Targets())
