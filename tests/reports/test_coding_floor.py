"""The model's confidence floor (smoke walk 7, finding 5): an answer the model codes below
``CODING_CONFIDENCE_FLOOR`` is "not coded: the model is unsure". It is in no theme count (coding
page, run report, downloads), counted apart, its guess kept for a coder to read, and it stays in
the coding queue."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from analysis.coding_floor import CONFIDENCE_FLOOR, EARLY_FLOOR, floor_for
from consult.extensions import db
from consult.reports import coded, coding
from consult.reports.coding_models import MachineCode
from tests.helpers import soup
from tests.reports import test_coded_report
from tests.staff_helpers import signed_in

FIRST = test_coded_report.FIRST
setup = test_coded_report.setup  # the fixture: 41 answers, 16 coded, the model applied

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _make_unsure(codebook, count: int = 2) -> list[MachineCode]:
    """Lower the confidence of the model's first ``count`` codes below the floor."""
    latest = coding.latest_coding(codebook)
    codes = list(
        db.session.scalars(
            select(MachineCode)
            .where(MachineCode.coding_id == latest.id)
            .order_by(MachineCode.response_id)
        )
    )
    low = [c for c in codes if c.themes][:count]
    for number, code in enumerate(low):
        code.confidence = 0.01 + 0.02 * number
    db.session.commit()
    return low


def test_the_floor_is_recorded_with_each_application(setup, app):
    _, codebook, _ = setup
    metrics = coding.latest_coding(codebook).metrics
    assert app.config["CODING_CONFIDENCE_FLOOR"] == CONFIDENCE_FLOOR
    # learned from 16 codes (fewer than 20): the floor is raised, and says why (smoke8 #5)
    assert metrics["floor_base"] == CONFIDENCE_FLOOR
    assert metrics["floor"] == floor_for(16, 4) == EARLY_FLOOR
    assert metrics["floor_why"] == "the model has learnt from only 16 codes"
    assert coded.floor_of(coding.latest_coding(codebook)) == EARLY_FLOOR
    assert coded.floor_why_of(coding.latest_coding(codebook)) == metrics["floor_why"]
    assert coded.floor_of(None) == CONFIDENCE_FLOOR  # the setting, with nothing recorded


def test_unsure_answers_are_counted_apart_everywhere(setup, app):
    run, codebook, data = setup
    before = coded.coded_report(run.question)
    low = _make_unsure(codebook)
    after = coded.coded_report(run.question)
    assert (after.unsure, after.machine) == (2, before.machine - 2)
    assert after.human == before.human and after.uncoded == before.uncoded
    for theme_before, theme_after in zip(before.themes, after.themes, strict=True):
        taken = sum(theme_after.key in code.themes for code in low)
        assert theme_after.machine == theme_before.machine - taken
    assert after.unsure_words.startswith(
        "2 answers not coded: the model is unsure (its confidence is below 0.3; the model has "
        "learnt from only 16 codes)"
    )
    summary = coding.summary(codebook, coding.latest_coding(codebook))
    assert (summary.unsure, summary.machine) == (2, after.machine)
    # the coding page
    analyst = signed_in(app, "analyst", "floor@example.gov.uk")
    page = soup(analyst.get(f"/staff/reports/questions/{run.question_id}/coding"))
    progress = " ".join(page.find(id="coding-progress").get_text().split())
    assert "2 not coded because the model is unsure" in progress
    assert page.find(id="coding-unsure") is not None
    # the run's report page
    report = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    counts = " ".join(report.find(id="coded-counts").get_text().split())
    assert f"{after.machine} by the model" in counts
    assert "2 not coded because the model is unsure" in counts
    # the response page says so, with the guess, and offers to code it
    response = soup(analyst.get(f"/staff/reports/responses/{low[0].response_id}"))
    said = response.find(id=f"coding-{run.question_id}-unsure").get_text(" ", strip=True)
    assert "not coded: the model is unsure (confidence 0.01" in said
    assert "Its guess was" in said and "Code it" in said


def test_downloads_leave_the_guess_out_of_the_themes(setup, app):
    run, codebook, data = setup
    low = _make_unsure(codebook)
    references = {
        response_id: reference
        for response_id, reference in zip(
            coding.answers(codebook).response_ids, coding.answers(codebook).references, strict=True
        )
    }
    analyst = signed_in(app, "analyst", "floordownloads@example.gov.uk")
    body = analyst.get(f"/staff/reports/questions/{run.question_id}/coding/download.csv")
    assert body.status_code == 200
    rows = {
        r["reference"]: r
        for r in csv.DictReader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff")))
    }
    for code in low:
        row = rows[references[code.response_id]]
        assert (row["source"], row["themes"], row["theme_names"]) == ("unsure", "", "")
        assert row["unsure_guess"] == "; ".join(code.themes)
        assert float(row["confidence"]) < CONFIDENCE_FLOOR
    assert {r["unsure_guess"] for r in rows.values() if r["source"] != "unsure"} == {""}
    # the run's CSV: blank themes, source "unsure"
    body = analyst.get(f"/staff/reports/runs/{run.id}/report.csv")
    run_rows = list(csv.DictReader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff"))))
    unsure = [r for r in run_rows if r.get("codebook_source") == "unsure"]
    assert len(unsure) == 2 and {r["codebook_themes"] for r in unsure} == {""}


def test_unsure_answers_stay_in_the_queue(setup, app):
    _, codebook, _ = setup
    low = _make_unsure(codebook, 3)
    latest = coding.latest_coding(codebook)
    assert coding.unsure_responses(latest) == [c.response_id for c in low]  # least sure first
    latest.suggestions = []
    db.session.commit()
    assert coding.next_response(codebook, "someone.new@example.gov.uk") == low[0].response_id
    coding.save_code(codebook, low[0].response_id, FIRST, [codebook.themes[0].key], None)
    assert coding.next_response(codebook, "someone.new@example.gov.uk") == low[1].response_id


def test_a_floor_of_zero_counts_every_guess(setup, app):
    run, codebook, _ = setup
    _make_unsure(codebook)
    latest = coding.latest_coding(codebook)
    latest.metrics = {**latest.metrics, "floor": 0.0}
    db.session.commit()
    report = coded.coded_report(run.question)
    assert report.unsure == 0 and report.unsure_words == ""
