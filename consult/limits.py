"""Rate limits per client address on the routes worth guessing at or flooding (Flask-Limiter).

Counts live in memory by default (one web process) and in Redis when ``CONSULT_REDIS_URL``
is set, so every gunicorn worker and machine shares one count; while Redis is unreachable
each process counts in its own memory instead. Each limit is a setting in
Flask-Limiter's notation (``"10 per minute; 100 per hour"``); ``RATELIMIT_ENABLED = False``
turns them all off (load tests from one address). A breach gets the 429 page with
``Retry-After``.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, render_template, request
from flask_limiter import Limiter, RateLimitExceeded

# endpoint -> (setting, methods it applies to)
ROUTE_LIMITS: dict[str, tuple[str, list[str]]] = {
    "staff.sign_in": ("RATELIMIT_SIGN_IN", ["POST"]),
    "staff.confirm_password": ("RATELIMIT_SIGN_IN", ["POST"]),
    "survey.invitation": ("RATELIMIT_LINKS", ["GET", "POST"]),
    "survey.resume": ("RATELIMIT_LINKS", ["GET", "POST"]),
    "survey.check": ("RATELIMIT_SUBMIT", ["POST"]),
    "survey.email_resume_link": ("RATELIMIT_EMAIL", ["POST"]),
}


def client_address() -> str:
    """The address counted against: the client's own (ProxyFix sets it behind a proxy)."""
    return request.remote_addr or "unknown"


def storage_uri(app: Flask) -> str:
    """Where counts are kept: ``RATELIMIT_STORAGE_URI``, else Redis, else memory."""
    return app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL") or "memory://"


def init_app(app: Flask) -> Limiter:
    """Give this app its own limiter (so test apps never share counts) and put the
    configured limits on the routes in :data:`ROUTE_LIMITS`."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage_uri(app))
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "consult-limits")
    # Redis unreachable: count in this process's memory until it is back (checked again
    # with a growing back-off), so signing in, links and submitting never fail with it.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    # Retry-After is set by our own 429 page; the library's copy goes under another name so
    # it never overwrites the 503 page's own Retry-After on a limited route.
    app.config.setdefault("RATELIMIT_HEADER_RETRY_AFTER", "X-RateLimit-Retry-After")
    limiter = Limiter(client_address, app=app, headers_enabled=True)
    app.extensions["consult_limiter"] = limiter
    for endpoint, (setting, methods) in ROUTE_LIMITS.items():
        view = app.view_functions.get(endpoint)
        if view is None:
            continue
        limit = limiter.limit(
            _setting(setting), methods=methods, scope=endpoint, error_message=setting
        )
        app.view_functions[endpoint] = limit(view)

    @app.errorhandler(RateLimitExceeded)
    def too_many_requests(error: RateLimitExceeded):
        wait = _seconds_to_wait(limiter)
        page = render_template(
            "errors/error.html",
            title="Too many attempts",
            body=(
                "You have done this too many times in a short time, so we have paused it. "
                f"Wait {_in_words(wait)}, then try again. Any answers you saved are kept."
            ),
            code=429,
        )
        return page, 429, {"Retry-After": str(wait)}

    return limiter


def _seconds_to_wait(limiter: Limiter) -> int:
    """Seconds until the breached limit's window resets (at least 1)."""
    current = limiter.current_limit
    reset_at = current.reset_at if current is not None else time.time() + 60
    item = getattr(current, "limit", None)
    window = item.get_expiry() if hasattr(item, "get_expiry") else 60
    # The window's end can round up past the window itself ("61 seconds" for a minute).
    return max(1, min(math.ceil(reset_at - time.time()), int(window)))


def _in_words(seconds: int) -> str:
    if seconds <= 90:
        return "a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} minutes"
    hours = math.ceil(minutes / 60)
    return "an hour" if hours == 1 else f"{hours} hours"


def _setting(name: str):
    """The limit, read when a request is checked (so tests and instances can change it)."""

    def value() -> str:
        return current_app.config[name]

    return value
