"""Migrations upgrade from empty, and back down, on SQLite and on the PostgreSQL server."""

from __future__ import annotations

import json

import pytest
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


def fill_in_closing_times(url: str, tmp_path, monkeypatch) -> dict[str, object]:
    """Upgrade to the revision before closed_at, add consultations closed in the old way,
    upgrade, and read back what closed_at was filled in with."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    from consult.models import as_utc

    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    with app.app_context():
        upgrade(revision="settle01a2b3")
        with db.engine.begin() as connection:
            for n, (slug, status) in enumerate(
                [("by-hand", "closed"), ("no-record", "closed"), ("still-open", "open")], 1
            ):
                connection.execute(
                    text(
                        "INSERT INTO consultation (id, slug, title, summary, audience, status,"
                        " privacy_notice, minutes_to_complete, allow_open_link,"
                        " allow_invitations, created_at) VALUES (:id, :slug, 'T', '', '',"
                        " :status, '', 5, true, true, :at)"
                    ),
                    {
                        "id": n,
                        "slug": slug,
                        "status": status,
                        "at": datetime(2026, 1, 1, tzinfo=UTC),
                    },
                )
            for at, status in [
                (datetime(2026, 3, 1, tzinfo=UTC), "closed"),
                (datetime(2026, 4, 1, tzinfo=UTC), "open"),
            ]:
                connection.execute(
                    text(
                        "INSERT INTO audit_event (at, actor, action, target, detail, address)"
                        " VALUES (:at, '', 'consultation_status', 'by-hand', :detail, '')"
                    ),
                    {"at": at, "detail": json.dumps({"status": status})},
                )
        before = datetime.now(UTC)
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT slug, closed_at FROM consultation")).all()
        downgrade(revision="settle01a2b3")  # the migration goes back down too
        # Leave the database as the other tests expect it: at the newest migration, with
        # none of these rows (the PostgreSQL test database is shared by the whole run).
        upgrade()
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_event"))
            connection.execute(text("DELETE FROM consultation"))
        db.engine.dispose()
    found = {
        slug: as_utc(closed) if isinstance(closed, datetime) else closed for slug, closed in rows
    }
    found["upgraded_at"] = before
    return found


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
def test_closed_at_is_filled_in_for_consultations_closed_by_hand(
    backend_name, tmp_path, monkeypatch
):
    """Closed consultations get the audit log's last "closed" time (its last one),
    or the upgrade time without one; open ones get none."""
    from datetime import UTC, datetime

    if backend_name == "sqlite":
        url = f"sqlite:///{tmp_path / 'closing.sqlite'}"
    else:
        url = postgres_url()
        reset_postgres(url)
    found = fill_in_closing_times(url, tmp_path, monkeypatch)
    if isinstance(found["no-record"], str):  # SQLite hands back text
        for slug in ("by-hand", "no-record"):
            found[slug] = datetime.fromisoformat(found[slug]).replace(tzinfo=UTC)
    assert found["by-hand"] == datetime(2026, 3, 1, tzinfo=UTC)
    assert found["no-record"] >= found["upgraded_at"].replace(microsecond=0)
    assert found["still-open"] is None


def wording_for_individuals_round_trip(url: str, tmp_path, monkeypatch) -> dict[str, object]:
    """Upgrade to the revision before the wording for individuals, store a question, then
    go up (the question reads the same: no wording of its own for individuals) and down
    (the columns go, the question stays), and up again."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    found: dict[str, object] = {}
    with app.app_context():
        upgrade(revision="multipt01a2")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO consultation (id, slug, title, summary, audience, status,"
                    " privacy_notice, minutes_to_complete, allow_open_link,"
                    " allow_invitations, created_at, what_happens_next) VALUES (1, 'worded',"
                    " 'T', '', '', 'open', '', 5, true, true, :at, 'A briefing for partners.')"
                ),
                {"at": datetime(2026, 1, 1, tzinfo=UTC)},
            )
            connection.execute(
                text(
                    "INSERT INTO section (id, consultation_id, position, title, intro)"
                    " VALUES (1, 1, 1, 'S', '')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO question (id, section_id, position, kind, text, hint, required)"
                    " VALUES (1, 1, 1, 'long_text', 'What does your organisation need?', '',"
                    " false)"
                )
            )
        upgrade(revision="indiv01a2b3")
        with db.engine.connect() as connection:
            found["up"] = connection.execute(
                text(
                    "SELECT q.text, q.text_individuals, c.what_happens_next,"
                    " c.what_happens_next_individuals FROM question q JOIN section s"
                    " ON s.id = q.section_id JOIN consultation c ON c.id = s.consultation_id"
                )
            ).one()
        downgrade(revision="multipt01a2")
        columns = inspect(db.engine)
        found["down"] = (
            {c["name"] for c in columns.get_columns("question")},
            {c["name"] for c in columns.get_columns("consultation")},
        )
        with db.engine.connect() as connection:
            found["kept"] = connection.execute(text("SELECT text FROM question")).scalar_one()
        upgrade()
        with db.engine.begin() as connection:  # as the other tests expect the database
            connection.execute(text("DELETE FROM consultation"))
        db.engine.dispose()
    return found


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
def test_wording_for_individuals_migrates_up_and_down(backend_name, tmp_path, monkeypatch):
    if backend_name == "sqlite":
        url = f"sqlite:///{tmp_path / 'worded.sqlite'}"
    else:
        url = postgres_url()
        reset_postgres(url)
    found = wording_for_individuals_round_trip(url, tmp_path, monkeypatch)
    assert tuple(found["up"]) == (
        "What does your organisation need?",
        "",
        "A briefing for partners.",
        "",
    )
    question_columns, consultation_columns = found["down"]
    assert "text_individuals" not in question_columns and "text" in question_columns
    assert "what_happens_next_individuals" not in consultation_columns
    assert found["kept"] == "What does your organisation need?"
