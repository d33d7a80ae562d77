"""Theme reports: analyses run in the background, stored, reviewed and handed on.

``bp`` is the staff blueprint (``/staff/reports``); :func:`init_app` binds the job queue and
registers the pages. Request-free logic lives in ``runs.py`` (runs), ``jobs.py`` (the job)
and ``queue.py`` (huey).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("reports", __name__, url_prefix="/staff/reports")


def init_app(app: Flask) -> None:
    """Bind the job queue to ``app`` and register the report pages."""
    from .queue import init_app as init_queue

    init_queue(app)
    from . import views  # noqa: F401  (routes on bp)

    app.register_blueprint(bp)
