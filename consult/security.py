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


_POLICY = (
    "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)
POLICY = _POLICY.format(script_src="'self'")
POLICY_WITH_NONCE = _POLICY.replace("{script_src}", "'self' 'nonce-{nonce}'")
FIXED_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)


def register_security_headers(app: Flask) -> None:
    """Send a content security policy and other protective headers on every response.

    Every response but a static file is ``Cache-Control: no-store``: staff pages, survey
    pages with answers, exports and downloads show personal data, which no browser or proxy
    cache may keep. With ``HTTPS`` on, every response carries ``Strict-Transport-Security``.
    """

    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def add_headers(response):
        # One pass over the headers already set (werkzeug's ``setdefault`` and ``pop`` each
        # scan them all, lower-casing every name): this runs on every response.
        headers = response.headers
        present = {key.lower() for key, _ in headers.items()}
        if "content-security-policy" not in present:
            nonce = g.get("csp_nonce", "")
            headers.add(
                "Content-Security-Policy",
                POLICY_WITH_NONCE.format(nonce=nonce) if nonce else POLICY,
            )
        for key, value in FIXED_HEADERS:
            if key.lower() not in present:
                headers.add(key, value)
        if request.endpoint != "static":
            if "cache-control" in present:
                headers["Cache-Control"] = "no-store"
            else:
                headers.add("Cache-Control", "no-store")
            if "expires" in present:
                del headers["Expires"]
            if "pragma" in present:
                del headers["Pragma"]
        if app.config.get("HTTPS") and "strict-transport-security" not in present:
            headers.add("Strict-Transport-Security", f"max-age={int(app.config['HSTS_SECONDS'])}")
        # The server's name and version are nobody's business (gunicorn's is hidden by
        # gunicorn.conf.py).
        if "server" in present:
            del headers["Server"]
        return response
