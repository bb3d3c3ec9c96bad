from bench.load.stats import LevelFigures
from bench.load.targets import Targets, as_figures, check


def level(users, throughput, p95, errors=0, turns=100):
    return LevelFigures(users=users, turns=turns, ok=turns - errors, errors=errors, window_seconds=60,
                        throughput=throughput, p50_ms=p95 / 2, p95_ms=p95, p99_ms=p95 * 1.2, max_ms=p95 * 2)


def verdicts(figures):
    return {v.target: v for v in check(figures)}


def test_the_full_pipeline_meets_both_ratios_at_20_users():
    found = verdicts({"bare": {20: level(20, 10.0, 1000)}, "embedded": {20: level(20, 8.0, 1250)}})
    assert found["embedded: throughput at 20 users vs bare"].met is True
    assert found["embedded: p95 at 20 users vs bare"].met is True
    assert found["scaled: throughput at 20 users vs bare"].met is None


def test_a_slower_pipeline_misses_and_says_by_how_much():
    found = verdicts({"bare": {20: level(20, 10.0, 1000)}, "embedded": {20: level(20, 7.9, 1260)}})
    assert found["embedded: throughput at 20 users vs bare"].met is False
    assert found["embedded: throughput at 20 users vs bare"].measured.startswith("0.79×")
    assert found["embedded: p95 at 20 users vs bare"].met is False


def test_the_scaled_deployment_must_serve_100_users_without_errors():
    assert verdicts({"scaled": {100: level(100, 5, 100)}})["scaled: errors at 100 users"].met is True
    missed = verdicts({"scaled": {100: level(100, 5, 100, errors=1)}})["scaled: errors at 100 users"]
    assert missed.met is False and missed.measured == "1 of 100 turns"
    assert verdicts({"scaled": {100: level(100, 0, 0, turns=0)}})["scaled: errors at 100 users"].met is None


def test_targets_can_be_given_and_rows_become_figures():
    figures = as_figures({"bare": [level(20, 10.0, 1000)], "embedded": [level(20, 5.0, 1000)]})
    found = {v.target: v for v in check(figures, Targets(min_throughput_ratio=0.5))}
    assert found["embedded: throughput at 20 users vs bare"].met is True
