"""The Prometheus text format both services expose (assistant_contract.metrics_text)."""
import pytest

from assistant_contract.metrics_text import Registry


def test_counters_gauges_and_histograms_in_the_exposition_format():
    registry = Registry()
    calls = registry.counter("calls_total", "Calls", ("route",))
    calls.inc(route="/a")
    calls.inc(2, route='/b"x')
    registry.gauge("waiting", "Waiting", ("kind",), read=lambda: [({"kind": "requests"}, 3)])
    seconds = registry.histogram("seconds", "Time", buckets=(0.1, 1.0))
    seconds.observe(0.05)
    seconds.observe(0.5)
    text = registry.expose()
    assert "# TYPE calls_total counter" in text and 'calls_total{route="/a"} 1' in text
    assert 'calls_total{route="/b\\"x"} 2' in text
    assert 'waiting{kind="requests"} 3' in text
    assert 'seconds_bucket{le="0.1"} 1' in text and 'seconds_bucket{le="1"} 2' in text
    assert 'seconds_bucket{le="+Inf"} 2' in text and "seconds_count 2" in text and "seconds_sum 0.55" in text
    assert text.endswith("\n")


def test_a_gauge_that_cannot_be_read_leaves_the_rest():
    registry = Registry()
    registry.gauge("broken", "Broken", read=lambda: 1 / 0)
    registry.counter("fine_total", "Fine").inc()
    text = registry.expose()
    assert "fine_total 1" in text and "broken" not in text


def test_wrong_labels_and_falling_counters_are_refused():
    registry = Registry()
    counter = registry.counter("c_total", "C", ("a",))
    with pytest.raises(ValueError):
        counter.inc(b="x")
    with pytest.raises(ValueError):
        counter.inc(-1, a="x")
    with pytest.raises(ValueError):
        registry.counter("c_total", "again")
