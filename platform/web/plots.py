"""Small SVG plots for the reports, drawn on the server: no script, so the pages' CSP stays
strict and the plots print and screenshot as they are.

    histogram(values, bins=10, lo=0, hi=100, title=..., x_label=...)   one bar per bin
    bar_chart(labels, values, title=..., y_label=...)                  one bar per label
    scatter(points, title=..., x_label=..., y_label=..., log_y=True)   one circle per point

Each returns an `<svg>` element as a string: axes with ticks and labels, and a `<title>` in
every mark (bar, point) that the browser shows on hover. Every text is escaped here, so the
markup is safe to put in a page as it is. Styling is by attributes (and `iv-plot-*` classes the
stylesheet may refine). Django-free.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 520, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 40, 52
BAR = "#0b5cad"
POINT = "#0b5cad"
AXIS = "#59636e"
GRID = "#e7eaee"
REFERENCE = "#c62828"
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # what hovering the point says, before its coordinates


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _num(value: float) -> str:
    """A short label for a number: 12, 0.5, 33.3."""
    if math.isclose(value, round(value)):
        return str(round(value))
    return f"{value:.2g}" if abs(value) < 1 else f"{value:.1f}"


def nice_ticks(high: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Round tick values from 0 to at least `high` (about `count` of them); whole numbers
    only with `integer` (counts)."""
    if high <= 0:
        return [0.0, 1.0]
    raw = high / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1.0, math.ceil(step))
    ticks = [0.0]
    while ticks[-1] < high - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


class _Frame:
    """The plot area and the mapping from data to pixels."""

    def __init__(self, x_range: tuple[float, float], y_range: tuple[float, float], log_y: bool):
        self.x0, self.x1 = x_range
        self.y0, self.y1 = y_range
        self.log_y = log_y
        self.width = WIDTH - LEFT - RIGHT
        self.height = HEIGHT - TOP - BOTTOM

    def x(self, value: float) -> float:
        span = (self.x1 - self.x0) or 1.0
        return round(LEFT + (value - self.x0) / span * self.width, 2)

    def y(self, value: float) -> float:
        if self.log_y:
            low, high, value = math.log10(self.y0), math.log10(self.y1), math.log10(value)
        else:
            low, high = self.y0, self.y1
        span = (high - low) or 1.0
        return round(TOP + self.height - (value - low) / span * self.height, 2)

    @property
    def bottom(self) -> float:
        return TOP + self.height


def _svg(title: str, body: list[str], *, kind: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="iv-plot iv-plot-{kind}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="{_e(title)}"><title>{_e(title)}</title>'
        f'<text x="{LEFT}" y="20" font-size="14" font-weight="600" fill="#1f2328" {FONT}>'
        f"{_e(title)}</text>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int = 11) -> str:
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="{size}" fill="{AXIS}" '
        f"{FONT}>{_e(text)}</text>"
    )


def _y_axis(frame: _Frame, ticks: Sequence[float], label: str, unit: str = "") -> list[str]:
    parts = []
    for tick in ticks:
        y = frame.y(tick)
        parts.append(
            f'<line class="iv-plot-grid" x1="{LEFT}" x2="{LEFT + frame.width}" y1="{y}" '
            f'y2="{y}" stroke="{GRID}"/>'
        )
        parts.append(_text(LEFT - 6, y + 4, _num(tick) + unit, anchor="end"))
    middle = TOP + frame.height / 2
    parts.append(
        f'<text x="14" y="{middle}" text-anchor="middle" font-size="12" fill="{AXIS}" {FONT} '
        f'transform="rotate(-90 14 {middle})">{_e(label)}</text>'
    )
    return parts


def _x_axis(frame: _Frame, label: str) -> list[str]:
    return [
        f'<line class="iv-plot-axis" x1="{LEFT}" x2="{LEFT + frame.width}" y1="{frame.bottom}" '
        f'y2="{frame.bottom}" stroke="{AXIS}"/>',
        f'<line class="iv-plot-axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{frame.bottom}" '
        f'stroke="{AXIS}"/>',
        _text(LEFT + frame.width / 2, HEIGHT - 10, label, size=12),
    ]


def _empty(frame: _Frame) -> str:
    return _text(LEFT + frame.width / 2, TOP + frame.height / 2, "No data yet", size=13)


def histogram(
    values: Sequence[float],
    bins: int = 10,
    *,
    lo: float = 0.0,
    hi: float = 100.0,
    title: str = "Distribution",
    x_label: str = "",
    y_label: str = "count",
    noun: str = "value",
) -> str:
    """Counts of `values` in `bins` equal bins over [lo, hi] (outside values go to the end
    bins; `hi` itself to the last): one bar per bin, zero-height bars included."""
    if bins < 1 or hi <= lo:
        raise ValueError("a histogram needs at least one bin over a non-empty range")
    width = (hi - lo) / bins
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, max(0, int((value - lo) // width)))] += 1
    ticks = nice_ticks(max(counts, default=0) or 1, integer=True)
    frame = _Frame((lo, hi), (0.0, ticks[-1]), log_y=False)
    parts = _y_axis(frame, ticks, y_label)
    for index, count in enumerate(counts):
        left, right = lo + index * width, lo + (index + 1) * width
        x, y = frame.x(left) + 1, frame.y(count)
        parts.append(
            f'<rect class="iv-plot-bar" x="{x}" y="{y}" width="{frame.x(right) - x - 1:.2f}" '
            f'height="{frame.bottom - y:.2f}" fill="{BAR}"><title>{_num(left)}–{_num(right)}: '
            f"{count} {_e(noun)}{'' if count == 1 else 's'}</title></rect>"
        )
    step = max(1, math.ceil(bins / 10))  # at most about ten edge labels
    for index in range(0, bins + 1, step):
        edge = lo + index * width
        parts.append(_text(frame.x(edge), frame.bottom + 16, _num(edge)))
    parts += _x_axis(frame, x_label)
    if not values:
        parts.append(_empty(frame))
    return _svg(title, parts, kind="histogram")


def _shorten(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(1, chars - 1)] + "…"


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    y_label: str = "",
    y_max: float = 100.0,
    unit: str = "%",
    notes: Sequence[str] | None = None,
) -> str:
    """One bar per label, heights on [0, y_max]; `notes[i]` adds to bar i's hover text."""
    if len(labels) != len(values):
        raise ValueError("one value per label")
    ticks = nice_ticks(y_max)
    frame = _Frame((0.0, float(max(1, len(labels)))), (0.0, ticks[-1]), log_y=False)
    parts = _y_axis(frame, ticks, y_label, unit)
    slot = frame.width / max(1, len(labels))
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        shown = min(max(value, 0.0), ticks[-1])
        x, y = frame.x(index) + slot * 0.15, frame.y(shown)
        note = f" ({notes[index]})" if notes else ""
        parts.append(
            f'<rect class="iv-plot-bar" x="{x:.2f}" y="{y}" width="{slot * 0.7:.2f}" '
            f'height="{frame.bottom - y:.2f}" fill="{BAR}"><title>{_e(label)}: '
            f"{_num(value)}{_e(unit)}{_e(note)}</title></rect>"
        )
        center = frame.x(index) + slot / 2
        parts.append(_text(center, y - 4, _num(value) + unit, size=11))
        parts.append(_text(center, frame.bottom + 16, _shorten(label, int(slot / 7))))
    parts += _x_axis(frame, "")
    if not labels:
        parts.append(_empty(frame))
    return _svg(title, parts, kind="bars")


LOG_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)


def scatter(
    points: Sequence[Point],
    *,
    title: str = "",
    x_label: str = "",
    y_label: str = "",
    x_range: tuple[float, float] = (0.0, 100.0),
    y_range: tuple[float, float] = (0.1, 10.0),
    log_y: bool = True,
    reference_y: float | None = 1.0,
    reference_label: str = "",
) -> str:
    """One circle per point; y on a log scale by default, values outside `y_range` drawn on
    its edge (hollow, and their hover text says so). `reference_y` draws a dashed line."""
    if log_y and y_range[0] <= 0:
        raise ValueError("a log scale starts above 0")
    frame = _Frame(x_range, y_range, log_y=log_y)
    low, high = y_range
    if log_y:
        ticks: list[float] = [t for t in LOG_TICKS if low <= t <= high]
    else:
        ticks = [t for t in nice_ticks(high) if t >= low]
    parts = _y_axis(frame, ticks, y_label)
    for tick in nice_ticks(x_range[1] - x_range[0]):
        parts.append(_text(frame.x(x_range[0] + tick), frame.bottom + 16, _num(x_range[0] + tick)))
    if reference_y is not None and low <= reference_y <= high:
        y = frame.y(reference_y)
        parts.append(
            f'<line class="iv-plot-reference" x1="{LEFT}" x2="{LEFT + frame.width}" y1="{y}" '
            f'y2="{y}" stroke="{REFERENCE}" stroke-dasharray="5 4"/>'
        )
        if reference_label:
            parts.append(_text(LEFT + frame.width - 4, y - 5, reference_label, anchor="end"))
    for point in points:
        clipped = not low <= point.y <= high
        y_value = min(max(point.y, low), high)
        x_value = min(max(point.x, x_range[0]), x_range[1])
        fill = "none" if clipped else POINT
        note = " (off the scale)" if clipped else ""
        parts.append(
            f'<circle class="iv-plot-point" cx="{frame.x(x_value)}" cy="{frame.y(y_value)}" '
            f'r="5" fill="{fill}" fill-opacity="0.7" stroke="{POINT}"><title>{_e(point.label)}: '
            f"{_num(point.x)}, {point.y:.3g}{note}</title></circle>"
        )
    parts += _x_axis(frame, x_label)
    if not points:
        parts.append(_empty(frame))
    return _svg(title, parts, kind="scatter")
