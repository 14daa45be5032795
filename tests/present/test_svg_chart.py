"""svg_chart on tiny inputs: well-formed, deterministic, escaped, no division by zero."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from footfall.present.svg_chart import Bar, bar_list, line_chart


def parse(svg: str) -> ET.Element:
    """Inline SVG is also well-formed XML (with no namespace)."""
    return ET.fromstring(svg)


def points(svg: str, cls: str = "series") -> list[tuple[float, float]]:
    found = re.search(rf'<polyline class="{cls}" points="([^"]*)"', svg)
    assert found
    return [(float(x), float(y)) for x, y in (p.split(",") for p in found.group(1).split())]


def test_line_chart_is_deterministic_and_well_formed() -> None:
    args = (["Mon", "Tue", "Wed"], [3, 0, 5])
    first = line_chart(*args, title="Visitors", compare=[1, 2, 2])
    assert first == line_chart(*args, title="Visitors", compare=[1, 2, 2])
    assert first != line_chart(*args, title="Visitors", compare=[1, 2, 3])
    root = parse(first)
    assert root.tag == "svg" and root.get("data-points") == "3"
    assert root.findtext("title") == "Visitors"
    assert "<script" not in first and "http" not in first


def test_line_chart_geometry() -> None:
    svg = line_chart(["a", "b", "c", "d"], [0, 10, 5, 10], title="t", width=400, height=200)
    pts = points(svg)
    assert len(pts) == 4
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    assert xs == sorted(xs) and len(set(xs)) == 4  # left to right, evenly
    assert ys[1] == ys[3] == min(ys)  # the maximum touches the top gridline
    assert ys[0] == max(ys)  # zero sits on the baseline
    grid = parse(svg).find("line[@class='grid']")
    assert grid is not None and float(grid.get("y1", "nan")) == ys[1]
    assert ">10</text>" in svg  # the max-value gridline is labelled


def test_empty_and_zero_series_do_not_divide_by_zero() -> None:
    empty = line_chart([], [], title="Nothing")
    assert parse(empty).get("data-points") == "0" and "No data" in empty
    zeros = line_chart(["a", "b"], [0, 0], title="Zeros", compare=[0, 0])
    assert len(points(zeros)) == 2 and len(points(zeros, "compare")) == 2
    one = line_chart(["only"], [7], title="One")
    assert len(points(one)) == 1 and "<circle" in one
    assert bar_list([], title="None").count("No data") == 1
    flat = bar_list([Bar("a", 0, "0"), Bar("b", 0, "0")], title="Flat")
    assert parse(flat).get("data-rows") == "2"


def test_comparison_is_dashed_and_cut_to_the_series() -> None:
    svg = line_chart(["a", "b"], [1, 2], title="t", compare=[5, 6, 7], compare_name="Before")
    assert len(points(svg, "compare")) == 2
    assert 'stroke-dasharray="5 4"' in svg and "Before" in svg
    assert "(Before: 5)" in svg  # in the hover title of the first point


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        line_chart(["a"], [1, 2], title="t")
    with pytest.raises(ValueError):
        line_chart(["a", "b"], [1, 2], title="t", axis_labels=["a"])


def test_text_is_escaped() -> None:
    nasty = '<script>alert("x")</script> & co'
    svg = line_chart([nasty], [1], title=nasty, axis_labels=[nasty])
    bars = bar_list([Bar(nasty, 3, "3", (nasty,), nasty)], title=nasty, headers=[nasty, "n", "m"])
    for out in (svg, bars):
        assert "<script" not in out and "&lt;script&gt;" in out
        parse(out)  # still well-formed


def test_bar_list_rows_and_proportions() -> None:
    bars = [Bar("/", 100, "100", ("90",)), Bar("/pricing", 50, "50", ("45",), "note"),
            Bar("x" * 200, 0.1, "0.1", ("1",))]  # fmt: skip
    svg = bar_list(bars, title="Pages", headers=["Page", "Views", "Visitors"])
    assert svg == bar_list(bars, title="Pages", headers=["Page", "Views", "Visitors"])
    root = parse(svg)
    assert root.get("data-rows") == "3"
    widths = [float(r.get("width", "0")) for r in root.iter("rect")]
    assert widths[0] == 2 * widths[1] and widths[2] == 2  # proportional; tiny stays visible
    assert "x" * 200 not in re.sub(r"<title>.*?</title>", "", svg)  # cut on the bar...
    assert "x" * 200 in svg  # ...whole in the tooltip
    assert "…" in svg and "note" in svg
