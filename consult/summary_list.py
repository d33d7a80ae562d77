"""The GOV.UK summary list of a page's answers ("Check your answers", the confirmation),
written directly: byte for byte what the ``govukSummaryList`` macro draws from the same rows
(tests/test_summary_list.py checks that), without its hundreds of macro calls a page.

Only the shape the journey uses is drawn: rows of a key, an answer and, when a change link
is given, one "Change" link each.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from jinja2.filters import do_indent
from markupsafe import Markup, escape

from .templating import answer_html


class SummaryRow(Protocol):
    """One line: the question (``key``), the answer as it reads (``value``), the id of
    the field the change link jumps to and, optionally, what the link says after "Change"
    to a screen reader (``change_text``; the key when empty)."""

    key: str
    value: str
    field_id: str


def summary_list(rows: Iterable[SummaryRow], change_url: str | None = None) -> Markup:
    """The ``<dl class="govuk-summary-list">`` of ``rows``, each answer shown exactly as
    typed (see :func:`consult.templating.answer_html`), each with a "Change" link to
    ``change_url#field_id`` when ``change_url`` is given."""
    parts = ['<dl class="govuk-summary-list">\n']
    for row in rows:
        key = escape(row.key)
        note = getattr(row, "note", "")  # a staff page's word on the key (a reworded question)
        if note:
            key += Markup(
                '\n      <span class="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0 '
                f'govuk-!-font-weight-regular">{escape(note)}</span>'
            )
        value = do_indent(answer_html(row.value), 6)
        parts.append(
            '  <div class="govuk-summary-list__row">\n'
            f'    <dt class="govuk-summary-list__key">\n      {key}\n    </dt>\n'
            f'    <dd class="govuk-summary-list__value">\n      {value}\n    </dd>\n'
        )
        if change_url:
            href = escape(f"{change_url}#{row.field_id}")
            said = escape(getattr(row, "change_text", "") or row.key)
            hidden = f'<span class="govuk-visually-hidden"> {said}</span>' if said else ""
            link = Markup(f'<a class="govuk-link" href="{href}">Change{hidden}</a>')
            parts.append(
                '    <dd class="govuk-summary-list__actions">\n'
                f"{do_indent(link.strip(), 6, True)}\n    </dd>\n"
            )
        parts.append("  </div>\n")
    parts.append("</dl>")
    return Markup("".join(parts))
