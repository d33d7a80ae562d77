"""Theme reports: analyses run in the background, stored, reviewed and handed on.

``bp`` is the staff blueprint (``/staff/reports``); :func:`init_app` binds the job queue and
registers the pages. Request-free logic lives in ``runs.py`` (runs), ``jobs.py`` (the job)
and ``queue.py`` (huey).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("reports", __name__, url_prefix="/staff/reports")


@bp.teardown_request
def forget_answer_texts(_error: BaseException | None = None) -> None:
    """Empty the analysis's per-text caches after each report request (review edits run
    analysis in the request): a web process lives on, and full caches hold about 350 MB of
    earlier answers (BENCHMARKS "anlft"); within a request they still spare re-reading."""
    from analysis.remembered import forget

    forget()


def init_app(app: Flask) -> None:
    """Bind the job queue to ``app`` and register the report pages."""
    from .queue import init_app as init_queue

    init_queue(app)
    from . import views  # noqa: F401  (routes on bp)

    app.register_blueprint(bp)
