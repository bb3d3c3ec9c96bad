from bot.bench import Targets, measure, missed, percentile, pipeline_measures


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
    assert figures["peak_rss_mb"] > 0 and figures["p95_cpu_ms"] >= 0


def test_the_issue_targets_are_the_defaults():
    assert Targets().training_cpu_seconds == 180 and Targets().p95_cpu_ms == 30 and Targets().server_rss_mb == 1200


def test_the_pipeline_figures_with_targets_are_read_from_training_speed_memory_and_server():
    pipeline = {"training": {"seconds": 600.0, "cpu_seconds": 170.0},
                "speed": {"load_seconds": 9.0, "p95_ms": 80.0, "p95_cpu_ms": 31.5, "max_ms": 90.0},
                "peak_rss_mb": 900.0, "server": {"after_messages": {"rss_mb": 1250.0, "peak_rss_mb": 1300.0}}}
    measures = pipeline_measures(pipeline)
    assert measures == {"training_cpu_seconds": 170.0, "load_seconds": 9.0, "p95_cpu_ms": 31.5, "max_ms": 90.0,
                        "peak_rss_mb": 900.0, "server_rss_mb": 1250.0}
    assert missed(measures, Targets()) == ["p95_cpu_ms 31.5 > 30.0", "server_rss_mb 1250.0 > 1200.0"]


def test_a_figure_that_was_not_measured_misses_no_target():
    assert missed(pipeline_measures({"speed": {"p95_ms": 100.0, "p95_cpu_ms": 10.0}}), Targets()) == []


def test_a_message_the_parser_cannot_read_is_counted_not_fatal():
    class OutOfMemoryOnLongText(SlowOnLongText):
        def parse(self, text):
            if len(text) > 512:
                raise MemoryError("attention over 20,000 tokens")
            return super().parse(text)

    figures = measure(lambda: OutOfMemoryOnLongText(), ["他" * 20_000, "你好", "谢谢"], warmup=2)
    assert figures["failed"] == 1 and figures["messages"] == 3
