"""Chart geometry for inline SVG: the templates draw rectangles, no script or CDN needed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Dict, List, Sequence, Tuple

WIDTH = 640
HEIGHT = 220
LEFT = 36
BOTTOM = 28
TOP = 10


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str
    value: int = 0


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: List[Rect]
    ticks: List[Tuple[float, str]]  # x position, label (columns) or y position, label (bars)
    maximum: int


def stacked_columns(days: Sequence[date], values: Dict[date, Dict[str, int]], order: Sequence[str],
                    titles: Dict[str, str]) -> Chart:
    """One column per day, stacked by category."""
    maximum = max([sum(values.get(day, {}).values()) for day in days] + [1])
    slot = (WIDTH - LEFT) / max(len(days), 1)
    scale = (HEIGHT - BOTTOM - TOP) / maximum
    rects, ticks = [], []
    every = max(1, len(days) // 8)
    for index, day in enumerate(days):
        x = LEFT + index * slot + slot * 0.15
        y = HEIGHT - BOTTOM
        for code in order:
            count = values.get(day, {}).get(code, 0)
            if count:
                height = count * scale
                y -= height
                rects.append(Rect(round(x, 1), round(y, 1), round(slot * 0.7, 1), round(height, 1), f"swatch-{code}",
                                  f"{day.month}月{day.day}日 {titles.get(code, code)}：{count}"))
        if index % every == 0:
            ticks.append((round(x + slot * 0.35, 1), f"{day.month}/{day.day}"))
    return Chart(WIDTH, HEIGHT, rects, ticks, maximum)


def horizontal_bars(items: Sequence[Tuple[str, int]], css: str = "bar") -> Chart:
    row = 26
    height = max(len(items), 1) * row + TOP
    maximum = max([value for _, value in items] + [1])
    # Wide enough for the longest label (a county such as 广东省佛山市顺德区 is not cut), within reason.
    label_width = min(300, max(60, 13 * max([len(label) for label, _ in items] + [0]) + 10))
    scale = (WIDTH - label_width - 50) / maximum
    rects, ticks = [], []
    for index, (label, value) in enumerate(items):
        y = TOP + index * row
        rects.append(Rect(label_width, y, round(max(value * scale, 1), 1), row - 8, css, f"{label}：{value}", value))
        ticks.append((y + row / 2, label))
    return Chart(WIDTH, height, rects, ticks, maximum)
