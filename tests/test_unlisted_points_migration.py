"""store33: migration unlisted01a2b3 adds ``run_theme.unlisted_points`` (the summary points a
theme's label count read that its summary no longer lists) and takes it away again, on SQLite
and PostgreSQL; a theme stored before reads None (a recount then reads its summary alone, as
before), and its other columns are untouched either way."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from consult.extensions import db
from consult.reports.models import RunTheme
from tests.helpers import make_consultation
from tests.reports.stored_runs import store_synthetic_run

pytestmark = pytest.mark.backends("sqlite", "postgresql")

BEFORE = "freeinv01a2b3c4"


def columns() -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("run_theme")}


def test_the_column_goes_up_and_down_and_old_themes_read_none(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.kind == "short_text")
    run = store_synthetic_run(consultation, question, responses=30, themes=2)
    theme = db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id)).first()
    theme.unlisted_points = ["Buses should run on time."]
    db.session.commit()
    theme_id, label, summary = theme.id, theme.label, theme.summary
    db.session.remove()

    downgrade(revision=BEFORE)  # as stored before store33
    assert "unlisted_points" not in columns()
    with db.engine.connect() as connection:
        assert (
            connection.execute(
                text("SELECT label FROM run_theme WHERE id = :id"), {"id": theme_id}
            ).scalar_one()
            == label
        )
    upgrade()
    assert "unlisted_points" in columns()
    kept = db.session.get(RunTheme, theme_id)
    assert kept.unlisted_points is None  # stored before: recounted from its summary alone
    assert (kept.label, kept.summary) == (label, summary)
    kept.unlisted_points = ["Buses should run on time.", "Fares are too high."]
    db.session.commit()
    db.session.remove()
    assert db.session.get(RunTheme, theme_id).unlisted_points == [
        "Buses should run on time.",
        "Fares are too high.",
    ]
