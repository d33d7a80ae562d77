"""Tables read one row at a time on a phone (smoke16 #15).

A wide staff table (the response list, a question's runs, a report's themes at a glance)
scrolled sideways inside its region at 320 CSS pixels: allowed by WCAG 1.4.10, but read a
column at a time through a window a third of its width. Wrapped in ``{% filter stacked %}``,
a table gets the class ``consult-stack-table`` (assets/consult.scss): below GOV.UK's tablet
breakpoint each row is a block and each cell shows its column's name above its value, from
a ``data-label`` this filter copies from the table's own column headers; its ARIA roles
(table, rowgroup, row, columnheader, rowheader, cell) keep it a table for screen readers in
browsers that drop a table's semantics once it is displayed as blocks. Wider screens see the
table as it was.

Only this app's own templates pass through it: their markup is well formed and Jinja escapes
every ``<`` and ``>`` in text and attribute values, so a tag is ``<`` to the next ``>``.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

STACK_CLASS = "consult-stack-table"
_TAG = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
_COLSPAN = re.compile(r'\bcolspan="(\d+)"')
_SCOPE_ROW = re.compile(r'\bscope="row"')
_HIDDEN_ONLY = re.compile(r'\s*<span class="govuk-visually-hidden">[^<]*</span>\s*')
ROLES = {
    "table": "table",
    "thead": "rowgroup",
    "tbody": "rowgroup",
    "tfoot": "rowgroup",
    "tr": "row",
}


def _with(tag: str, attributes: str) -> str:
    """``tag`` (a start tag) with ``attributes`` added before its closing ``>``."""
    end = -2 if tag.endswith("/>") else -1
    return tag[:end] + attributes + tag[end:]


def _class_added(tag: str, name: str) -> str:
    if 'class="' in tag:
        return tag.replace('class="', f'class="{name} ', 1)
    return _with(tag, f' class="{name}"')


def _text(parts: list[str]) -> str:
    """A header's words: its text without tags, spaces collapsed (entities kept escaped)."""
    return " ".join("".join(p for p in parts if not p.startswith("<")).split())


def stacked(html: str) -> Markup:
    """``html`` (one or more rendered tables) with each table stackable on a phone: its
    body and foot cells labelled with their column's header (``data-label``), a row header
    (``<th scope="row">``) left to head its block, and the table's roles spelled out."""
    tokens = _TAG.split(str(html))
    out: list[str] = []
    headers: list[str] = []
    section = ""  # thead, tbody or tfoot
    capturing: list[str] | None = None
    column = 0
    for token in tokens:
        match = _NAME.match(token) if token.startswith("<") else None
        if match is None:
            if capturing is not None:
                capturing.append(token)
            out.append(token)
            continue
        closing, name = match.group(1) == "/", match.group(2).lower()
        if closing:
            if capturing is not None and name != "th":
                capturing.append(token)
            if name == "th" and capturing is not None and section == "thead":
                # A header only screen readers hear ("Actions") labels nothing on screen:
                # its cells' words say it ("Delete run 3").
                hidden = _HIDDEN_ONLY.fullmatch("".join(capturing))
                headers.append("" if hidden else _text(capturing))
                capturing = None
            if name in ("thead", "tbody", "tfoot"):
                section = ""
            out.append(token)
            continue
        if capturing is not None:
            capturing.append(token)
        if name == "table":
            headers, section = [], ""
            token = _class_added(token, STACK_CLASS)
        if name in ("thead", "tbody", "tfoot"):
            section = name
        if name in ROLES and "role=" not in token:
            token = _with(token, f' role="{ROLES[name]}"')
        if name == "tr":
            column = 0
        if name in ("th", "td"):
            span = int(m.group(1)) if (m := _COLSPAN.search(token)) else 1
            if section == "thead":
                capturing = []
                if "role=" not in token:
                    token = _with(token, ' role="columnheader"')
            else:
                row_header = name == "th" and _SCOPE_ROW.search(token) is not None
                if "role=" not in token:
                    token = _with(token, f' role="{"rowheader" if row_header else "cell"}"')
                label = headers[column] if column < len(headers) and span == 1 else ""
                if label and not row_header and "data-label=" not in token:
                    token = _with(token, f' data-label="{escape(Markup(label).unescape())}"')
            column += span
        out.append(token)
    return Markup("".join(out))
