"""Small helpers for the benchmark's tables: percentiles and Markdown."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 < q < 100), interpolated between ranks; nan when empty."""
    if not values:
        return math.nan
    if len(values) == 1:
        return float(values[0])
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[max(0, min(98, round(q) - 1))]


def seconds(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.2f}"


def ratio(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


def table(header: Sequence[str], rows: Sequence[Sequence[object]], *, left: int = 1) -> str:
    """A Markdown table; the first `left` columns left-aligned, the others right-aligned."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join([*[":---"] * left, *["---:"] * (len(header) - left)]) + "|",
    ]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(passed: bool | None) -> str:
    return "n/a" if passed is None else ("PASS" if passed else "FAIL")
