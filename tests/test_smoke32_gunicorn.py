"""Smoke walk 32's finding on the coding form, read through a real gunicorn process (the
setup of tests/test_gunicorn.py), as a coder reads the stance question.

Found in the walk (the demo, Q2 "Why do you say that?", coding by keyboard): the stance
question's hint said "Leave “Not coded for stance” if it takes no side." beside the choice
"Neither: mixed, or no clear side", so a response taking no side had two answers, and the one
the hint named leaves its stance to the agreement answer or the model, not "neither"."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.models import Question
from tests.reports.review_helpers import answers_of
from tests.test_gunicorn import served  # noqa: F401 - the served fixture
from tests.test_smoke30_gunicorn import codebook_from_stored_run

pytestmark = pytest.mark.backends("sqlite", "postgresql")
SERVED_WITH_WORKER = False  # the codebook's first application waits: nothing is read from it


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_stance_hint_sends_a_response_with_no_side_to_neither(served):  # noqa: F811
    app = served[-1]
    staff, coding_path, _, question_id, _ = codebook_from_stored_run(served)
    with app.app_context():
        response_id = answers_of(db.session.get(Question, question_id))["ids"][0]
        db.session.remove()
    page = staff.request(f"{coding_path}/{response_id}")
    assert page.status == 200
    stance = page.soup().find("input", attrs={"name": "stance", "value": "mixed"})
    fieldset = stance.find_parent("fieldset")
    hint = words(fieldset.find(class_="govuk-hint").get_text())
    assert "Leave “Not coded for stance” if it takes no side" not in hint, hint
    assert (
        "Choose “Neither” if it argues both ways or takes no clear side; leave “Not coded "
        "for stance” if you have not judged it."
    ) in hint, hint
    labels = words(fieldset.get_text())
    assert "Neither: mixed, or no clear side" in labels and "Not coded for stance" in labels
