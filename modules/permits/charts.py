"""Geometry of the dashboards' bar and line charts, drawn by the templates as
inline SVG: no chart library, no script, nothing the Content-Security-Policy
blocks, and each chart comes with its table for screen readers and printing."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

from core.charts import nice_ceiling

WIDTH = 640
HEIGHT = 220
LEFT = 48  # room for the value axis labels
RIGHT = 12
TOP = 12
BOTTOM = 28  # room for the category labels
TICKS = 4

Number = int | float | Decimal


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Mark:
    x: float  # bar's left edge, or a point's centre
    y: float
    width: float
    height: float
    label: str
    value: str
    centre: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    bottom_y: float
    right_x: float
    tick_x: int  # right edge of the value labels
    label_y: float  # baseline of the category labels
    ticks: list[Tick]
    marks: list[Mark]
    polyline: str  # for line charts; "" for bars
    label_every: int  # print every n-th category label, so they do not overlap


def _tick_label(value: float, *, decimals: int) -> str:
    # In the active language's notation (1.234,5 in Indonesian, 1,234.5 in English).
    return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def _layout(
    points: Sequence[tuple[str, Number | None]], *, y_max: float | None, decimals: int
) -> tuple[float, float, float, list[Tick]]:
    values = [float(value) for _, value in points if value is not None]
    top_value = y_max if y_max is not None else nice_ceiling(max(values, default=0.0))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    ticks = [
        Tick(
            y=TOP + plot_height - plot_height * step / TICKS,
            label=_tick_label(top_value * step / TICKS, decimals=decimals),
        )
        for step in range(TICKS + 1)
    ]
    return top_value, plot_height, slot, ticks


def _format(value: Number | None, decimals: int) -> str:
    if value is None:
        return "\u2013"  # an en dash: no value
    return _tick_label(float(value), decimals=decimals)


def bar_chart(
    points: Sequence[tuple[str, Number | None]], *, decimals: int = 0, y_max: float | None = None
) -> Chart:
    top_value, plot_height, slot, ticks = _layout(points, y_max=y_max, decimals=decimals)
    marks = []
    for position, (label, value) in enumerate(points):
        height = plot_height * min(float(value or 0), top_value) / top_value
        bar_width = slot * 0.7
        x = LEFT + position * slot + (slot - bar_width) / 2
        marks.append(
            Mark(
                x=round(x, 1),
                y=round(TOP + plot_height - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                label=label,
                value=_format(value, decimals),
                centre=round(x + bar_width / 2, 1),
            )
        )
    return _chart(marks, ticks, polyline="", count=len(points))


def line_chart(
    points: Sequence[tuple[str, Number | None]],
    *,
    decimals: int = 1,
    y_max: float | None = None,
) -> Chart:
    """Points with no value (a month without data) break nothing: they are left
    out of the line and shown as a dash in the table."""
    top_value, plot_height, slot, ticks = _layout(points, y_max=y_max, decimals=decimals)
    marks = []
    for position, (label, value) in enumerate(points):
        centre = LEFT + position * slot + slot / 2
        if value is None:
            marks.append(Mark(centre, -1, 0, 0, label, _format(None, decimals), round(centre, 1)))
            continue
        y = TOP + plot_height - plot_height * min(float(value), top_value) / top_value
        marks.append(
            Mark(
                x=round(centre, 1),
                y=round(y, 1),
                width=0,
                height=0,
                label=label,
                value=_format(value, decimals),
                centre=round(centre, 1),
            )
        )
    polyline = " ".join(f"{mark.x},{mark.y}" for mark in marks if mark.y >= 0)
    return _chart(marks, ticks, polyline=polyline, count=len(points))


def _chart(marks: list[Mark], ticks: list[Tick], *, polyline: str, count: int) -> Chart:
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        bottom_y=HEIGHT - BOTTOM,
        right_x=WIDTH - RIGHT,
        tick_x=LEFT - 6,
        label_y=HEIGHT - BOTTOM + 16,
        ticks=ticks,
        marks=marks,
        polyline=polyline,
        label_every=max(1, -(-count // 12)),
    )
