"""``GET /healthz`` (and ``/health``): is this web process able to serve?

It checks the database (``SELECT 1``) and the job queue (counting waiting jobs in its storage:
Redis or SQLite) and answers 200 with ``{"status": "ok", ...}`` when both answer, or 503 with
``"status": "unavailable"`` naming the part that failed. Whether a job worker is running is
reported too, but never fails the check: a load balancer should not take a web process out
because the separate worker is down. No error text is shown (it could name hosts or paths);
the failure is logged instead.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import text

from .extensions import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


def check_database() -> bool:
    """True when the database answers a query."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means unavailable
        log.warning("health check: the database is unavailable", exc_info=True)
        return False
    finally:
        with suppress(Exception):  # a dead connection has nothing to undo
            db.session.rollback()


def check_queue() -> tuple[bool, int | None]:
    """(True, waiting jobs) when the job queue's storage answers, else (False, None)."""
    from .reports.queue import pending_jobs

    try:
        return True, pending_jobs()
    except Exception:  # noqa: BLE001 - any failure means unavailable
        log.warning("health check: the job queue is unavailable", exc_info=True)
        return False, None


def workers_alive() -> bool | None:
    """Whether a job worker was seen lately (None when that cannot be told)."""
    from .reports.runs import worker_status

    try:
        return worker_status().alive
    except Exception:  # noqa: BLE001 - the database check reports this
        return None
    finally:
        with suppress(Exception):
            db.session.rollback()


def health_report() -> tuple[dict[str, Any], bool]:
    """The health document and whether everything needed is up."""
    database_ok = check_database()
    queue_ok, pending = check_queue()
    report: dict[str, Any] = {
        "status": "ok" if database_ok and queue_ok else "unavailable",
        "database": "ok" if database_ok else "unavailable",
        "queue": "ok" if queue_ok else "unavailable",
        "pending_jobs": pending,
        "worker_running": workers_alive() if database_ok else None,
    }
    return report, database_ok and queue_ok


@bp.get("/healthz")
@bp.get("/health")
def health():
    """The health check: 200 when the database and the queue answer, else 503."""
    report, ok = health_report()
    return jsonify(report), 200 if ok else 503
