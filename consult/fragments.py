"""GOV.UK Frontend form components, drawn once for each distinct set of parameters.

The components' Jinja macros are pure: the same parameters always give the same HTML. They
are also the dearest part of drawing a survey page (a page of radios is hundreds of macro
calls), while most pages are drawn with parameters seen before: an empty question, or one
of a few choices picked. So each app keeps the most recently drawn components, keyed by
their parameters, and draws each distinct one once.

Only plain data is used as a key (strings, numbers, booleans, ``None``, lists, dicts);
anything else, such as ready-made ``Markup``, is drawn every time, never cached.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any

from flask import Flask
from markupsafe import Markup

# Component name -> (folder in govuk_frontend_jinja, macro name)
COMPONENTS = {
    "input": ("input", "govukInput"),
    "radios": ("radios", "govukRadios"),
    "checkboxes": ("checkboxes", "govukCheckboxes"),
    "character_count": ("character-count", "govukCharacterCount"),
    "button": ("button", "govukButton"),
    "back_link": ("back-link", "govukBackLink"),
}
MAX_KEPT = 4096
# A text input with GOV.UK's character count (the input macro's parameters, with the count's
# form group; the message under the box added by :func:`count_message`).
COUNTED_INPUT = "counted_input"


def count_message(html: str, field_id: str, limit: int | str) -> Markup:
    """A drawn text input (``field_id``) with GOV.UK's character count message after it, as
    the character count component draws it under a textarea: what the partner reads without
    JavaScript, and the description GOV.UK Frontend's script replaces with a live count."""
    message = Markup(
        '<div id="{0}-info" class="govuk-hint govuk-character-count__message">'
        "You can enter up to {1} characters.</div>"
    ).format(field_id, f"{int(limit):,}")
    tag = re.compile(r'(<input\b[^>]*\bid="' + re.escape(field_id) + r'"[^>]*>)')
    return Markup(tag.sub(lambda m: m.group(1) + str(message), str(html), count=1))


class Uncacheable(Exception):
    """Parameters holding something other than plain data."""


def freeze(value: Any) -> Any:
    """A hashable copy of plain parameters that tells their types apart (``1`` from
    ``"1"`` and ``True``); :class:`Uncacheable` for anything else, Markup included."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None or kind is float:
        return (kind.__name__, value)
    if kind is dict:
        return ("dict", tuple((freeze(k), freeze(v)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return (kind.__name__, tuple(freeze(item) for item in value))
    raise Uncacheable(kind.__name__)


class Components:
    """One app's drawn components, most recently used last."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._kept: OrderedDict[Any, Markup] = OrderedDict()
        self._lock = threading.Lock()
        self._macros: dict[str, Any] = {}

    def _macro(self, name: str):
        macro = self._macros.get(name)
        if macro is None:
            folder, macro_name = COMPONENTS[name]
            template = self.app.jinja_env.get_template(
                f"govuk_frontend_jinja/components/{folder}/macro.html"
            )
            macro = self._macros[name] = getattr(template.module, macro_name)
        return macro

    def draw(self, name: str, params: dict[str, Any]) -> Markup:
        """The HTML of component ``name`` with ``params``, drawn now or kept from before."""
        if name == COUNTED_INPUT:
            limit = params["formGroup"]["attributes"]["data-maxlength"]
            return count_message(self.draw("input", params), params["id"], limit)
        try:
            key = (name, freeze(params))
        except Uncacheable:
            return Markup(self._macro(name)(params))
        with self._lock:
            html = self._kept.get(key)
            if html is not None:
                self._kept.move_to_end(key)
                return html
        html = Markup(self._macro(name)(params))
        with self._lock:
            self._kept[key] = html
            if len(self._kept) > MAX_KEPT:
                self._kept.popitem(last=False)
        return html


def register_components(app: Flask) -> None:
    """Let templates draw components with ``component(name, params)``."""
    components = Components(app)
    app.extensions["consult.components"] = components
    app.jinja_env.globals["component"] = components.draw
