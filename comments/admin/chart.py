"""The overview chart's geometry, worked out here so the template only draws it.

One row of bars per series (small multiples), each row scaled to its own busiest day, so
a quiet series stays readable beside a busy one; every row prints its total and peak.
Pure functions: no database, no request.
"""

from dataclasses import dataclass
from datetime import date

from comments.selectors.moderation import DailyOverview

WIDTH = 720
LABEL_WIDTH = 130
TOTAL_WIDTH = 110
ROW_HEIGHT = 52
BAR_SPACE = 38
TOP = 8
AXIS_HEIGHT = 26
BAR_FILL = 0.7  # share of each day's slot the bar covers


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: date
    count: int


@dataclass(frozen=True)
class Row:
    label: str
    description: str
    total: int
    peak: int
    label_y: float
    baseline: float
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    x: float
    day: date


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    total_x: int
    axis_y: float
    rows: list[Row]
    ticks: list[Tick]


def overview_chart(overview: DailyOverview) -> Chart:
    """The bars, labels and ticks of ``overview``, in SVG user units."""
    plot_left = LABEL_WIDTH
    plot_right = WIDTH - TOTAL_WIDTH
    slot = (plot_right - plot_left) / max(len(overview.days), 1)
    rows = []
    for index, series in enumerate(overview.series):
        top = TOP + index * ROW_HEIGHT
        baseline = top + BAR_SPACE
        scale = BAR_SPACE / series.peak if series.peak else 0
        bars = []
        for day_index, (day, count) in enumerate(zip(overview.days, series.counts, strict=True)):
            if not count:
                continue
            height = round(max(count * scale, 1.0), 2)
            bars.append(
                Bar(
                    x=round(plot_left + day_index * slot + slot * (1 - BAR_FILL) / 2, 2),
                    y=round(baseline - height, 2),
                    width=round(slot * BAR_FILL, 2),
                    height=height,
                    day=day,
                    count=count,
                )
            )
        rows.append(
            Row(
                label=str(series.label),
                description=str(series.description),
                total=series.total,
                peak=series.peak,
                label_y=baseline - BAR_SPACE / 2,
                baseline=baseline,
                bars=bars,
            )
        )
    axis_y = TOP + len(rows) * ROW_HEIGHT + AXIS_HEIGHT / 2
    last = len(overview.days) - 1
    ticks = [
        Tick(x=round(plot_left + i * slot + slot / 2, 2), day=overview.days[i])
        for i in sorted({0, last // 2, last})
        if overview.days
    ]
    return Chart(
        width=WIDTH,
        height=int(TOP + len(rows) * ROW_HEIGHT + AXIS_HEIGHT),
        plot_left=plot_left,
        plot_right=plot_right,
        total_x=plot_right + 10,
        axis_y=axis_y,
        rows=rows,
        ticks=ticks,
    )
