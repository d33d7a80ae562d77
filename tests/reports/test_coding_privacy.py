"""Removing a respondent's data removes their coding: deleting a response (on request, or
past retention) or anonymising it (its written answers go) deletes its human and machine
codes, takes it out of the model's suggestions and drops the codebook examples quoted from
it. Nothing is mocked: the real mapper events on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult import retention
from consult.extensions import db
from consult.models import Response
from consult.reports import coding
from consult.reports.coding_models import CodebookTheme, HumanCode, MachineCode, MachineCoding
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run

pytestmark = pytest.mark.backends("sqlite", "postgresql")

CODER = "first.analyst@example.gov.uk"


@pytest.fixture
def coded(app):
    """A run's themes as the codebook, 20 responses coded by a person, the model applied."""
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    run = stored_run(consultation, question, n_themes=4)
    codebook = coding.codebook_from_run(run, CODER)
    data = answers_of(question)
    for index, response_id in enumerate(data["ids"][:20]):
        key = codebook.themes[index % len(codebook.themes)].key
        coding.save_code(codebook, response_id, CODER, [key], "for" if index % 2 else "against")
    job = coding.start_coding(codebook, CODER)
    coding.run_coding(job.id, engine="fast")
    return codebook, data


def _counts(response_id: int) -> tuple[int, int]:
    human = db.session.scalar(
        select(func.count()).select_from(HumanCode).where(HumanCode.response_id == response_id)
    )
    machine = db.session.scalar(
        select(func.count()).select_from(MachineCode).where(MachineCode.response_id == response_id)
    )
    return human, machine


def _suggested() -> set[int]:
    return {
        item["response_id"]
        for suggestions in db.session.scalars(select(MachineCoding.suggestions))
        for item in suggestions or []
    }


def _examples() -> list[tuple[str, str]]:
    db.session.expire_all()
    pairs = []
    for theme in db.session.scalars(select(CodebookTheme)):
        assert len(theme.example_references or []) == len(theme.examples or [])
        pairs.extend(zip(theme.example_references, theme.examples, strict=True))
    return pairs


def test_examples_remember_which_response_they_quote(coded):
    _, data = coded
    pairs = _examples()
    assert pairs and all(reference in data["references"] for reference, _ in pairs)
    texts = dict(zip(data["references"], data["texts"], strict=True))
    # An example is the sentence of the answer that makes the theme's point (the whole
    # answer when it is one sentence; the analysis starts a summary sentence with a capital),
    # so it is part of the answer it is recorded against.
    assert all(text.lower() in texts[reference].lower() for reference, text in pairs)


def test_deleting_a_response_deletes_its_codes_suggestions_and_examples(coded):
    _, data = coded
    quoted = db.session.scalar(select(Response.id).where(Response.reference == _examples()[0][0]))
    suggested_id = sorted(_suggested())[0]
    for response_id in (data["ids"][0], suggested_id, quoted):
        response = db.session.get(Response, response_id)
        if response is None:
            continue  # the quoted response was one of the others
        assert _counts(response_id) != (0, 0)
        reference = response.reference
        retention.remove(response, "delete", "the respondent asked")
        db.session.commit()
        assert _counts(response_id) == (0, 0)
        assert response_id not in _suggested()
        assert reference not in {ref for ref, _ in _examples()}
    # Everyone else's coding is untouched.
    assert db.session.scalar(select(func.count()).select_from(HumanCode)) >= 18


def test_anonymising_removes_the_coding_of_its_written_answers(coded):
    _, data = coded
    quoted = [reference for reference, _ in _examples()]
    reference = quoted[0]
    response = db.session.scalar(select(Response).where(Response.reference == reference))
    response_id = response.id
    text = data["texts"][data["references"].index(reference)]
    assert _counts(response_id) != (0, 0)
    retention.remove(response, "anonymise", "the respondent asked")
    db.session.commit()
    assert _counts(response_id) == (0, 0)
    assert response_id not in _suggested()
    assert reference not in {ref for ref, _ in _examples()}
    assert text not in {example for _, example in _examples()}
    assert db.session.get(Response, response_id) is not None  # kept, anonymised


def test_an_imported_example_is_dropped_by_its_exact_text(coded):
    codebook, data = coded
    theme = codebook.themes[0]
    target = data["ids"][30]
    text = data["texts"][30]
    theme.examples = [*theme.examples, f"  {text} "]
    theme.example_references = [*theme.example_references, ""]
    db.session.commit()
    retention.remove(db.session.get(Response, target), "delete", "asked")
    db.session.commit()
    assert all(example.strip() != text for _, example in _examples())


def test_the_retention_purge_removes_coding_too(coded, app):
    from datetime import timedelta

    from consult.models import utcnow

    codebook, _ = coded
    consultation = codebook.consultation
    consultation.closes_at = utcnow() - timedelta(days=10)
    consultation.retention_days = 1
    db.session.commit()
    retention.purge(mode="delete")
    assert db.session.scalar(select(func.count()).select_from(HumanCode)) == 0
    assert db.session.scalar(select(func.count()).select_from(MachineCode)) == 0
    assert _suggested() == set()
    assert _examples() == []
