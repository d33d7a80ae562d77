"""Smoke walk 13's polish findings through a real gunicorn process (the setup of
tests/test_gunicorn.py, no mail server set up, as the demo runs): the organisation page
promises no email; a closed question's runs page offers no analysis and says why; the
consultation Word report calls its run "the newest; not edited in review", not "reviewed"."""

from __future__ import annotations

import io

import pytest
from docx import Document

from consult.demo import DEMO_SLUG
from consult.extensions import db
from consult.models import Consultation, Question
from consult.survey.fields import EMAIL_HINT_NO_MAIL_OPEN
from tests.reports.review_helpers import stored_run
from tests.test_gunicorn import Browser, served, signed_in_browser  # noqa: F401 - the served fixture

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


# These pages queue no job: ``served`` starts no worker.
SERVED_WITH_WORKER = False


def test_the_walks_pages_through_gunicorn(served):  # noqa: F811
    base, consultation_id, question_id, email, _, app = served
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        run = stored_run(consultation, db.session.get(Question, question_id), n_themes=4)
        run_id = run.id
        closed = next(q for q in consultation.questions if not q.is_text)
        closed_id, closed_number = closed.id, consultation.questions.index(closed) + 1
        assert not app.config.get("MAIL_SERVER")
        db.session.remove()

    partner = Browser(base)
    started = partner.form(f"/c/{DEMO_SLUG}", {})
    assert started.status == 302, started.text[:300]
    page = partner.request(f"/c/{DEMO_SLUG}/organisation")
    assert page.status == 200
    hint = " ".join(page.soup().find(id="respondent_email-hint").get_text().split())
    assert hint == EMAIL_HINT_NO_MAIL_OPEN and "We will email" not in page.text

    staff = signed_in_browser(base, email)
    runs = staff.request(f"/staff/reports/questions/{closed_id}/runs")
    assert runs.status == 200 and "Start an analysis" not in runs.text
    why = runs.soup().find(id="not-analysable").get_text(" ", strip=True)
    assert why.startswith(f"Question {closed_number} is not a free-text question")

    word = staff.request(f"/staff/reports/consultations/{consultation_id}/report.docx")
    assert word.status == 200 and word.body[:2] == b"PK", word.text[:300]
    texts = [p.text for p in Document(io.BytesIO(word.body)).paragraphs]
    assert any(t.startswith(f"From run {run_id} (the newest; not edited in review)") for t in texts)
    assert not any("(reviewed" in t or "not reviewed" in t for t in texts)
