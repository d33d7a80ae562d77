"""The coding overview and its Word summary say how the model read the answers, beside its
agreement figures (enc26, issue 13): by words alone with the fast engine; by words and
meaning with plain MiniLM or with the fine-tuned coding encoder, named by the id metrics.json
records. A coding stored before the encoder was recorded says nothing."""

from __future__ import annotations

import io

import pytest
from docx import Document

from analysis.coding_encoder import ENVIRONMENT
from consult.extensions import db
from consult.reports import coding, coding_documents
from tests.analysis.test_coding_encoder import make_encoder, needs_semantic
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

CODER = "reader@example.gov.uk"


def _applied(engine: str):
    """24 answers, a codebook from a stored run, 12 coded by a person, the model applied."""
    consultation, question = make_question()
    add_answers(consultation, question, 24)
    codebook = coding.codebook_from_run(stored_run(consultation, question, n_themes=3), CODER)
    keys = [t.key for t in codebook.themes]
    for index, response_id in enumerate(answers_of(question)["ids"][:12]):
        coding.save_code(codebook, response_id, CODER, [keys[index % 3]], None)
    job = coding.start_coding(codebook, CODER)
    coding.run_coding(job.id, engine=engine)
    latest = coding.latest_coding(codebook)
    assert latest.status == "succeeded", latest.error
    return question, codebook, latest


def _said(app, question, codebook, latest) -> tuple[str, list[str]]:
    """The page's sentence (checked to be under "How good is the model's coding?") and the
    Word summary's paragraphs after "Agreement with people"."""
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/questions/{question.id}/coding"))
    found = page.find(id="model-reader")
    shown = " ".join(found.get_text(" ").split()) if found else ""
    if found is not None:
        assert found.find_previous("h2").get_text(strip=True) == "How good is the model's coding?"
    document = Document(io.BytesIO(coding_documents.coding_docx(codebook, latest)))
    paragraphs = [p.text for p in document.paragraphs]
    return shown, paragraphs[paragraphs.index("Agreement with people") :]


def test_the_fast_engine_is_said_to_read_words_alone(app):
    question, codebook, latest = _applied("fast")
    assert (latest.engine, latest.metrics["coding_encoder"]) == ("fast", "minilm")
    shown, summary = _said(app, question, codebook, latest)
    assert shown == "The model read the answers by their words alone (the fast engine)."
    assert shown in summary


@needs_semantic
def test_plain_minilm_is_named(app, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, "minilm")
    question, codebook, latest = _applied("semantic")
    shown, summary = _said(app, question, codebook, latest)
    assert shown.endswith("with plain MiniLM sentence embeddings (all-MiniLM-L6-v2).")
    assert "coding encoder" not in shown and shown in summary


@needs_semantic
def test_the_coding_encoder_is_named_by_its_id(app, monkeypatch, tmp_path):
    monkeypatch.setenv(ENVIRONMENT, str(make_encoder(tmp_path / "encoder")))
    question, codebook, latest = _applied("semantic")
    model_id = latest.metrics["coding_encoder"]
    assert model_id.startswith("minilm-argkp-ft-int8-")
    shown, summary = _said(app, question, codebook, latest)
    said = f"with the coding encoder: MiniLM fine-tuned on ArgKP's key points ({model_id})."
    assert shown.endswith(said)
    assert shown in summary


def test_a_coding_stored_before_says_nothing(app):
    question, codebook, latest = _applied("fast")
    latest.engine = "semantic"
    latest.metrics = {k: v for k, v in latest.metrics.items() if k != "coding_encoder"}
    db.session.commit()
    shown, summary = _said(app, question, codebook, latest)
    assert shown == "" and not any("read the answers" in p for p in summary)
