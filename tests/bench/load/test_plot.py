import math

from bench.load.plot import plot_p95


def test_the_plot_is_a_png_and_skips_levels_that_were_not_measured(tmp_path):
    path = plot_p95({"bare": {1: 120.0, 20: 900.0}, "scaled": {1: math.nan}, "embedded": {}},
                    {"bare": "bare Rasa"}, tmp_path / "out" / "p95.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
