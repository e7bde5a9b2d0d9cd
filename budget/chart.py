"""The report's bar chart, laid out in Python and drawn as SVG by a template (no chart library).

One row per year: a pale bar for the allocation, and inside it a dark bar for what is spent
followed by a mid-tone bar for open commitments, so "how much is left" is the pale part on the
right. A year over its allocation draws past the allocation's end, with a red outline. The
scale is shared by all rows, so years compare by length. The same figures are in the table
beside the chart, for screen readers and for anyone who wants the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budget.reports import Figures

LABEL_WIDTH = 70
BAR_WIDTH = 520
ROW_HEIGHT = 44
BAR_HEIGHT = 22
TOP = 10
BOTTOM = 34


@dataclass(frozen=True)
class Bar:
    year: int
    figures: Figures
    y: int
    text_y: int
    allocated_width: float
    spent_width: float
    committed_x: float
    committed_width: float
    over: bool


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    left: int
    axis_y: int


def build(rows: list[tuple[int, Figures]]) -> Chart:
    largest = max([max(f.allocated or 0, f.used) for _, f in rows] + [Decimal(1)])
    per_krone = BAR_WIDTH / float(largest)
    bars = []
    for index, (year, figures) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        spent = max(float(figures.spent), 0.0) * per_krone
        committed = max(float(figures.committed), 0.0) * per_krone
        bars.append(
            Bar(
                year=year,
                figures=figures,
                y=y,
                text_y=y + BAR_HEIGHT // 2 + 5,
                allocated_width=float(figures.allocated or 0) * per_krone,
                spent_width=spent,
                committed_x=LABEL_WIDTH + spent,
                committed_width=committed,
                over=figures.over,
            )
        )
    axis_y = TOP + len(rows) * ROW_HEIGHT
    return Chart(
        bars=bars,
        width=LABEL_WIDTH + BAR_WIDTH + 20,
        height=axis_y + BOTTOM,
        left=LABEL_WIDTH,
        axis_y=axis_y,
    )
