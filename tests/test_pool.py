"""PostgreSQL connections are checked before use only after sitting idle (consult/pool.py):
a connection the server dropped is replaced, not handed to a request."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from consult import create_app
from consult.extensions import db

from .conftest import postgres_url


def _drop_the_apps_connections(url: str, app_name: str) -> int:
    """End the app's connections from the server side, as a database restart would."""
    engine = create_engine(url)
    with engine.begin() as connection:
        dropped = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ),
            {"name": app_name},
        ).scalar()
    engine.dispose()
    return int(dropped)


@pytest.mark.parametrize("idle_seconds", [0.2, 0.0])
def test_a_connection_the_server_dropped_is_replaced_after_idling(
    tmp_path, monkeypatch, idle_seconds
):
    url = postgres_url()
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    name = f"consult-pool-test-{time.time_ns()}"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "POSTGRES_PING_IDLE_SECONDS": idle_seconds,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_size": 1,
                "max_overflow": 0,
                "connect_args": {"application_name": name},
            },
        }
    )
    with app.app_context():
        assert db.engine.pool._pre_ping is (idle_seconds == 0)
        assert db.session.execute(text("SELECT 1")).scalar() == 1
        db.session.remove()  # the connection goes back to the pool
        assert _drop_the_apps_connections(url, name) == 1
        time.sleep(idle_seconds + 0.3)
        # Checked on the way out of the pool, found dead and replaced: the query works.
        assert db.session.execute(text("SELECT 2")).scalar() == 2
        db.session.remove()
        db.engine.dispose()


def test_a_connection_used_moments_ago_is_not_checked(tmp_path, monkeypatch):
    """The documented trade-off: within the idle time no round trip is spent, so a connection
    dropped in that time fails the one request that reuses it; the next one works."""
    url = postgres_url()
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    name = f"consult-pool-test-{time.time_ns()}"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "POSTGRES_PING_IDLE_SECONDS": 60,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_size": 1,
                "max_overflow": 0,
                "connect_args": {"application_name": name},
            },
        }
    )
    with app.app_context():
        assert db.session.execute(text("SELECT 1")).scalar() == 1
        db.session.remove()
        assert _drop_the_apps_connections(url, name) == 1
        with pytest.raises(OperationalError):
            db.session.execute(text("SELECT 2"))
        db.session.remove()
        assert db.session.execute(text("SELECT 3")).scalar() == 3
        db.session.remove()
        db.engine.dispose()
