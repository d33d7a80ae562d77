"""A response imported with a date and no time (``submitted_date_only``) is exported with the
date alone, in CSV, JSON and XLSX, and importing that export again keeps it a date: it used to
be written as UK midnight ("2026-07-01T00:00:00+01:00"), which reads back as a time."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from analysis.io import read_bytes
from consult.extensions import db
from consult.models import Response
from tests.helpers import make_consultation, soup
from tests.reports_helpers import worker_environment
from tests.staff_helpers import make_user, post, signed_in
from tests.test_gunicorn import gunicorn_process, signed_in_browser
from tests.test_staff_data import add_response

pytestmark = pytest.mark.backends("sqlite", "postgresql")

# 1 July 2026, imported as a date alone: stored as UK midnight (BST), 23:00 UTC the day before
DAY_ONLY = datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
TIMED = datetime(2026, 7, 1, 11, 30, 5, tzinfo=UTC)  # 12:30:05 BST


def _source():
    """A consultation with one response dated alone (WM-1) and one with a time (WM-2)."""
    source = make_consultation()
    dated = add_response(source, "WM-1", "Cheaper fares", ["bus"])
    timed = add_response(source, "WM-2", "More trams", ["tram"])
    dated.submitted_at, dated.submitted_date_only = DAY_ONLY, True
    timed.submitted_at = TIMED
    db.session.commit()
    return source


def _submitted_cells(fmt: str, body: bytes) -> dict[str, object]:
    """Each reference's submitted_at cell as the export wrote it."""
    if fmt == "csv":
        rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
        return {row["reference"]: row["submitted_at"] for row in rows}
    if fmt == "json":
        return {r["reference"]: r["submitted_at"] for r in json.loads(body)["responses"]}
    sheet = load_workbook(io.BytesIO(body)).active
    header = [c.value for c in sheet[1]]
    at, ref = header.index("submitted_at (UK time)"), header.index("reference")
    return {
        row[ref].value: (row[at].value, row[at].number_format) for row in sheet.iter_rows(min_row=2)
    }


EXPECTED = {
    "csv": {"WM-1": "2026-07-01", "WM-2": "2026-07-01T12:30:05+01:00"},
    "json": {"WM-1": "2026-07-01", "WM-2": "2026-07-01T12:30:05+01:00"},
    "xlsx": {
        "WM-1": (datetime(2026, 7, 1), "yyyy-mm-dd"),
        "WM-2": (datetime(2026, 7, 1, 12, 30, 5), "yyyy-mm-dd hh:mm:ss"),
    },
}


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_a_date_only_response_round_trips_as_a_date(app, fmt):
    source = _source()
    client = signed_in(app, "admin")
    exported = client.get(f"/staff/consultations/{source.id}/export.{fmt}")
    assert exported.status_code == 200
    body = exported.get_data()
    assert _submitted_cells(fmt, body) == EXPECTED[fmt]

    # The file read as the import reads it: the date alone, the other a time.
    read = read_bytes(body, f"export.{fmt}")
    column = "submitted_at (UK time)" if fmt == "xlsx" else "submitted_at"
    cells = dict(zip(read.column("reference"), read.column(column), strict=True))
    assert cells["WM-1"] == "2026-07-01"
    assert cells["WM-2"] in ("2026-07-01T12:30:05+01:00", "2026-07-01 12:30:05")

    # Imported again into another consultation, with the columns the page offers.
    target = make_consultation("transport-again")
    upload = post(
        client,
        f"/staff/consultations/{target.id}/import",
        {"file": (io.BytesIO(body), f"export.{fmt}")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302, soup(upload).find(class_="govuk-error-summary")
    page = soup(client.get(upload.headers["Location"]))
    chosen = {
        select_["name"]: (select_.find("option", selected=True) or {}).get("value", "")
        for select_ in page.find_all("select")
    }
    assert chosen["submitted_at"] == column
    done = post(client, upload.headers["Location"], chosen)
    assert done.status_code == 302, soup(done).find(id="import-problems")
    imported = {
        r.external_id: r
        for r in db.session.scalars(select(Response).where(Response.consultation_id == target.id))
    }
    dated, timed = imported["WM-1"], imported["WM-2"]
    assert dated.submitted_date_only is True
    assert dated.submitted_at.astimezone(UTC) == DAY_ONLY
    assert timed.submitted_date_only is None
    assert timed.submitted_at.astimezone(UTC) == TIMED
    # ...and shown as the date alone, as the first import showed it.
    detail = " ".join(soup(client.get(f"/staff/responses/{dated.id}")).get_text().split())
    assert "on 1 July 2026." in detail and "midnight" not in detail


def test_a_streamed_export_through_gunicorn_writes_the_date_alone(app, database_url, tmp_path):
    """The CSV and XLSX exports as a real gunicorn server streams them (chunked)."""
    source = _source()
    email = make_user("analyst").email
    source_id = source.id
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served")
    with gunicorn_process(env, tmp_path / "gunicorn.log") as (base, _):
        staff = signed_in_browser(base, email)
        for fmt in ("csv", "xlsx"):
            export = staff.request(f"/staff/consultations/{source_id}/export.{fmt}")
            assert export.status == 200, export.text[:300]
            assert export.headers.get("Transfer-Encoding") == "chunked"
            assert _submitted_cells(fmt, export.body) == EXPECTED[fmt]
