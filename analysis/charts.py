"""Horizontal bar charts as inline SVG, named for screen readers.

One drawing for every bar chart: the theme report (``analysis.report``) and the consult
dashboard both call :func:`bar_chart`. A chart is a picture of a data table that sits next to
it; the SVG carries only an accessible name (its ``<title>``), so the table stays the place
to read exact numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

BAR_COLOUR = "#3c1053"
ROW_HEIGHT = 26
LABEL_WIDTH = 300
BAR_SPACE = 380
WIDTH = 760


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, float]],
    chart_id: str,
    value_label: Callable[[float], str] = _number,
    *,
    fluid: bool = False,
    label_chars: int = 42,
) -> str:
    """One horizontal bar per ``(label, value)`` row, as an SVG string.

    The SVG has ``role="img"`` and is named by a ``<title>`` with id ``chart_id``. Bars are
    scaled to the largest value; labels longer than ``label_chars`` are cut (the data table
    next to the chart has them in full). ``fluid=True`` makes the drawing shrink with its
    container (``width="100%"``, the height following from the viewBox) so narrow screens
    need no sideways scrolling; otherwise it is drawn at a fixed 760 pixels wide.
    """
    height = ROW_HEIGHT * len(rows) + 10
    peak = max([value for _, value in rows] or [1]) or 1
    bars = []
    for index, (label, value) in enumerate(rows):
        y = 5 + index * ROW_HEIGHT
        width = BAR_SPACE * value / peak
        bars.append(
            f'<text x="0" y="{y + 15}">{escape(label[:label_chars])}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{width:.1f}" height="18" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + 5 + width:.1f}" y="{y + 15}">'
            f"{escape(value_label(value))}</text>"
        )
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
