"""words31 #1: at a cold start (a codebook, nobody has coded yet) the model codes by similarity
to the codebook alone and its number is the closest theme's share of a sharp softmax, not a
measured confidence. The coding form said so (smoke30b); the downloads (the coding's CSV, Excel
and Word, the run's report CSV, the responses export) and the response pages still called it
"confidence". Every place a person reads now says what it is (read through the test client here;
the served download: tests/test_smoke30b_gunicorn.py)."""

from __future__ import annotations

import csv
import io

import pytest

from consult.extensions import db
from consult.reports.coded import COLD_CONFIDENCE
from consult.reports.coding_models import MachineCode
from tests.helpers import soup
from tests.reports.review_helpers import answers_of
from tests.reports.test_coding_pages import (  # noqa: F401 (fixtures)
    _measured,
    analyst,
    applied_coding,
    make_codebook,
    overview_url,
    run,
)

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _coded(codebook, ids, cold: bool):
    """The model applied (cold or learned): one sure code, one below the floor."""
    key = codebook.themes[0].key
    metrics = {**_measured(0 if cold else 27, 0, 0, True), "cold_start": cold, "floor": 0.5}
    job = applied_coding(codebook, [], metrics=metrics)
    for response_id, confidence in ((ids[0], 0.995), (ids[1], 0.4)):
        db.session.add(
            MachineCode(
                coding_id=job.id, response_id=response_id, themes=[key], confidence=confidence
            )
        )
    db.session.commit()
    return job


def _csv(client, url: str) -> list[dict[str, str]]:
    body = client.get(url)
    assert body.status_code == 200
    return list(csv.DictReader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.mark.parametrize("cold", [True, False])
def test_the_downloads_say_no_confidence_is_measured_at_a_cold_start(run, analyst, cold):  # noqa: F811
    from openpyxl import load_workbook

    codebook = make_codebook(analyst, run)
    ids = answers_of(run.question)["ids"]
    _coded(codebook, ids, cold)
    base = overview_url(run.question_id)

    rows = [r for r in _csv(analyst, f"{base}/download.csv") if r["source"] in ("model", "unsure")]
    assert sorted(r["source"] for r in rows) == ["model", "unsure"]
    cells = {r["confidence"] for r in rows}
    assert cells == ({COLD_CONFIDENCE} if cold else {"0.995", "0.4"})

    workbook = load_workbook(io.BytesIO(analyst.get(f"{base}/download.xlsx").data))
    sheet = list(workbook["Coding"].values)
    column = sheet[0].index("confidence")
    machine = {row[column] for row in sheet[1:] if row[4] in ("model", "unsure")}
    assert machine == ({COLD_CONFIDENCE} if cold else {0.995, 0.4})

    report = _csv(analyst, f"/staff/reports/runs/{run.id}/report.csv")
    cells = {r["codebook_confidence"] for r in report if r["codebook_source"]}
    assert cells == ({COLD_CONFIDENCE} if cold else {"0.995", "0.4"})

    export = _csv(analyst, f"/staff/consultations/{codebook.consultation_id}/export.csv")
    column = next(h for h in export[0] if h.endswith(" coding confidence"))
    cells = {r[column] for r in export if r[column]}
    assert cells == ({COLD_CONFIDENCE} if cold else {"0.995", "0.4"})

    from docx import Document

    words = " ".join(
        p.text for p in Document(io.BytesIO(analyst.get(f"{base}/download.docx").data)).paragraphs
    )
    if cold:
        assert "confidence" not in words, words
        assert "by similarity to the codebook alone" in words
    else:
        assert "its confidence is below 0.5" in words


def test_the_response_pages_give_no_confidence_at_a_cold_start(run, analyst):  # noqa: F811
    codebook = make_codebook(analyst, run)
    ids = answers_of(run.question)["ids"]
    _coded(codebook, ids, True)
    for page in ("/staff/reports/responses", "/staff/responses"):
        sure, unsure = (
            " ".join(
                soup(analyst.get(f"{page}/{i}"))
                .find(id=f"coding-{run.question_id}")
                .get_text()
                .split()
            )
            for i in ids[:2]
        )
        for said in (sure, unsure):
            assert "confidence 0" not in said and "0.99" not in said and "0.40" not in said
        assert "by similarity to the codebook alone" in sure
        assert "no confidence is measured" in sure
        assert "the model is unsure" in unsure and "by similarity to the codebook alone" in unsure
