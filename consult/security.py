"""Response headers: a strict content security policy and friends, HSTS over HTTPS, and no
caching of anything but static files."""

from __future__ import annotations

import secrets

from flask import Flask, g, request


def csp_nonce() -> str:
    """The nonce that lets this response's one inline script run."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def register_security_headers(app: Flask) -> None:
    """Send a content security policy and other protective headers on every response.

    Every response but a static file is ``Cache-Control: no-store``: staff pages, survey
    pages with answers, exports and downloads show personal data, which no browser or proxy
    cache may keep. With ``HTTPS`` on, every response carries ``Strict-Transport-Security``.
    """

    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def add_headers(response):
        nonce = g.get("csp_nonce", "")
        script_src = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src {script_src}; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
            response.headers.pop("Pragma", None)
        if app.config.get("HTTPS"):
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={int(app.config['HSTS_SECONDS'])}"
            )
        # The server's name and version are nobody's business (gunicorn's is hidden by
        # gunicorn.conf.py).
        response.headers.pop("Server", None)
        return response
