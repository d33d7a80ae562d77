"""rev31b: a run stored before count31 (its summary points without ``merged_part``, most of
its answers without a stance) still renames and renders through a real gunicorn process, its
recount reading the label's side from the theme's own answers (``review.own_side``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Consultation, Question
from consult.reports.models import RunAssignment, RunTheme
from tests.reports.stored_runs import store_synthetic_run
from tests.test_gunicorn import served, signed_in_browser  # noqa: F401 - the served fixture

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]
SERVED_WITH_WORKER = False  # the recount is done in the request (60 answers)


def test_an_old_stance_run_renames_and_renders(served):  # noqa: F811
    base, consultation_id, question_id, email, _, app = served
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        run = store_synthetic_run(consultation, db.session.get(Question, question_id))
        run.engine_used = "semantic"
        run.summary = {**(run.summary or {}), "stance_measured": True}
        theme = db.session.scalars(
            select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.key == "T01")
        ).one()
        theme.summary = [{"id": "x", "text": "Our view on the matter is old.", "answers": 3}]
        rows = db.session.scalars(select(RunAssignment).where(RunAssignment.run_id == run.id))
        for index, row in enumerate(rows):
            row.stance = "for" if index % 5 == 0 else None
        db.session.commit()
        run_id = run.id
        db.session.remove()
    staff = signed_in_browser(base, email)
    path = f"/staff/reports/runs/{run_id}/themes/T01/rename"
    renamed = staff.form(path, {"label": "Buses must run on time", "description": ""})
    assert renamed.status == 302, renamed.text[:300]
    page = staff.request(f"/staff/reports/runs/{run_id}/themes/T01")
    assert page.status == 200
    assert "Buses must run on time" in page.text
    with app.app_context():
        theme = db.session.scalars(
            select(RunTheme).where(RunTheme.run_id == run_id, RunTheme.key == "T01")
        ).one()
        # counted again in the request, with the semantic engine's models, over old rows
        assert isinstance(theme.label_point, int), theme.label_point
        assert theme.label_point <= theme.mentions
