"""A staff action (an export, a list to download, sending to everyone matching) asked for
with a filter value the service does not know: refused with a 400 page saying which value,
never run with that filter dropped (a broader selection than asked for) or matching nothing
(left27). Pages that only list say so in an error summary instead (``filters.unknown_filters``)."""

from __future__ import annotations

from flask import render_template


def refused(unknown: list[tuple[str, str]], done: str, back: str, back_text: str):
    """The 400 page: each unknown value's message (``filters.unknown_filters``), what was not
    done (``done``: "Nothing was exported."), and the way back to the page whose filters
    can be chosen again."""
    body = " ".join(f"{message}." for _, message in unknown) + f" {done}"
    return render_template(
        "errors/error.html",
        title="A filter value is not known",
        body=body,
        code=400,
        staff=True,
        back=back,
        back_text=back_text,
    ), 400
