"""left27's exports as a real gunicorn process sends them (streamed, read after the request's
session has gone): hidden characters shown in the CSV and XLSX and escaped in the JSON; an
unknown filter value refused with a 400 page naming it; the coding workbook's Figures sheet."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from consult.extensions import db
from consult.reports.coding_documents import FIGURES_SHEET
from tests.helpers import make_consultation
from tests.reports.test_coding_over_given import _coded
from tests.reports_helpers import worker_environment
from tests.staff_helpers import make_user
from tests.test_gunicorn import gunicorn_process, signed_in_browser
from tests.test_hidden_characters import SHOWN, TYPED, WHY
from tests.test_staff_data import add_response

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_exports_through_gunicorn(app, database_url, tmp_path):
    consultation = make_consultation()
    add_response(consultation, "WM-HID", TYPED, ["bus"], org="Trojan \u202eTrust")
    consultation_id = consultation.id
    question, codebook, latest, _ = _coded({0: 6, 1: 6, 2: 6, 3: 6})
    question_id, f1 = question.id, latest.metrics["themes"]["sample_f1"]
    email = make_user("analyst").email
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served", LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log") as (base, _):
        staff = signed_in_browser(base, email)
        url = f"/staff/consultations/{consultation_id}/export"
        got = {fmt: staff.request(f"{url}.{fmt}") for fmt in ("csv", "xlsx", "json")}
        refused = staff.request(f"{url}.csv?partner_type=nonsense")
        listing = staff.request(f"/staff/consultations/{consultation_id}/responses?area=Mars")
        coding = staff.request(f"/staff/reports/questions/{question_id}/coding/download.xlsx")
    assert {fmt: reply.status for fmt, reply in got.items()} == dict.fromkeys(got, 200)
    assert got["csv"].headers.get("Transfer-Encoding") == "chunked"
    (row,) = csv.DictReader(io.StringIO(got["csv"].text.lstrip("\ufeff")))
    assert row[WHY] == SHOWN
    sheet = list(load_workbook(io.BytesIO(got["xlsx"].body)).active.iter_rows(values_only=True))
    assert sheet[1][sheet[0].index(WHY)] == SHOWN
    assert "\\u202e" in got["json"].text
    assert json.loads(got["json"].body)["responses"][0][WHY] == TYPED
    assert refused.status == 400 and "‘nonsense’ is not one this service knows" in refused.text
    assert refused.headers["Content-Type"].startswith("text/html")
    assert listing.status == 400 and "The area ‘Mars’" in listing.text
    assert coding.status == 200
    figures = list(
        load_workbook(io.BytesIO(coding.body))[FIGURES_SHEET].iter_rows(values_only=True)
    )
    assert figures[1][0] == "Agreement with people (F1)" and figures[1][3] == f1
