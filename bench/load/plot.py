"""p95 latency against concurrent users, one line per system, as a PNG."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Dict, Mapping


def plot_p95(series: Mapping[str, Mapping[int, float]], labels: Mapping[str, str], path: Path,
             title: str = "p95 latency per turn against concurrent users") -> Path:
    """`series`: system -> users -> p95 in ms (NaN and missing levels are left out)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    drawn = 0
    for system, points in series.items():
        kept: Dict[int, float] = {u: v for u, v in sorted(points.items()) if v is not None and not math.isnan(v)}
        if not kept:
            continue
        axes.plot(list(kept), [v / 1000 for v in kept.values()], marker="o", label=labels.get(system, system))
        drawn += 1
    axes.set_xlabel("concurrent users (closed loop)")
    axes.set_ylabel("p95 latency (s)")
    axes.set_yscale("log")
    axes.set_title(title)
    axes.grid(True, which="both", alpha=0.3)
    if drawn:
        axes.legend(fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
