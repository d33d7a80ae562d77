"""Migrations upgrade from empty, and back down, on SQLite and on the PostgreSQL server."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from consult import create_app
from consult.extensions import db
from tests.conftest import postgres_url, reset_postgres

TABLES = {
    "consultation",
    "section",
    "question",
    "option",
    "organisation",
    "invitation",
    "response",
    "answer",
    "alembic_version",
}


def round_trip(url: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        assert set(inspect(db.engine).get_table_names()) >= TABLES
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(inspect(db.engine).get_table_names()) >= TABLES
        db.engine.dispose()


def test_sqlite_upgrade_from_empty(tmp_path, monkeypatch):
    round_trip(f"sqlite:///{tmp_path / 'fresh.sqlite'}", tmp_path, monkeypatch)


def test_postgresql_upgrade_from_empty(tmp_path, monkeypatch):
    url = postgres_url()
    reset_postgres(url)
    round_trip(url, tmp_path, monkeypatch)


def test_models_match_migrations(tmp_path, monkeypatch):
    """Alembic finds nothing to add: every model change has a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'm.sqlite'}"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert diff == []
