"""A Gantt-like timeline of projects and milestones, laid out here and drawn as SVG by a template.

No JavaScript and no chart library: the coordinates are computed server-side, the template
writes them (so every text is escaped by Django), and the page puts a table beside the
picture for screen readers. The range always covers the mandate (to 31 December 2027).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from projects.models import MANDATE_END, Project, ProjectStatus

WIDTH = 1000
LABEL_WIDTH = 260
RIGHT_PAD = 16
HEADER = 44
ROW = 40
BAR = 16
FOOTER = 12
FIRST_YEAR = 2025  # the strategy's funds were agreed on 21 November 2024; work starts 2025


@dataclass
class MilestoneMark:
    title: str
    date: datetime.date
    x: float
    done: bool
    late: bool
    after_mandate: bool
    y: float = 0.0

    @property
    def points(self) -> str:
        size = 7
        y = self.y
        return (
            f"{self.x:.1f},{y - size} {self.x + size:.1f},{y} {self.x:.1f},{y + size} {self.x - size:.1f},{y}"
        )


@dataclass
class Row:
    project: Project
    y: float
    bar_x: float | None = None
    bar_width: float = 0.0
    open_ended: bool = False
    after_mandate: bool = False
    milestones: list[MilestoneMark] = field(default_factory=list)

    @property
    def text_y(self) -> float:
        return self.y + ROW / 2 + 5

    @property
    def bar_y(self) -> float:
        return self.y + (ROW - BAR) / 2

    @property
    def mid_y(self) -> float:
        return self.y + ROW / 2


@dataclass
class Tick:
    x: float
    label: str
    year_start: bool


@dataclass
class Timeline:
    start: datetime.date
    end: datetime.date
    rows: list[Row]
    ticks: list[Tick]
    today_x: float | None
    mandate_x: float
    width: int = WIDTH
    height: int = 0
    chart_left: int = LABEL_WIDTH
    chart_right: int = WIDTH - RIGHT_PAD

    @property
    def chart_bottom(self) -> float:
        return self.height - FOOTER

    @property
    def empty_text_y(self) -> float:
        return HEADER + ROW / 2 + 5


def build(projects: list[Project], today: datetime.date) -> Timeline:
    """Lay out ``projects`` (with their milestones prefetched) from January of the first year shown."""
    dates = [today]
    for project in projects:
        dates += [d for d in (project.planned_start, project.planned_end, project.started_on) if d]
        dates += [m.due_date for m in project.milestones.all()]
    start = datetime.date(min(FIRST_YEAR, *(d.year for d in dates)), 1, 1)
    end = datetime.date(max(MANDATE_END.year, *(d.year for d in dates)), 12, 31)
    span = (end - start).days + 1
    chart_left, chart_right = LABEL_WIDTH, WIDTH - RIGHT_PAD

    def x_of(day: datetime.date) -> float:
        return chart_left + (day - start).days / span * (chart_right - chart_left)

    ticks = []
    for year in range(start.year, end.year + 1):
        for month in (1, 7):
            ticks.append(
                Tick(
                    x=x_of(datetime.date(year, month, 1)),
                    label=str(year) if month == 1 else "",
                    year_start=month == 1,
                )
            )

    rows = []
    for index, project in enumerate(projects):
        row = Row(project=project, y=HEADER + index * ROW)
        begin = project.started_on or project.planned_start
        finish = (
            project.finished_on
            if project.status in (ProjectStatus.COMPLETED, ProjectStatus.STOPPED)
            else None
        )
        finish = finish or project.planned_end
        if begin:
            row.open_ended = finish is None
            finish = finish or end
            row.bar_x = x_of(begin)
            row.bar_width = max(x_of(finish) - row.bar_x, 3.0)
            row.after_mandate = project.ends_after_mandate
        for milestone in project.milestones.all():
            mark = MilestoneMark(
                title=milestone.title,
                date=milestone.due_date,
                x=x_of(milestone.due_date),
                done=milestone.done_date is not None,
                late=milestone.is_overdue(today),
                after_mandate=milestone.after_mandate,
            )
            mark.y = row.mid_y
            row.milestones.append(mark)
        rows.append(row)

    height = HEADER + max(len(rows), 1) * ROW + FOOTER
    return Timeline(
        start=start,
        end=end,
        rows=rows,
        ticks=ticks,
        today_x=x_of(today) if start <= today <= end else None,
        mandate_x=x_of(MANDATE_END + datetime.timedelta(days=1)),
        height=height,
    )
