"""Plain error pages: never a traceback, never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from . import csrf_expiry
from .extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Sorry, there is a problem with that request", "Go back and try again."),
    403: ("You cannot see this page", "You do not have permission to view it."),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("Sorry, that action is not allowed here", "Go back and try again."),
    409: (
        "Someone else changed this at the same time",
        "Nothing you sent was saved. Go back, reload the page and try again.",
    ),
    410: ("This page is no longer available", "It has expired or been removed."),
    413: (
        "What you sent is too large",
        "Nothing was saved. Use your browser's Back button to return to the page, make what "
        "you sent smaller (a shorter text or a smaller file) and try again.",
    ),
    415: ("What you sent cannot be read", "Go back and fill in the form on the page."),
    503: (
        "Sorry, the service is unavailable",
        "It is busy or being worked on. Try again in a few minutes. "
        "Your saved answers have not been lost.",
    ),
    429: ("Too many attempts", "Wait a few minutes, then try again."),
}

# A 405 for a GET: the address of a button (a bookmark, a reload, Back) opened directly.
OPENED_DIRECTLY = (
    "This page cannot be opened directly",
    "This address belongs to a button on another page, so nothing was done. "
    "Go back to that page and use its button.",
)

# Seconds a client is asked to wait before trying again after a 503.
RETRY_AFTER_SECONDS = 30
# A body over the size limit is read and thrown away before the 413 page is sent, up to
# this many bytes: a server that answers and closes while the browser is still sending
# resets the connection, and the browser shows a network error instead of the page.
# Anything bigger is refused unread (the connection is then closed).
DRAIN_LIMIT = 16 * 1024 * 1024
DRAIN_CHUNK = 64 * 1024


def drain_request_body() -> int:
    """Read and discard what is left of the request body, up to :data:`DRAIN_LIMIT`
    bytes; returns how many bytes were read. Only a body of declared length (or one the
    server marks as terminated, such as a chunked one) is read, so it never waits for
    bytes that will not come."""
    environ = request.environ
    # The stream werkzeug already began to read (a form parsed part of the way) knows
    # where the body ends; otherwise the server's own, read up to the declared length.
    stream = request.__dict__.get("stream") or environ.get("wsgi.input")
    length = request.content_length
    if stream is None:
        return 0
    if length is None:
        if not environ.get("wsgi.input_terminated"):
            return 0
        length = DRAIN_LIMIT + 1
    elif length > DRAIN_LIMIT:
        return 0
    read = 0
    try:
        while read < length and read <= DRAIN_LIMIT:
            chunk = stream.read(min(DRAIN_CHUNK, length - read))
            if not chunk:
                break
            read += len(chunk)
    except (OSError, ValueError):  # the client went away, or the stream is closed
        log.debug("could not read the rest of a refused body", exc_info=True)
    return read


def _ensure_url_adapter() -> None:
    """Give a request whose ``Host`` could not be used (a label over 63 characters, or a
    host outside ``TRUSTED_HOSTS``) a URL adapter, so its error page can link to the
    stylesheet and the start page: links are built as paths, never from that host."""
    ctx = request_ctx._get_current_object()
    if ctx.url_adapter is None:
        ctx.url_adapter = current_app.url_map.bind(
            "localhost",
            script_name=request.script_root or "/",
            url_scheme=request.scheme,
        )


# A partner's page too large to send: its answers are only in the browser now, and Back is
# the way to them ("Go to the start" would lose them).
PARTNER_TOO_LARGE = (
    "Nothing on that page was saved. Use your browser's Back button to return to your "
    "answers, which are still there, shorten the longest one and try again."
)


def sent_from() -> str | None:
    """For a staff page too large to send: the address of the page it was sent from, when
    that address also shows a page (the organisations upload, the responses import), so the
    error page can lead back to it, not only to the consultations; else None."""
    rule = request.url_rule
    if rule is None or "GET" not in (rule.methods or ()) or not request.path.startswith("/staff/"):
        return None
    return request.path


def render_error(code: int):
    """The plain error page for ``code``, as a (body, status) pair."""
    _ensure_url_adapter()
    title, body = MESSAGES.get(code, ("Sorry, there is a problem", "Try again later."))
    if code == 413 and request.path.startswith(("/c/", "/i/")):
        body = PARTNER_TOO_LARGE
    if code == 405 and request.method == "GET":
        title, body = OPENED_DIRECTLY
    staff = request.path.startswith("/staff/")
    back = sent_from() if code == 413 else None
    return render_template(
        "errors/error.html", title=title, body=body, code=code, staff=staff, back=back
    ), code


def register_error_pages(app: Flask) -> None:
    """Render every HTTP error, and any unexpected error, as a plain page."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 413:
            drain_request_body()
        return render_error(error.code or 500)

    app.register_error_handler(CSRFError, lambda error: csrf_expiry.refused())

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error: Exception):
        """The database is down, unreachable or locked: a 503 page, nothing half written
        (the transaction is rolled back; the page asks to try again)."""
        log.error("Database unavailable: %s", str(error).splitlines()[0] if str(error) else "")
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection may be gone; nothing to undo
            log.debug("rollback after a database error failed", exc_info=True)
        body, code = render_error(503)
        return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(IntegrityError)
    def conflicting_change(error: IntegrityError):
        """Two people did the same thing at once (two new sections taking the same place,
        two imports of one web address name, two splits of one theme): the later change
        broke a uniqueness rule the page had checked a moment before. It is rolled back
        whole, and the page says so with a 409, rather than a 500."""
        log.warning("Conflicting change: %s", str(error.orig).splitlines()[0][:200])
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):  # pragma: no cover - a last resort
        if app.testing:
            raise error
        app.logger.exception("Unhandled error", exc_info=error)
        db.session.rollback()
        _ensure_url_adapter()
        return (
            render_template(
                "errors/error.html",
                title="Sorry, there is a problem with the service",
                body="Try again later. Your saved answers have not been lost.",
                code=500,
            ),
            500,
        )
