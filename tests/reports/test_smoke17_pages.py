"""smoke17's findings on the theme report pages, through the app with a real database:
the overview's "Check before quoting" sits next to the theme's label (#1)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports.models import RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def why_question(consultation):
    return next(q for q in consultation.questions if q.explains is not None)


def test_the_overview_puts_the_check_next_to_the_theme(app):
    """At 1200 px the check sat after every partner type's column, out of view (#1)."""
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=80)
    first = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == run.id).order_by(RunTheme.position)
    ).first()
    first.stability = 0.3
    run.engine_used = "semantic"
    db.session.commit()
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/consultations/{consultation.id}"))
    table = page.find(id=f"question-{run.question_id}").find_next("table")
    headers = [words(th) for th in table.thead.select("th")]
    assert headers[:2] == ["Theme", "Check before quoting"]
    assert headers[2].startswith("All (")
    row = next(tr for tr in table.tbody.select("tr") if words(tr.th).startswith(f"{first.key}:"))
    assert words(row.select("td")[0]).startswith("Unstable grouping")
