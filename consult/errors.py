"""Plain error pages: never a traceback, never a bare 500."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from .extensions import db

MESSAGES = {
    400: ("Sorry, there is a problem with that request", "Go back and try again."),
    403: ("You cannot see this page", "You do not have permission to view it."),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("Sorry, that action is not allowed here", "Go back and try again."),
    410: ("This page is no longer available", "It has expired or been removed."),
    413: ("What you sent is too large", "Shorten your answers and try again."),
    429: ("Too many attempts", "Wait a few minutes, then try again."),
}


def register_error_pages(app: Flask) -> None:
    """Render every HTTP error, and any unexpected error, as a plain page."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        title, body = MESSAGES.get(code, ("Sorry, there is a problem", "Try again later."))
        return render_template("errors/error.html", title=title, body=body, code=code), code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):  # pragma: no cover - a last resort
        if app.testing:
            raise error
        app.logger.exception("Unhandled error", exc_info=error)
        db.session.rollback()
        return (
            render_template(
                "errors/error.html",
                title="Sorry, there is a problem with the service",
                body="Try again later. Your saved answers have not been lost.",
                code=500,
            ),
            500,
        )
