"""The reports' SVG plots (web.plots): one mark per datum, axes, hover titles, escaped text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from web.plots import Point, bar_chart, histogram, nice_ticks, scatter

SVG = "{http://www.w3.org/2000/svg}"


def marks(svg: str, tag: str, kind: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title") is not None
    return root.findall(f".//{SVG}{tag}[@class='iv-plot-{kind}']")


def hover(element: ET.Element) -> str:
    title = element.find(f"{SVG}title")
    assert title is not None and title.text
    return title.text


def test_a_histogram_draws_one_bar_per_bin_with_its_count_on_hover():
    bars = marks(histogram([5, 15, 17, 99.9, 100, 250, -3], bins=10), "rect", "bar")
    assert len(bars) == 10
    counts = [int(hover(bar).split(": ")[1].split()[0]) for bar in bars]
    # 100 and values above the range go to the last bin, those below to the first.
    assert counts == [2, 2, 0, 0, 0, 0, 0, 0, 0, 3]
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[0] == heights[1] and heights[9] > heights[0] and heights[2] == 0


def test_a_histogram_of_nothing_still_has_its_bins_and_says_so():
    svg = histogram([], bins=5, title="Scores")
    assert len(marks(svg, "rect", "bar")) == 5
    assert "No data yet" in svg


def test_a_histogram_needs_bins_and_a_range():
    with pytest.raises(ValueError):
        histogram([1], bins=0)
    with pytest.raises(ValueError):
        histogram([1], lo=5, hi=5)


def test_a_bar_chart_draws_one_bar_per_label_scaled_to_its_maximum():
    bars = marks(bar_chart(["kmeans", "arith", "fgsm"], [100, 50, 0], title="Pass"), "rect", "bar")
    assert len(bars) == 3
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[0] == pytest.approx(2 * heights[1]) and heights[2] == 0
    assert hover(bars[1]) == "arith: 50%"


def test_text_in_a_plot_is_escaped():
    evil = '<script>alert("x")</script> & co'
    svg = bar_chart([evil], [10], title=evil, y_label=evil)
    assert "<script>" not in svg
    root = ET.fromstring(svg)  # still well-formed
    assert root.find(f"{SVG}title").text == evil  # type: ignore[union-attr]
    assert hover(marks(svg, "rect", "bar")[0]).startswith(evil)


def test_a_scatter_draws_one_point_per_datum_on_a_log_scale_with_the_reference_line():
    points = [Point(100, 1.0, "ada"), Point(50, 10.0, "bob"), Point(0, 0.1, "cy")]
    svg = scatter(points, y_range=(0.1, 10.0))
    circles = marks(svg, "circle", "point")
    assert len(circles) == 3
    ys = [float(c.get("cy", "0")) for c in circles]
    # On a log scale, 1 is halfway between 0.1 and 10.
    assert ys[0] == pytest.approx((ys[1] + ys[2]) / 2)
    assert [hover(c).split(":")[0] for c in circles] == ["ada", "bob", "cy"]
    (line,) = marks(svg, "line", "reference")
    assert float(line.get("y1", "0")) == pytest.approx(ys[0])


def test_a_point_off_the_scale_is_drawn_hollow_on_its_edge_and_says_so():
    circles = marks(
        scatter([Point(80, 0.01, "slow"), Point(80, 0.5, "fine")], y_range=(0.1, 10)),
        "circle",
        "point",
    )
    assert circles[0].get("fill") == "none" and "off the scale" in hover(circles[0])
    assert circles[1].get("fill") != "none" and "off the scale" not in hover(circles[1])
    assert float(circles[0].get("cy", "0")) > float(circles[1].get("cy", "0"))


def test_a_linear_scatter_and_a_log_scale_that_starts_at_zero():
    assert (
        len(marks(scatter([Point(1, 2, "a")], log_y=False, y_range=(0, 5)), "circle", "point")) == 1
    )
    with pytest.raises(ValueError):
        scatter([], y_range=(0, 10))


@pytest.mark.parametrize(
    ("high", "expected"),
    [(1, [0, 0.2, 0.4, 0.6, 0.8, 1]), (7, [0, 2, 4, 6, 8]), (100, [0, 20, 40, 60, 80, 100])],
)
def test_ticks_are_round_numbers_that_cover_the_data(high, expected):
    assert nice_ticks(high) == expected


def test_ticks_of_counts_are_whole_numbers():
    assert nice_ticks(1, integer=True) == [0, 1]
    assert nice_ticks(3, integer=True) == [0, 1, 2, 3]
