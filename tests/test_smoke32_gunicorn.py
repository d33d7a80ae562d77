"""Smoke walk 32's findings on the coding pages, read through a real gunicorn process (the
setup of tests/test_gunicorn.py), as a coder reads them.

Found in the walk (the demo, Q2 "Why do you say that?", coding by keyboard): the stance
question's hint said "Leave “Not coded for stance” if it takes no side." beside the choice
"Neither: mixed, or no clear side", so a response taking no side had two answers, and the one
the hint named leaves its stance to the agreement answer or the model, not "neither". And,
after 12 coded, the codebook table gave each theme's precision and recall as "1.00" and
"0.50", each from one or two coded responses, with nothing to say so."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from consult.extensions import db
from consult.models import Consultation, Question, Section
from consult.reports.coding_models import Codebook
from tests.reports.review_helpers import answers_of
from tests.reports.test_coding_pages import _measured, applied_coding
from tests.test_gunicorn import served, signed_in_browser  # noqa: F401 - the served fixture
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


def test_each_themes_precision_and_recall_say_how_many_responses_they_rest_on(served):  # noqa: F811
    app = served[-1]
    staff, coding_path, _, question_id, _ = codebook_from_stored_run(served)
    with app.app_context():
        book = db.session.scalar(select(Codebook).where(Codebook.question_id == question_id))
        first, second = book.themes[0].key, book.themes[1].key
        metrics = _measured(12, 3, 2, True)
        metrics["themes"]["per_theme"] = [
            {"theme": first, "support": 1, "predicted": 1, "true_positive": 1}
            | {"precision": 1.0, "recall": 1.0},
            {"theme": second, "support": 1, "predicted": 2, "true_positive": 1}
            | {"precision": 0.5, "recall": 1.0},
        ]
        applied_coding(book, [], metrics=metrics, human_count=12)
        db.session.remove()
    page = staff.request(coding_path)
    assert page.status == 200
    rows = {
        row.find("th").get_text(" ", strip=True).split(":")[0]: [
            words(cell.get_text()) for cell in row.find_all("td")
        ]
        for row in page.soup().select("tbody tr")
        if row.find("th")
    }
    assert rows[first][-2:] == ["1.00 (1 of 1)", "1.00 (1 of 1)"], rows[first]
    assert rows[second][-2:] == ["0.50 (1 of 2)", "1.00 (1 of 1)"], rows[second]
    said = words(page.soup().find(id="precision-recall").get_text())
    assert "how many responses each rests on" in said, said
    word = staff.request(f"{coding_path}/download.docx")
    assert word.status == 200
    table = Document(io.BytesIO(word.body)).tables[0]
    cells = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert cells[second][-2:] == ["0.50 (1 of 2)", "1.00 (1 of 1)"], cells[second]


def test_a_draft_with_an_empty_section_is_asked_for_questions_not_a_section(served):  # noqa: F811
    """Smoke32: a new consultation with its first section added, no question yet, still said
    "add a section and its questions before opening it"; it now asks for questions in the
    section it has (and still for a section where it has none)."""
    base, _, _, email, _, app = served
    with app.app_context():
        draft = Consultation(
            slug="bus-strategy-2027",
            title="Bus strategy 2027",
            summary="Views on the draft bus strategy.",
            status="draft",
            privacy_notice="We keep answers for two years.",
        )
        draft.sections.append(Section(position=1, title="Your views", intro=""))
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
        db.session.remove()
    staff = signed_in_browser(base, email)
    page = staff.request(f"/staff/consultations/{draft_id}")
    assert page.status == 200
    said = words(page.soup().find("main").get_text())
    assert "add questions to its section before opening it." in said, said
    assert "add a section and its questions" not in said, said
