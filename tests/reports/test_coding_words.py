"""One word for one stance and one meaning of confidence in every coding download (smoke5
findings 15 and 16): a stored 'mixed' is "neither" as the pages and the agreement scale
("Neither agree nor disagree") say it, in the coding CSV and Excel, the run's codebook
columns and the response exports; a person's code has no confidence (it is the model's),
as the response exports already left it. Through the test client and a real gunicorn."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from consult.extensions import db
from consult.reports import coding
from consult.reports.wording import coding_stance
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.reports_helpers import worker_environment
from tests.staff_helpers import make_user, signed_in
from tests.test_gunicorn import gunicorn_process, signed_in_browser

pytestmark = pytest.mark.backends("sqlite", "postgresql")

FIRST = "first.analyst@example.gov.uk"
STANCES = ("for", "against", "mixed", None)


@pytest.fixture
def setup(app):
    """30 answers, 12 coded by people (every stance, 'mixed' among them), the model applied
    to the rest."""
    consultation, question = make_question()
    add_answers(consultation, question, 30)
    run = stored_run(consultation, question, n_themes=3)
    codebook = coding.codebook_from_run(run, FIRST)
    keys = [t.key for t in codebook.themes]
    data = answers_of(question)
    for index, response_id in enumerate(data["ids"][:12]):
        coding.save_code(codebook, response_id, FIRST, [keys[index % 3]], STANCES[index % 4])
    job = coding.start_coding(codebook, FIRST)
    coding.run_coding(job.id, engine="fast")
    return run, codebook, data


def csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"))))


def sheet_rows(body: bytes, title: str) -> list[dict[str, object]]:
    rows = list(load_workbook(io.BytesIO(body), read_only=True)[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def check_coding_rows(rows: list[dict], data: dict) -> None:
    """People's rows: no confidence, their stance in the pages' words; the model's rows: its
    confidence; 'mixed' nowhere."""
    by_reference = {row["reference"]: row for row in rows}
    for index, reference in enumerate(data["references"][:12]):
        row = by_reference[reference]
        assert row["source"] == "human"
        assert row["confidence"] in ("", None)
        assert (row["stance"] or "") == coding_stance(STANCES[index % 4])
    assert coding_stance("mixed") == "neither"
    assert "neither" in {row["stance"] for row in rows}
    assert "mixed" not in {row["stance"] for row in rows}
    model = [row for row in rows if row["source"] == "model"]
    assert model and all(0 <= float(row["confidence"]) <= 1 for row in model)


def test_coding_downloads_say_neither_and_leave_peoples_confidence_blank(setup, app):
    run, codebook, data = setup
    client = signed_in(app, "analyst")
    url = f"/staff/reports/questions/{run.question_id}/coding/download"
    check_coding_rows(csv_rows(client.get(f"{url}.csv").data), data)
    check_coding_rows(sheet_rows(client.get(f"{url}.xlsx").data, "Coding"), data)


def test_the_runs_codebook_columns_and_the_response_exports_say_neither(setup, app):
    run, codebook, data = setup
    client = signed_in(app, "analyst")
    rows = csv_rows(client.get(f"/staff/reports/runs/{run.id}/report.csv").data)
    by_reference = {row["reference"]: row for row in rows}
    mixed = [ref for i, ref in enumerate(data["references"][:12]) if STANCES[i % 4] == "mixed"]
    assert mixed and all(by_reference[ref]["codebook_stance"] == "neither" for ref in mixed)
    assert "mixed" not in {row["codebook_stance"] for row in rows}
    # the run's own stance column already said "neither": now both columns agree
    assert "mixed" not in {row["stance"] for row in rows}
    body = client.get(f"/staff/consultations/{codebook.consultation_id}/export.csv")
    table = list(csv.reader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff"))))
    stance = next(i for i, h in enumerate(table[0]) if h.endswith("coded stance"))
    said = {row[0]: row[stance] for row in table[1:]}
    assert all(said[ref] == "neither" for ref in mixed)
    assert "mixed" not in said.values()
    # the response page says it the same way
    page = " ".join(client.get(f"/staff/responses/{data['ids'][2]}").get_data(as_text=True).split())
    assert "Stance: neither (coded by people)." in page and "Stance: mixed" not in page


def test_the_coding_form_still_stores_mixed(setup, app):
    """Labels change, stored values do not: the form's value and the code stored stay
    'mixed' (the model, the command line's `code` and older exports read it)."""
    run, codebook, data = setup
    code = coding.human_codes(codebook)[data["ids"][2]]
    assert code.stance == "mixed"


def test_the_coding_download_through_gunicorn(setup, app, database_url, tmp_path):
    """The coding CSV and Excel as a real gunicorn process sends them."""
    run, codebook, data = setup
    question_id = run.question_id
    email = make_user("analyst").email
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served", LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log") as (base, _):
        browser = signed_in_browser(base, email)
        url = f"/staff/reports/questions/{question_id}/coding/download"
        got = {fmt: browser.request(f"{url}.{fmt}") for fmt in ("csv", "xlsx")}
    assert all(reply.status == 200 for reply in got.values()), {
        fmt: reply.status for fmt, reply in got.items()
    }
    assert all(r.headers["Content-Disposition"].startswith("attachment") for r in got.values())
    check_coding_rows(csv_rows(got["csv"].body), data)
    check_coding_rows(sheet_rows(got["xlsx"].body, "Coding"), data)
