"""Inline SVG charts for the HTML report: pure functions, no script, same data -> same bytes.

The SVG is meant to sit inside an HTML5 document, which needs no ``xmlns``, so
the markup holds no URL at all.  Sizes are viewBox units: a chart scales to the
width of its container.  Colours are presentation attributes, so a chart looks
right on its own and a page's stylesheet may still override them.  Every text
(labels, titles, tooltips) goes through ``html.escape``; coordinates are
written with at most one decimal, so the output is small and stable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from footfall.vocabulary.formatting import human_number

INK = "#1f2933"
MUTED = "#66707c"
GRID = "#d5dbe1"
LINE = "#2563eb"
AREA = "#dbe6fb"
COMPARE = "#8b95a1"
BAR = "#e1eafb"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
CHAR_WIDTH = 6.6  # rough advance of one character at font-size 12, to lay out without measuring


def _num(x: float) -> str:
    """A coordinate as text: at most one decimal, no '-0', no trailing '.0'."""
    text = f"{round(x, 1) + 0.0:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _plain(value: float) -> str:
    """A number without a known unit, by the one number format (vocabulary/formatting.py)."""
    return human_number(value, "")


def _open_svg(cls: str, width: int, height: int, title: str, extra: str = "") -> str:
    return (
        f'<svg class="{cls}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" font-family="{escape(FONT)}" font-size="12" '
        f'fill="{INK}"{extra}><title>{escape(title)}</title>'
    )


def _empty(cls: str, width: int, height: int, title: str, extra: str = "") -> str:
    return (
        _open_svg(cls, width, height, title, extra)
        + f'<text x="{_num(width / 2)}" y="{_num(height / 2)}" text-anchor="middle" '
        f'fill="{MUTED}">No data</text></svg>'
    )


def _tick_indexes(n: int, ticks: int) -> list[int]:
    """About ``ticks`` evenly spaced indexes, first and last included."""
    if n <= ticks:
        return list(range(n))
    return sorted({round(i * (n - 1) / (ticks - 1)) for i in range(ticks)})


def line_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    axis_labels: Sequence[str] | None = None,
    compare: Sequence[float] | None = None,
    series_name: str = "This period",
    compare_name: str = "Previous period",
    fmt: Callable[[float], str] = _plain,
    width: int = 480,
    height: int = 190,
    ticks: int = 5,
) -> str:
    """A line over a filled area, one point per value, for a time series.

    ``labels`` name each point in its tooltip, ``axis_labels`` (default: the
    labels) are the short texts under a few evenly spaced points.  ``compare``
    is drawn dashed, point i under point i; extra values are ignored.  The
    vertical scale runs from 0 to the largest value, with a gridline there.
    """
    n = len(values)
    if len(labels) != n or (axis_labels is not None and len(axis_labels) != n):
        raise ValueError("labels, axis_labels and values must have the same length")
    data = f' data-points="{n}"'
    if n == 0:
        return _empty("chart line-chart", width, height, title, data)
    before = list(compare[:n]) if compare is not None else []
    top = max([*values, *before, 0])
    scale_top = top if top > 0 else 1
    legend = compare is not None
    pad_top, pad_bottom, pad_right = (26 if legend else 12), 24, 8
    pad_left = max(24, round(len(fmt(top)) * CHAR_WIDTH) + 10)
    plot_w, plot_h = width - pad_left - pad_right, height - pad_top - pad_bottom
    base = pad_top + plot_h

    def x(i: int) -> float:
        return pad_left + (plot_w / 2 if n == 1 else i * plot_w / (n - 1))

    def y(v: float) -> float:
        return base - plot_h * max(v, 0) / scale_top

    parts = [_open_svg("chart line-chart", width, height, title, data)]
    parts.append(
        f'<line class="grid" x1="{pad_left}" y1="{pad_top}" x2="{width - pad_right}" '
        f'y2="{pad_top}" stroke="{GRID}" stroke-dasharray="3 3"/>'
        f'<text class="grid-label" x="{pad_left - 6}" y="{pad_top + 4}" text-anchor="end" '
        f'fill="{MUTED}">{escape(fmt(top))}</text>'
        f'<line class="axis" x1="{pad_left}" y1="{_num(base)}" x2="{width - pad_right}" '
        f'y2="{_num(base)}" stroke="{GRID}"/>'
        f'<text x="{pad_left - 6}" y="{_num(base + 4)}" text-anchor="end" '
        f'fill="{MUTED}">{escape(fmt(0))}</text>'
    )
    points = " ".join(f"{_num(x(i))},{_num(y(v))}" for i, v in enumerate(values))
    area = (
        f"M{_num(x(0))},{_num(base)} L{points.replace(' ', ' L')} L{_num(x(n - 1))},{_num(base)}Z"
    )
    parts.append(f'<path class="area" d="{area}" fill="{AREA}" stroke="none"/>')
    if before:
        old = " ".join(f"{_num(x(i))},{_num(y(v))}" for i, v in enumerate(before))
        parts.append(
            f'<polyline class="compare" points="{old}" fill="none" stroke="{COMPARE}" '
            'stroke-width="1.5" stroke-dasharray="5 4"/>'
        )
    parts.append(
        f'<polyline class="series" points="{points}" fill="none" stroke="{LINE}" '
        'stroke-width="2" stroke-linejoin="round"/>'
    )
    if n == 1:
        parts.append(f'<circle cx="{_num(x(0))}" cy="{_num(y(values[0]))}" r="3" fill="{LINE}"/>')
    shown = axis_labels if axis_labels is not None else labels
    for i in _tick_indexes(n, ticks):
        anchor = "middle" if n == 1 else "start" if i == 0 else "end" if i == n - 1 else "middle"
        parts.append(
            f'<text class="tick" x="{_num(x(i))}" y="{height - 6}" text-anchor="{anchor}" '
            f'fill="{MUTED}">{escape(shown[i])}</text>'
        )
    if legend:
        parts.append(_legend(width - pad_right, series_name, compare_name))
    parts.append(_hover_columns(labels, values, before, x, plot_w / n, pad_top, plot_h, fmt,
                                compare_name))  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def _legend(right: float, series_name: str, compare_name: str) -> str:
    """Two samples, the series then the comparison, right-aligned on the top line."""
    second = len(compare_name) * CHAR_WIDTH
    x2 = right - second - 26
    x1 = x2 - 16 - len(series_name) * CHAR_WIDTH - 26
    return (
        f'<g class="legend" fill="{MUTED}">'
        f'<line x1="{_num(x1)}" y1="9" x2="{_num(x1 + 20)}" y2="9" stroke="{LINE}" stroke-width="2"/>'
        f'<text x="{_num(x1 + 24)}" y="13">{escape(series_name)}</text>'
        f'<line x1="{_num(x2)}" y1="9" x2="{_num(x2 + 20)}" y2="9" stroke="{COMPARE}" '
        'stroke-width="1.5" stroke-dasharray="5 4"/>'
        f'<text x="{_num(x2 + 24)}" y="13">{escape(compare_name)}</text></g>'
    )


def _hover_columns(
    labels: Sequence[str],
    values: Sequence[float],
    before: Sequence[float],
    x: Callable[[int], float],
    column: float,
    top: float,
    plot_h: float,
    fmt: Callable[[float], str],
    compare_name: str,
) -> str:
    """Invisible columns whose <title> the browser shows on hover: exact values, no script."""
    cells = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        text = f"{label}: {fmt(value)}"
        if i < len(before):
            text += f" ({compare_name}: {fmt(before[i])})"
        cells.append(
            f'<rect x="{_num(x(i) - column / 2)}" y="{_num(top)}" width="{_num(column)}" '
            f'height="{_num(plot_h)}"><title>{escape(text)}</title></rect>'
        )
    return f'<g class="hover" fill="#000" fill-opacity="0">{"".join(cells)}</g>'


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a bar list: the bar's value and its text, more columns, a muted note."""

    label: str
    value: float
    text: str
    extra: tuple[str, ...] = ()
    note: str = ""


def _fit(text: str, chars: int) -> str:
    if chars <= 0:
        return ""
    return text if len(text) <= chars else text[: max(chars - 1, 0)] + "…"


def bar_list(
    bars: Sequence[Bar],
    *,
    title: str,
    headers: Sequence[str] = (),
    width: int = 460,
    row_height: int = 26,
    column_width: int = 80,
) -> str:
    """Horizontal bars for top-N rows: label on the bar, values in right-aligned columns.

    Bars are proportional to ``value`` (the largest fills the label area).
    ``headers`` names the label column, the value column, then each extra
    column.  Long labels are cut with an ellipsis; the full text is in the
    row's tooltip.
    """
    data = f' data-rows="{len(bars)}"'
    if not bars:
        return _empty("chart bar-list", width, row_height * 2, title, data)
    columns = 1 + max(len(b.extra) for b in bars)
    label_w = width - columns * column_width - 8
    head = 22 if headers else 0
    height = head + len(bars) * row_height + 2
    largest = max(max(b.value for b in bars), 0)
    chars = int((label_w - 12) / CHAR_WIDTH)

    def right(j: int) -> float:
        return width - 4 - (columns - 1 - j) * column_width

    parts = [_open_svg("chart bar-list", width, height, title, data)]
    if headers:
        parts.append(f'<g class="head" fill="{MUTED}" font-size="10">')
        parts.append(f'<text x="6" y="14">{escape(_fit(headers[0], chars))}</text>')
        for j, header in enumerate(headers[1 : columns + 1]):
            parts.append(
                f'<text x="{_num(right(j))}" y="14" text-anchor="end">'
                f"{escape(_fit(header, int(column_width / 5.6)))}</text>"
            )
        parts.append("</g>")
    for i, bar in enumerate(bars):
        top = head + i * row_height
        size = label_w * bar.value / largest if largest > 0 and bar.value > 0 else 0
        label = _fit(bar.label, chars)
        note = _fit(bar.note, chars - len(label) - 3) if bar.note else ""
        tip = " · ".join([bar.label, *([bar.note] if bar.note else []), bar.text, *bar.extra])
        parts.append(f'<g class="row"><title>{escape(tip)}</title>')
        parts.append(
            f'<rect x="0" y="{top + 2}" width="{_num(max(size, 2 if size else 0))}" '
            f'height="{row_height - 4}" rx="3" fill="{BAR}"/>'
        )
        text_y = _num(top + row_height / 2 + 4)
        parts.append(f'<text x="6" y="{text_y}">{escape(label)}')
        if note:
            parts.append(f'<tspan fill="{MUTED}"> · {escape(note)}</tspan>')
        parts.append("</text>")
        for j, cell in enumerate((bar.text, *bar.extra)):
            weight = ' font-weight="600"' if j == 0 else f' fill="{MUTED}"'
            parts.append(
                f'<text x="{_num(right(j))}" y="{text_y}" text-anchor="end"{weight}>'
                f"{escape(cell)}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
