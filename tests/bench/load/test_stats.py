import math
import random

import numpy
import pytest

from bench.load.stats import TurnResult, error_class, percentile, summarise


def turn(seconds, error="", started=0.0, kind="faq", user=0):
    return TurnResult(user=user, sender=f"s{user}", conversation="c", kind=kind, started=started, seconds=seconds,
                      status=200 if not error else 500, messages=0 if error else 1, error=error)


def test_percentile_interpolates_like_numpy():
    generator = random.Random(7)
    for size in (1, 2, 3, 10, 101, 1000):
        values = [generator.expovariate(1.0) for _ in range(size)]
        for share in (0.0, 0.5, 0.95, 0.99, 1.0):
            assert percentile(values, share) == pytest.approx(numpy.percentile(values, share * 100))


def test_percentile_of_nothing_is_not_a_number_and_shares_are_checked():
    assert math.isnan(percentile([], 0.5))
    with pytest.raises(ValueError):
        percentile([1.0], 1.5)


def test_summary_counts_failed_turns_in_latency_but_not_in_throughput():
    turns = [turn(0.1, started=0.0), turn(0.2, started=0.1), turn(30.0, error="timeout: no reply within 30 s",
                                                                   started=0.3)]
    figures = summarise(2, turns, window_seconds=10.0)
    assert (figures.turns, figures.ok, figures.errors) == (3, 2, 1)
    assert figures.throughput == 0.2  # two successful turns in ten seconds
    assert figures.max_ms == 30000.0 and figures.p99_ms > 29000  # the timeout is not hidden
    assert figures.errors_by_class == {"timeout": 1}
    assert figures.error_rate == pytest.approx(1 / 3)


def test_window_defaults_to_the_last_reply():
    figures = summarise(1, [turn(1.0, started=0.0), turn(1.0, started=1.0)])
    assert figures.window_seconds == 2.0 and figures.throughput == 1.0


def test_p95_is_given_per_kind_of_turn():
    figures = summarise(1, [turn(0.1, kind="faq"), turn(2.0, kind="handoff")], window_seconds=1)
    assert figures.p95_ms_by_kind == {"faq": 100.0, "handoff": 2000.0}


def test_error_classes_group_by_their_head():
    assert error_class("HTTP 500: boom: more") == "HTTP 500"
    assert error_class("empty reply: no message came back") == "empty reply"
    assert error_class("") == ""
