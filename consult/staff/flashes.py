"""What a staff action that redirects says on the page it leads to (``templates/staff/flash.html``).

Three kinds, by the flash category:

- ``flash(message, "success")``: what the action did (the green success banner);
- ``flash(message)``: something to know (the "Important" banner);
- :func:`flash_error`: why the action did nothing. It is shown as a GOV.UK error summary
  ("There is a problem": role="alert", focused on load, the page's title starting
  "Error:"), never as a grey banner. When one field is at fault (``field``: its id on the
  page led to), the summary links to it and the field itself shows the message
  (:func:`flashed_field_error`). A form that can be redrawn at once with its own errors
  should be, rather than redirect: this is for actions whose page is somewhere else.
"""

from __future__ import annotations

from flask import flash, get_flashed_messages

ERROR = "error"


def flash_error(message: str, field: str | None = None) -> None:
    """Say on the next page why this action did nothing (``field``: the id of the field at
    fault there, if one is)."""
    flash(message, f"{ERROR}:{field}" if field else ERROR)


def _errors() -> list[tuple[str | None, str]]:
    return [
        (category.partition(":")[2] or None, message)
        for category, message in get_flashed_messages(with_categories=True)
        if category == ERROR or category.startswith(ERROR + ":")
    ]


def flashed_errors() -> list[dict[str, str]]:
    """The error summary's items for the errors flashed for this page (a link to the field
    at fault where there is one)."""
    return [
        {"text": message, "href": f"#{field}"} if field else {"text": message}
        for field, message in _errors()
    ]


def flashed_field_error(field: str) -> dict[str, str] | None:
    """A GOV.UK ``errorMessage`` for this field when an error flashed for this page names it."""
    for name, message in _errors():
        if name == field:
            return {"text": message}
    return None
