"""The Flask application class, with the URLs it builds during a request remembered.

Every partner page builds the same few URLs again and again (the stylesheet, the footer's
links, the journey's next and previous pages), and building one walks werkzeug's routing
rules. A URL built without ``_external``, ``_scheme``, ``_anchor`` or ``_method`` depends
only on the endpoint, its values and where the app is mounted (the request's script root,
host and scheme), so each app keeps the most recent ones under that key and builds each
once. Anything else is built as Flask always does, and so are links carrying a ``token``
(one per partner, and a secret: not worth keeping, nor keeping in memory).
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from flask.globals import _cv_request

MAX_KEPT = 2048  # URLs kept per app; the whole set is dropped when it is full


class App(Flask):
    """Flask, with :meth:`url_for` remembering what it built."""

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
