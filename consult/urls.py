"""The Flask application class, with the URLs it builds during a request remembered.

Every partner page builds the same few URLs again and again (the stylesheet, the footer's
links, the journey's next and previous pages), and building one walks werkzeug's routing
rules. A URL built without ``_external``, ``_scheme``, ``_anchor`` or ``_method`` depends
only on the endpoint, its values and where the app is mounted (the request's script root,
host and scheme), so each app keeps the most recent ones under that key and builds each
once. Anything else is built as Flask always does, and so are links carrying a ``token``
(one per partner, and a secret: not worth keeping, nor keeping in memory).

Building the app compiles, for each of its hundred routes, two small Python functions that
build its URLs (werkzeug writes their source and compiles it): most of ``create_app``'s time
once the modules are imported. A rule's builders depend only on its parsed pattern and its
defaults' names, so :class:`Rule` keeps them per process and a second app built in the same
process (every test builds one) reuses them.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from flask.globals import _cv_request
from werkzeug.routing import Rule as WerkzeugRule

MAX_KEPT = 2048  # URLs kept per app; the whole set is dropped when it is full

# URL builders compiled in this process: (pattern parsed, defaults' names, append unknown
# values as a query) -> werkzeug's builder function.
_BUILDERS: dict[tuple, Any] = {}


class Rule(WerkzeugRule):
    """werkzeug's rule, its URL builders compiled once a process for each pattern.

    werkzeug's builder is a function of the rule alone (it reads the converters through the
    rule it is bound to), made from the rule's parsed parts (``_trace``), the names of its
    defaults and whether unknown values go in the query string. A rule with a default for one
    of its own variables has that default's converted value written into its builder, so it
    is compiled as werkzeug always does; so is any rule if werkzeug's internals change.
    """

    def _compile_builder(self, append_unknown: bool = True) -> Any:
        trace = getattr(self, "_trace", None)
        defaults = self.defaults or {}
        if not isinstance(trace, list) or any(
            dynamic and name in defaults for dynamic, name in trace
        ):
            return super()._compile_builder(append_unknown)
        key = (self.rule, tuple(trace), tuple(defaults), append_unknown)
        builder = _BUILDERS.get(key)
        if builder is None:
            builder = _BUILDERS[key] = super()._compile_builder(append_unknown)
        return builder


class App(Flask):
    """Flask, with :meth:`url_for` remembering what it built and :class:`Rule`'s builders."""

    url_rule_class = Rule

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._built_urls: dict[tuple, str] = {}
        self._built_urls_lock = threading.Lock()

    def url_for(  # type: ignore[override]
        self,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        req_ctx = _cv_request.get(None)
        if (
            req_ctx is None
            or _anchor is not None
            or _method is not None
            or _scheme is not None
            or _external
            or endpoint[:1] == "."
            or self.url_default_functions
            or "token" in values  # invitation and resume links: secrets, one per partner
            or not all(type(value) is str or type(value) is int for value in values.values())
        ):
            return super().url_for(
                endpoint,
                _anchor=_anchor,
                _method=_method,
                _scheme=_scheme,
                _external=_external,
                **values,
            )
        adapter = req_ctx.url_adapter
        if adapter is None:  # the request's host was refused: Flask's own handling
            return super().url_for(endpoint, **values)
        key = (
            endpoint,
            tuple(values.items()),
            adapter.script_name,
            adapter.server_name,
            adapter.subdomain,
            adapter.url_scheme,
        )
        url = self._built_urls.get(key)
        if url is None:
            url = super().url_for(endpoint, **values)
            with self._built_urls_lock:
                if len(self._built_urls) >= MAX_KEPT:
                    self._built_urls.clear()
                self._built_urls[key] = url
        return url
