"""Horizontal bar charts as inline SVG, named for screen readers.

One drawing for every bar chart: the theme report (``analysis.report``) and the consult
dashboard both call :func:`bar_chart`. A chart is a picture of a data table that sits next to
it; the SVG carries only an accessible name (its ``<title>``), so the table stays the place
to read exact numbers.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from html import escape

BAR_COLOUR = "#3c1053"
ROW_HEIGHT = 26
LINE_HEIGHT = 18
LABEL_CHARACTERS = 36  # the widest line of a label that fits before the bars
LABEL_WIDTH = 300
BAR_SPACE = 380
WIDTH = 760


def _number(value: float) -> str:
    return f"{value:g}"


def _label_lines(label: str, width: int) -> list[str]:
    return textwrap.wrap(label, width) or [""]


def _line_gaps(label: str, lines: list[str]) -> list[str]:
    """What goes before each of ``label``'s wrapped ``lines`` in its text: '' before the
    first, " " where the label had white space at the break, '' where it broke at a hyphen
    or inside a word (:func:`textwrap.wrap` makes each white space character a space)."""
    text = "".join(" " if char.isspace() else char for char in label.expandtabs())
    gaps, end = [], 0
    for n, line in enumerate(lines):
        start = text.find(line, end)
        gaps.append(" " if n and start > end and text[end:start].isspace() else "")
        end = (start if start >= 0 else end) + len(line)
    return gaps


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, float]],
    chart_id: str,
    value_label: Callable[[float], str] = _number,
    *,
    fluid: bool = False,
    label_width: int = LABEL_CHARACTERS,
) -> str:
    """One horizontal bar per ``(label, value)`` row, as an SVG string.

    The SVG has ``role="img"`` and is named by a ``<title>`` with id ``chart_id``. Bars are
    scaled to the largest value. A label is never cut: one longer than ``label_width``
    characters wraps onto more lines and its row grows to fit. ``fluid=True`` makes the
    drawing shrink with its container (``width="100%"``, the height following from the
    viewBox) so narrow screens need no sideways scrolling; otherwise it is drawn at a fixed
    760 pixels wide.
    """
    peak = max([value for _, value in rows] or [1]) or 1
    bars = []
    y = 5
    for label, value in rows:
        lines = _label_lines(label, label_width)
        width = BAR_SPACE * value / peak
        text = (
            escape(lines[0])
            if len(lines) == 1
            # A space between two lines where the label had one keeps its words apart in its
            # text (copied or extracted); it falls at a line's end, so nothing drawn moves
            # (smoke27). None where it broke at a hyphen or inside a long word.
            else "".join(
                f'{sep}<tspan x="0" dy="{0 if n == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
                for n, (sep, line) in enumerate(zip(_line_gaps(label, lines), lines, strict=True))
            )
        )
        bars.append(
            f'<text x="0" y="{y + 15}">{text}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{width:.1f}" height="18" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + 5 + width:.1f}" y="{y + 15}">'
            f"{escape(value_label(value))}</text>"
        )
        y += ROW_HEIGHT + LINE_HEIGHT * (len(lines) - 1)
    height = y + 5
    size = (
        'width="100%" preserveAspectRatio="xMinYMin meet"'
        if fluid
        else f'width="{WIDTH}" height="{height}"'
    )
    return (
        f'<svg role="img" aria-labelledby="{escape(chart_id)}" {size} '
        f'viewBox="0 0 {WIDTH} {height}"><title id="{escape(chart_id)}">{escape(title)}</title>'
        + "".join(bars)
        + "</svg>"
    )
