"""The edge: what a request may carry into the app, checked in one place.

- Query strings and form fields lose NUL and the other control characters no one types
  (``\\t``, ``\\n`` and ``\\r`` stay in free text). PostgreSQL cannot store NUL and
  spreadsheets cannot hold the others, so they never get past here.
- Path segments with control characters match no route (a 404), and ``<int:...>`` segments
  are bounded to what an ``INTEGER`` column holds, so a huge id is "not found" rather than an
  overflow in the database.
- A JSON body is refused with a 415: no page takes JSON, and Flask-WTF would otherwise read
  one as the form's data, past the cleaning above (NUL, deep nesting, lists for text).

Request-free helpers (:func:`clean_text`, :func:`bounded_int`) are used by views that parse
numbers out of forms and query strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

# The largest value of a PostgreSQL INTEGER (and of every id column here).
MAX_ID = 2**31 - 1
# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NO_CONTROL_SEGMENT = r"[^/\x00-\x1f\x7f-\x9f]"


def clean_text(value: Any) -> Any:
    """``value`` without control characters when it is text; anything else unchanged."""
    if isinstance(value, str) and CONTROL.search(value):
        return CONTROL.sub("", value)
    return value


def bounded_int(raw: Any, default: int | None = None, low: int = 1, high: int = MAX_ID):
    """``raw`` as a whole number in ``low..high`` written with ASCII digits (an optional
    minus sign), else ``default``. Never raises: "1e30", "²" and 10**30 all give
    ``default``."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    else:
        text = str(raw or "").strip()
        if not re.fullmatch(r"-?[0-9]{1,12}", text):
            return default
        number = int(text)
    return number if low <= number <= high else default


def bounded_ints(values: Iterable[Any], low: int = 1, high: int = MAX_ID) -> list[int]:
    """The values that are whole numbers in ``low..high``, in order; the rest are dropped."""
    found = (bounded_int(value, None, low, high) for value in values)
    return [number for number in found if number is not None]


class CleanMultiDict(ImmutableMultiDict):
    """Query-string and form parameters with control characters removed from keys and
    text values (uploaded files are left to their readers), and without nameless parts."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
            return
        pairs = MultiDict(mapping).items(multi=True)
        # A multipart part without a name gives the key None, which no form reads and
        # Flask-WTF's CSRF check cannot take (``key.endswith``): it is dropped.
        super().__init__(
            [(clean_text(key), clean_text(value)) for key, value in pairs if key is not None]
        )


class EdgeRequest(Request):
    """Flask's request, with :class:`CleanMultiDict` for ``args``, ``form`` and ``files``."""

    parameter_storage_class = CleanMultiDict


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` limited to 1..:data:`MAX_ID` unless a rule says otherwise."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max=None, signed=False):
        super().__init__(
            map,
            fixed_digits=fixed_digits,
            min=0 if min is None else min,
            max=MAX_ID if max is None else max,
            signed=signed,
        )


class CleanStringConverter(UnicodeConverter):
    """A path segment with no control characters."""

    def __init__(self, map, minlength: int = 1, maxlength: int | None = None, length=None):
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", _NO_CONTROL_SEGMENT)


class CleanPathConverter(PathConverter):
    """A path (with slashes) with no control characters."""

    regex = r"[^/\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*?"


# Methods whose body a form may be read from (Flask-WTF's "submitted" methods).
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def refuse_json_body() -> None:
    """A 415 for a request that sends JSON (``application/json`` or ``...+json``): every
    form here is posted as a form, and Flask-WTF would read a JSON body as its data."""
    if request.method in BODY_METHODS and request.is_json:
        abort(415)


def init_app(app: Flask) -> None:
    """Install the edge checks. Call before any blueprint adds its routes (and before
    ``CSRFProtect``, so a JSON body is refused before its token is looked for)."""
    app.request_class = EdgeRequest
    app.before_request(refuse_json_body)
    app.url_map.converters.update(
        default=CleanStringConverter,
        string=CleanStringConverter,
        int=BoundedIntConverter,
        path=CleanPathConverter,
    )
