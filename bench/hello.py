"""The baseline for ``bench/load.py``: a minimal Flask "hello world" served by the same
gunicorn settings as the app, so the app's request rate can be quoted as a ratio of it."""

from __future__ import annotations

from flask import Flask


def create_app() -> Flask:
    """A Flask app with one route that answers ``Hello, world!``."""
    app = Flask(__name__)

    @app.get("/")
    def hello() -> str:
        return "Hello, world!"

    return app
