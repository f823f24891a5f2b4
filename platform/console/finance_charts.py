"""Geometry of the finance view's charts, drawn by console/_finance_chart.html
as inline SVG: no chart library and no script (the Content-Security-Policy
allows neither inline), and every chart is followed by a table with the same
figures for screen readers, printing and copying.

Values are rupiah; the value axis is labelled in millions. Geometry is the
only place floats appear: the amounts shown in titles and tables are the
integers the selectors returned."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format

from billing.money import rupiah
from core.charts import nice_ceiling

WIDTH = 640
HEIGHT = 240
LEFT = 56  # room for the value labels
RIGHT = 12
TOP = 14
BOTTOM = 30  # room for the category labels
TICKS = 4
MILLION = 1_000_000
SERIES_COLOURS = ("#0d5c4a", "#f2c14e", "#6c757d")


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str  # "<category>, <series>: Rp ..." (the SVG tooltip)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class Legend:
    x: float
    colour: str
    text: str

    @property
    def text_x(self) -> float:
        return self.x + 14


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right_x: int
    bottom_y: int
    tick_x: int
    label_y: int
    ticks: list[Tick]
    labels: list[Label]
    bars: list[Bar]
    points: list[Point]
    polyline: str
    legend: list[Legend]


def _nice_max(value: int) -> int:
    """A chart's top, at least Rp 1 million."""
    return int(nice_ceiling(max(value, MILLION)))


def _ticks(top: int) -> list[Tick]:
    plot = HEIGHT - TOP - BOTTOM
    return [
        Tick(
            y=round(TOP + plot - plot * step / TICKS, 1),
            label=number_format(top * step / TICKS / MILLION, decimal_pos=1, force_grouping=True),
        )
        for step in range(TICKS + 1)
    ]


def _height(value: int, top: int) -> float:
    return (HEIGHT - TOP - BOTTOM) * max(0, min(value, top)) / top


def _labels(categories: Sequence[str], slot: float) -> list[Label]:
    # At most 8 labels: twelve "MM/YYYY" labels touch each other across the chart.
    every = max(1, -(-len(categories) // 8))
    return [
        Label(x=round(LEFT + i * slot + slot / 2, 1), text=text)
        for i, text in enumerate(categories)
        if i % every == 0
    ]


def _legend(names: Sequence[str]) -> list[Legend]:
    if len(names) < 2:
        return []
    return [
        Legend(x=LEFT + i * 180, colour=SERIES_COLOURS[i % len(SERIES_COLOURS)], text=name)
        for i, name in enumerate(names)
    ]


def _chart(
    categories: Sequence[str],
    ticks: list[Tick],
    bars: list[Bar],
    points: list[Point],
    names: Sequence[str],
) -> Chart:
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_x=WIDTH - RIGHT,
        bottom_y=HEIGHT - BOTTOM,
        tick_x=LEFT - 6,
        label_y=HEIGHT - BOTTOM + 16,
        ticks=ticks,
        labels=_labels(categories, slot),
        bars=bars,
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        legend=_legend(names),
    )


def bar_chart(
    categories: Sequence[str], series: Sequence[Sequence[int]], names: Sequence[str]
) -> Chart:
    """Bars side by side per category, one per series (values in rupiah;
    negative ones are drawn as nothing, and shown as they are in the table)."""
    top = _nice_max(max((v for values in series for v in values), default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    group = slot * 0.7
    width = group / max(len(series), 1)
    bars = []
    for s, values in enumerate(series):
        for i, value in enumerate(values):
            height = _height(value, top)
            x = LEFT + i * slot + (slot - group) / 2 + s * width
            title = f"{categories[i]}: {rupiah(value)}"
            if len(series) > 1:
                title = f"{categories[i]}, {names[s]}: {rupiah(value)}"
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(TOP + (HEIGHT - TOP - BOTTOM) - height, 1),
                    width=round(width * 0.92, 1),
                    height=round(height, 1),
                    colour=SERIES_COLOURS[s % len(SERIES_COLOURS)],
                    title=title,
                )
            )
    return _chart(categories, _ticks(top), bars, [], names)


def line_chart(categories: Sequence[str], values: Sequence[int | None]) -> Chart:
    """A line through the values; a category without one (a month still to
    come) is left out of the line."""
    top = _nice_max(max((v for v in values if v is not None), default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    points = [
        Point(
            x=round(LEFT + i * slot + slot / 2, 1),
            y=round(TOP + (HEIGHT - TOP - BOTTOM) - _height(value, top), 1),
            title=f"{categories[i]}: {rupiah(value)}",
        )
        for i, value in enumerate(values)
        if value is not None
    ]
    return _chart(categories, _ticks(top), [], points, [])
