"""Running behind reverse proxies and HTTPS: which forwarded headers to believe, which host
names to answer to, and secure cookies.

Settings (``instance/config.py`` or ``CONSULT_*`` variables):

``PROXY_COUNT``
    How many proxies (load balancer, nginx, ...) stand in front of the app, each adding to
    ``X-Forwarded-For`` and setting ``X-Forwarded-Proto``/``-Host``. 0 (the default) believes
    no forwarded header, so a client cannot pose as another address; with 1, the address the
    first proxy saw is ``request.remote_addr`` (which throttling and the logs use).
``TRUSTED_HOSTS``
    The host names the app answers to, as a list or one comma-separated string
    (``consult.example.org,.example.org``); any other ``Host`` gets a 400 page.
``HTTPS``
    True when users reach the site over HTTPS: cookies are sent only over HTTPS
    (``Secure``), links are made with ``https://`` and every response carries HSTS
    (``Strict-Transport-Security``, ``HSTS_SECONDS`` long).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def parse_hosts(value: Any) -> list[str] | None:
    """``TRUSTED_HOSTS`` as a list: from a list, or a comma-separated string; None or an
    empty value means any host."""
    if not value:
        return None
    if isinstance(value, str):
        value = value.split(",")
    hosts = [str(host).strip() for host in value if str(host).strip()]
    return hosts or None


def configure(app: Flask) -> None:
    """Derive the proxy, host and cookie settings from ``PROXY_COUNT``, ``TRUSTED_HOSTS``
    and ``HTTPS`` (called while the app's configuration is being finished)."""
    try:
        count = int(app.config.get("PROXY_COUNT") or 0)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"PROXY_COUNT must be a whole number, not {app.config['PROXY_COUNT']!r}"
        ) from error
    if count < 0:
        raise ValueError("PROXY_COUNT cannot be negative")
    app.config["PROXY_COUNT"] = count
    app.config["TRUSTED_HOSTS"] = parse_hosts(app.config.get("TRUSTED_HOSTS"))
    https = bool(app.config.get("HTTPS"))
    app.config["HTTPS"] = https
    if https:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")


def init_app(app: Flask) -> None:
    """Believe ``PROXY_COUNT`` proxies' ``X-Forwarded-*`` headers (none by default)."""
    count = app.config["PROXY_COUNT"]
    if count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count
        )
