"""Rough edges of the coding pages a new analyst trips over (left26 #5)."""

from __future__ import annotations

import pytest

from tests.helpers import soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.reports.test_coding_code18 import FIRST, make_codebook
from tests.staff_helpers import signed_in


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    return stored_run(consultation, question, n_themes=4)


def test_the_digit_keys_are_said_to_follow_the_listed_order_not_the_theme_numbers(app, run):
    """A run's themes become the codebook in the report's order, which need not be their
    numbers' (the demo's Q3 listed T02 to T09, then T01): "1" ticks the first listed."""
    client = signed_in(app, "analyst", FIRST)
    make_codebook(client, run)
    response_id = answers_of(run.question)["ids"][0]
    page = soup(client.get(f"/staff/reports/questions/{run.question_id}/coding/{response_id}"))
    said = " ".join(page.find(id="coding-shortcuts-digits").get_text(" ").split())
    assert "in the order they are listed here, not by their numbers" in said
    assert "1 is the first listed, whatever its number" in said


def test_the_coding_page_says_how_to_reach_the_answers_the_model_is_unsure_of(app, run):
    """The coding page told the analyst reading it to code the unsure answers "on the coding
    page"; it now says "Code responses" offers them (the Word summary, read elsewhere, still
    points to the coding page)."""
    import io

    from docx import Document
    from sqlalchemy import update

    from consult.extensions import db
    from consult.reports import coding
    from consult.reports.coding_models import MachineCode

    client = signed_in(app, "analyst", FIRST)
    codebook = make_codebook(client, run)
    keys = [t.key for t in codebook.themes]
    ids = answers_of(run.question)["ids"]
    for response_id in ids[:12]:
        coding.save_code(codebook, response_id, FIRST, [keys[0]], None)
    job = coding.start_coding(codebook, FIRST)
    coding.run_coding(job.id, engine="fast")
    db.session.execute(
        update(MachineCode)
        .where(MachineCode.coding_id == job.id, MachineCode.response_id == ids[20])
        .values(confidence=0.001)
    )
    db.session.commit()
    url = f"/staff/reports/questions/{run.question_id}/coding"
    said = " ".join(soup(client.get(url)).find(id="coding-unsure").get_text(" ").split())
    assert said.endswith("“Code responses” offers them after the model's suggestions.") or (
        said.endswith("“Code responses” offers it after the model's suggestions.")
    )
    assert "on the coding page" not in said
    document = Document(io.BytesIO(client.get(f"{url}/download.docx").get_data()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "on the coding page." in text
    assert coding.next_response(codebook, "new@example.gov.uk") is not None
