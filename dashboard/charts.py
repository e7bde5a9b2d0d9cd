"""The dashboard's charts, laid out in Python and drawn as SVG by templates (no chart library).

Three shapes: columns (requests per month), horizontal bars (a breakdown by topic, status…)
and lines (the budget's burn against time). Coordinates are computed here; the templates only
write them, so every label is escaped by Django. Each chart sits next to a table holding the
same numbers, which is what screen readers read (the SVG is ``role="img"`` with a title).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.dateformat import format as date_format

from dashboard.figures import Breakdown, BurnPoint, Line


@dataclass(frozen=True)
class Column:
    line: Line
    x: float
    y: float
    width: float
    height: float
    label_x: float
    month: str  # "Jan", under the column
    year: str  # under January and the first column only


@dataclass(frozen=True)
class Columns:
    columns: list[Column]
    width: int
    height: int
    base_y: int
    show_every: int  # label every n-th column when there are many months


def columns(lines: list[Line], *, width: int = 640, height: int = 190) -> Columns:
    top, bottom, left, right = 22, 40, 8, 8
    base_y = height - bottom
    usable = base_y - top
    largest = max([line.count for line in lines] + [1])
    slot = (width - left - right) / max(len(lines), 1)
    bar = min(slot * 0.7, 56)
    result = []
    for index, line in enumerate(lines):
        h = usable * line.count / largest
        x = left + index * slot + (slot - bar) / 2
        month = datetime.date.fromisoformat(line.key)
        result.append(
            Column(
                line=line,
                x=x,
                y=base_y - h,
                width=bar,
                height=h,
                label_x=x + bar / 2,
                month=date_format(month, "M"),
                year=str(month.year) if index == 0 or month.month == 1 else "",
            )
        )
    return Columns(
        columns=result, width=width, height=height, base_y=base_y, show_every=max(1, -(-len(lines) // 12))
    )


@dataclass(frozen=True)
class Bar:
    line: Line
    y: float
    text_y: float
    width: float


@dataclass(frozen=True)
class Bars:
    bars: list[Bar]
    width: int
    height: int
    left: int
    bar_height: int


def bars(data: Breakdown, *, width: int = 520, label_width: int = 210) -> Bars:
    row, bar_height, top = 24, 14, 4
    room = width - label_width - 48  # the count is written after the bar
    largest = max(data.largest, 1)
    result = [
        Bar(
            line=line,
            y=top + index * row,
            text_y=top + index * row + bar_height - 2,
            width=room * line.count / largest,
        )
        for index, line in enumerate(data.lines)
    ]
    return Bars(
        bars=result, width=width, height=top + len(result) * row, left=label_width, bar_height=bar_height
    )


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Gridline:
    y: float
    amount: Decimal


@dataclass(frozen=True)
class Lines:
    planned: str  # SVG points
    spent: str
    used: str
    ticks: list[Tick]
    grid: list[Gridline]
    width: int
    height: int
    left: int
    right: int
    top: int
    base_y: int
    today_x: float | None


def burn(
    points: list[BurnPoint], *, elapsed_share: float | None = None, width: int = 640, height: int = 240
) -> Lines | None:
    if not points:
        return None
    left, right, top, bottom = 78, width - 12, 12, 30
    base_y = height - bottom
    largest = max([p.planned for p in points] + [Decimal(p.used or 0) for p in points] + [Decimal(1)])
    step = _nice_step(largest)
    top_amount = step * (int(largest / step) + (1 if largest % step else 0))

    def x_of(index: float) -> float:
        return left + (right - left) * index / len(points)

    def y_of(amount: Decimal) -> float:
        return base_y - (base_y - top) * float(amount / top_amount)

    def polyline(values) -> str:
        # Each quarter's figure is as at its end, so the line starts at 0 at the left edge.
        coords = [(x_of(0), y_of(Decimal(0)))]
        coords += [(x_of(i + 1), y_of(v)) for i, v in enumerate(values) if v is not None]
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)

    ticks = [Tick(x=x_of(i + 0.5 * 4), label=str(p.year)) for i, p in enumerate(points) if p.quarter == 1]
    grid = [Gridline(y=y_of(step * n), amount=step * n) for n in range(int(top_amount / step) + 1)]
    return Lines(
        planned=polyline([p.planned for p in points]),
        spent=polyline([p.spent for p in points]),
        used=polyline([p.used for p in points]),
        ticks=ticks,
        grid=grid,
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        base_y=base_y,
        today_x=x_of(len(points) * elapsed_share) if elapsed_share is not None else None,
    )


def _nice_step(largest: Decimal) -> Decimal:
    """A round gridline step giving 3–6 lines: 1, 2 or 5 times a power of ten."""
    magnitude = Decimal(10) ** (len(str(int(largest))) - 1)
    for factor in (Decimal("0.2"), Decimal("0.5"), Decimal(1), Decimal(2)):
        if largest / (magnitude * factor) <= 6:
            return magnitude * factor
    return magnitude * 5
