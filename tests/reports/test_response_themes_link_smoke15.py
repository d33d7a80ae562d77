"""smoke15 finding 5: a quote's "Response WM-…" link on the theme report opens the full
response, which said nothing of the themes its written answers are in (only the codebook
coding), and had no way to the page that does. The full response of a submitted response
now links to "Its written answers with their themes"; a draft, in no analysis, does not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Response, utcnow
from consult.reports.models import RunAssignment
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.reports.test_report_glance import themes_of, why_question
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_full_response_links_to_its_themes(app):
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=20)
    assignment = db.session.scalars(
        select(RunAssignment).where(
            RunAssignment.run_id == run.id, RunAssignment.theme_id.is_not(None)
        )
    ).first()
    response = db.session.get(Response, assignment.response_id)
    theme = next(t for t in themes_of(run) if t.id == assignment.theme_id)
    client = signed_in(app, "analyst")

    page = soup(client.get(f"/staff/responses/{response.id}"))
    link = page.find(id="response-themes").find("a")
    assert link.get_text(strip=True) == "Its written answers with their themes"
    assert link["href"] == f"/staff/reports/responses/{response.id}"
    target = client.get(link["href"])
    assert target.status_code == 200
    assert f"{theme.key}: {theme.label}" in " ".join(soup(target).get_text(" ").split())


def test_a_draft_has_no_themes_link(app):
    consultation = make_consultation()
    draft = Response(consultation=consultation, reference="WM-DRAFT1", status="draft")
    draft.updated_at = utcnow()
    db.session.add(draft)
    db.session.commit()
    page = soup(signed_in(app, "analyst").get(f"/staff/responses/{draft.id}"))
    assert page.find("h1").get_text(strip=True) == "Response WM-DRAFT1"
    assert page.find(id="response-themes") is None
