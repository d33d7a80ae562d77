"""Exports: content, formula safety, the filters chosen on the Responses page, the password
re-prompt with those filters kept, an export sent after the request's session has gone, and
the audit log recording only exports that were sent in full."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.extensions import db
from consult.models import AuditEvent, utcnow
from tests.helpers import make_consultation, soup
from tests.staff_helpers import PASSWORD, post, signed_in
from tests.test_staff_data import INJECTIONS, add_response

pytestmark = pytest.mark.backends("sqlite", "postgresql")

MODES = "Q3: Which modes do you use?"
# A "why" question's heading names the agreement question it explains.
WHY = "Q2: Why do you say that? (about Q1: Buses should be franchised)"


def export_rows(response) -> list[dict[str, str]]:
    """A CSV export's rows as dicts keyed by header."""
    assert response.status_code == 200, response.status_code
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def exported(client, consultation, fmt="csv", **filters) -> list[dict[str, str]]:
    """The rows of an export in any format, as dicts keyed by header."""
    response = client.get(
        f"/staff/consultations/{consultation.id}/export.{fmt}", query_string=filters
    )
    assert response.status_code == 200, response.status_code
    if fmt == "csv":
        return export_rows(response)
    if fmt == "json":
        return json.loads(response.data)["responses"]
    values = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    return [dict(zip(values[0], (v or "" for v in row), strict=True)) for row in values[1:]]


def listed(client, consultation, **filters) -> set[str]:
    """The references the Responses page lists for these filters."""
    page = client.get(f"/staff/consultations/{consultation.id}/responses", query_string=filters)
    assert page.status_code == 200
    return {a.get_text() for a in soup(page).select("#response-list tbody a")}


def exports_recorded() -> list[dict]:
    db.session.expire_all()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "responses_exported")
    ).all()
    return [json.loads(event.detail) for event in events]


@pytest.fixture
def data(app):
    consultation = make_consultation()
    for index, text in enumerate(INJECTIONS):
        add_response(consultation, f"WM-{index}", text, ["bus", "rail"], org=text)
    add_response(consultation, "WM-DRAFT", "draft only", [], status="draft")
    return consultation


@pytest.fixture
def mixed(app):
    """Five responses that differ in every filtered property."""
    consultation = make_consultation()
    old = add_response(consultation, "WM-OLD", "Cheaper fares please", ["rail", "bus"])
    old.submitted_at = utcnow() - timedelta(days=10)
    add_response(
        consultation, "WM-VCSE", "More trams", ["tram"], org="Dudley Trust", partner="vcse"
    )
    add_response(consultation, "WM-WAL", "Buses late", ["bus"], org="Walsall Works", area="walsall")
    add_response(consultation, "WM-DR", "Fares too high", [], area="walsall", status="draft")
    add_response(consultation, "WM-NEW", "Trains are fine", ["rail"], org="Rail Fans")
    db.session.commit()
    return consultation


def test_csv_export_content_and_formula_safety(app, data):
    data.sections[0].questions[0].text = "=Buses should be franchised"
    db.session.commit()
    client = signed_in(app, "analyst")
    response = client.get(f"/staff/consultations/{data.id}/export.csv?status=submitted")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # said once
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["reference", "status", "submitted_at", "source"]
    assert "Q1: =Buses should be franchised" in header  # header starts with Q: left as it is
    assert len(body) == len(INJECTIONS)  # the draft is left out by the status filter
    modes = header.index(MODES)
    why = header.index("Q2: Why do you say that? (about Q1: =Buses should be franchised)")
    organisation = header.index("organisation")
    for row in body:
        assert row[modes] == "Bus; Rail"
        assert row[why][0] == "'" and row[organisation][0] == "'"
    assert {row[why][1:] for row in body} == set(INJECTIONS)
    assert exports_recorded() == [
        {"format": "csv", "responses": len(INJECTIONS), "filters": {"status": "submitted"}}
    ]


def test_one_formula_guard_for_every_export(app):
    from analysis import cells, output
    from consult import exports, invitations

    assert exports.safe_cell is cells.safe_cell
    assert output.safe_cell is cells.safe_cell
    assert invitations.safe_cell is cells.safe_cell
    assert [cells.safe_cell(v) for v in INJECTIONS] == ["'" + v for v in INJECTIONS]
    assert cells.safe_cell(12) == 12 and cells.safe_cell("plain") == "plain"
    assert cells.safe_cell(None) is None and cells.safe_cell("") == ""
    # A lone dash and plain negative numbers are not formulas: left as they are.
    assert [cells.safe_cell(v) for v in ("-", "-3", "-0.5", "-.5")] == ["-", "-3", "-0.5", "-.5"]
    assert [cells.safe_cell(v) for v in ("-2+3", "- fewer buses", "--", "-3e2", "-A1")] == [
        "'-2+3",
        "'- fewer buses",
        "'--",
        "'-3e2",
        "'-A1",
    ]
    first_line = next(iter(exports.write_csv(INJECTIONS, []))).lstrip("\ufeff")
    assert next(csv.reader(io.StringIO(first_line))) == ["'" + v for v in INJECTIONS]


def test_xlsx_export(app, data):
    client = signed_in(app, "analyst")
    response = client.get(f"/staff/consultations/{data.id}/export.xlsx?status=submitted")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "reference" and len(values) == 1 + len(INJECTIONS)
    # openpyxl writes a str as a text cell, never run, except one starting with "=", which
    # it writes as a formula: only that one is guarded.
    why = values[0].index(WHY)
    assert sorted(row[why] for row in values[1:]) == sorted(
        ["'=1+1" if v == "=1+1" else v for v in INJECTIONS]
    )
    assert {row[values[0].index(MODES)] for row in values[1:]} == {"Bus; Rail"}
    assert sheet.freeze_panes == "A2", "the heading row stays in view (smoke17)"
    from consult.exports import LAST_COLUMNS

    assert list(values[0][-len(LAST_COLUMNS) :]) == LAST_COLUMNS


def test_json_export(app, data):
    client = signed_in(app, "analyst")
    records = exported(client, data, "json", status="submitted")
    assert len(records) == len(INJECTIONS)
    assert records[0]["Q1: Buses should be franchised"] == "Agree"
    assert records[0][MODES] == "Bus; Rail"


def test_json_export_says_what_it_is(app, data):
    """The JSON export is an object: the records under "responses" (each keyed by the same
    headers as before), then what the file is: format version, consultation, when it was
    exported (with its offset from UTC), the filters and the counts."""
    client = signed_in(app, "analyst")
    response = client.get(f"/staff/consultations/{data.id}/export.json?status=submitted")
    document = json.loads(response.data)
    assert list(document) == ["responses", "metadata"]
    about = document["metadata"]
    assert about["format"] == "consult.responses/2"
    assert about["consultation"] == {"title": data.title, "slug": data.slug}
    exported_at = datetime.fromisoformat(about["exported_at"])
    assert exported_at.utcoffset() is not None  # "+00:00" in winter, "+01:00" in summer
    assert abs((exported_at - datetime.now(UTC)).total_seconds()) < 120
    assert about["filters"] == {"status": "submitted"}
    assert about["counts"]["responses"] == len(document["responses"]) == len(INJECTIONS)
    assert about["counts"]["columns"] == len(document["responses"][0])


def test_headings_name_the_question_a_why_answers_and_source_names_the_channel(app, mixed):
    """Three "Why do you say that?" columns are told apart by the question each explains;
    a response's source says whether it came through an invitation or the open link."""
    from consult.models import Invitation, Organisation, Response

    invited = db.session.scalar(select(Response).where(Response.reference == "WM-VCSE"))
    organisation = Organisation(name="Dudley Trust org", partner_type="vcse", area="dudley")
    invitation = Invitation(
        consultation=mixed,
        organisation=organisation,
        token_hash="x" * 64,
        expires_at=utcnow() + timedelta(days=30),
    )
    db.session.add_all([organisation, invitation])
    db.session.flush()
    invited.invitation_id = invitation.id
    db.session.commit()
    client = signed_in(app, "analyst")
    for fmt in ("csv", "xlsx", "json"):
        records = {r["reference"]: r for r in exported(client, mixed, fmt)}
        assert records["WM-VCSE"]["source"] == "invitation", fmt
        assert records["WM-OLD"]["source"] == "open link", fmt
        assert WHY in records["WM-OLD"], fmt
    page = client.get(f"/staff/responses/{invited.id}").get_data(as_text=True)
    assert "Came in through: invitation" in page


def test_an_imported_responses_id_in_the_other_tool_is_exported(app, mixed):
    """smoke10 finding 8: the other tool's response id ("import (1001)" on the response
    page) is the ``external_id`` column or field of every export, after ``source``, so an
    analyst can join the data back to that tool; empty for a response made here."""
    from consult.models import Response

    imported = db.session.scalar(select(Response).where(Response.reference == "WM-WAL"))
    imported.source, imported.external_id = "import", "1001"
    db.session.commit()
    client = signed_in(app, "analyst")
    for fmt in ("csv", "xlsx", "json"):
        rows = exported(client, mixed, fmt)
        assert list(rows[0])[3:6] == ["source", "external_id", "organisation"], fmt
        records = {r["reference"]: r for r in rows}
        assert (records["WM-WAL"]["source"], str(records["WM-WAL"]["external_id"])) == (
            "import",
            "1001",
        ), fmt
        assert records["WM-OLD"]["external_id"] == "", fmt
    page = client.get(f"/staff/responses/{imported.id}").get_data(as_text=True)
    assert "import (1001)" in page


def test_submitted_at_is_uk_time_to_the_second_in_every_format(app, mixed):
    from datetime import UTC, datetime

    from consult.models import Response

    summer = db.session.scalar(select(Response).where(Response.reference == "WM-VCSE"))
    summer.submitted_at = datetime(2026, 7, 1, 12, 0, 5, 115516, tzinfo=UTC)
    winter = db.session.scalar(select(Response).where(Response.reference == "WM-WAL"))
    winter.submitted_at = datetime(2026, 11, 13, 15, 12, 26, 115516, tzinfo=UTC)
    db.session.commit()
    client = signed_in(app, "analyst")
    for fmt in ("csv", "json"):
        rows = {row["reference"]: row for row in exported(client, mixed, fmt, status="any")}
        assert rows["WM-VCSE"]["submitted_at"] == "2026-07-01T13:00:05+01:00"  # BST
        assert rows["WM-WAL"]["submitted_at"] == "2026-11-13T15:12:26+00:00"  # GMT
        assert rows["WM-DR"]["submitted_at"] == ""  # a draft
    response = client.get(f"/staff/consultations/{mixed.id}/export.xlsx?status=any")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    assert header[2] == "submitted_at (UK time)"
    cells = {row[0].value: row[2] for row in sheet.iter_rows(min_row=2)}
    assert cells["WM-VCSE"].value == datetime(2026, 7, 1, 13, 0, 5)  # a real date cell
    assert cells["WM-VCSE"].is_date and cells["WM-VCSE"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert cells["WM-WAL"].value == datetime(2026, 11, 13, 15, 12, 26)
    assert cells["WM-DR"].value in (None, "")


def test_export_is_sent_after_the_request_session_has_gone(app, mixed):
    """A real server ends the request (and its database session) before it sends a streamed
    body; the test client's app context hides that, so end the session by hand."""
    client = signed_in(app, "analyst")
    response = client.get(f"/staff/consultations/{mixed.id}/export.csv?status=any", buffered=False)
    assert response.status_code == 200
    db.session.remove()  # what Flask-SQLAlchemy does when the request's app context ends
    rows = export_rows(response)
    assert [row["reference"] for row in rows] == ["WM-OLD", "WM-VCSE", "WM-WAL", "WM-DR", "WM-NEW"]
    assert rows[0][MODES] == "Bus; Rail"  # stored as ["rail", "bus"]: option order wins
    assert rows[3]["status"] == "draft" and rows[3]["submitted_at"] == ""


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_audit_records_only_exports_sent_in_full(app, mixed, fmt):
    client = signed_in(app, "analyst")
    response = client.get(f"/staff/consultations/{mixed.id}/export.{fmt}", buffered=False)
    assert response.status_code == 200
    assert exports_recorded() == []  # nothing yet: the file has not been sent
    next(iter(response.response))  # the client goes away after the first chunk
    response.close()
    assert exports_recorded() == []
    assert len(exported(client, mixed, fmt, area="walsall", status="any")) == 2
    assert exports_recorded() == [
        {"format": fmt, "responses": 2, "filters": {"status": "any", "area": "walsall"}}
    ]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": "submitted"},
        {"status": "draft"},
        {"status": "any"},
        {"partner_type": "vcse"},
        {"area": "walsall"},
        {"area": "walsall", "status": "submitted"},
        {"q": "fares"},
        {"q": "walsall works"},
        {"q": "WM-NEW"},
        {"from": (utcnow() - timedelta(days=2)).date().isoformat()},
        {"to": (utcnow() - timedelta(days=2)).date().isoformat()},
        {"partner_type": "university"},
    ],
)
def test_export_holds_what_the_responses_page_lists(app, mixed, filters):
    client = signed_in(app, "admin")
    shown = listed(client, mixed, **filters)
    for fmt in ("csv", "xlsx", "json"):
        assert {row["reference"] for row in exported(client, mixed, fmt, **filters)} == shown
    html = soup(client.get(f"/staff/consultations/{mixed.id}/responses", query_string=filters))
    summary = html.find(id="export-summary").get_text(" ", strip=True)
    if not shown:
        assert "nothing to export" in summary and html.find(id="export-csv") is None
    else:
        words = "response" if len(shown) == 1 else "responses"
        assert f" {len(shown)} {words}" in summary
        # The status is always named: submitted only unless drafts were chosen.
        status = {
            "": "submitted only",
            "submitted": "submitted only",
            "draft": "draft only",
            "any": "submitted and draft",
        }
        assert f"({status[filters.get('status', '')]}" in summary
        link = html.find(id="export-csv")["href"]
        assert "status=" + (filters.get("status") or "submitted") in link
        for key, value in filters.items():
            assert f"{key}={value}".replace(" ", "+") in link


def test_export_summary_names_the_filters(app, mixed):
    client = signed_in(app, "admin")
    page = client.get(
        f"/staff/consultations/{mixed.id}/responses",
        query_string={"status": "submitted", "area": "walsall", "q": "late", "to": "2099-01-31"},
    )
    summary = soup(page).find(id="export-summary").get_text(" ", strip=True)
    assert summary == (
        "Export the 1 response that matches these filters (submitted only, area: Walsall, "
        "to 31 January 2099, containing “late”):"
    )


def test_export_is_submitted_responses_unless_drafts_are_chosen(app, mixed):
    client = signed_in(app, "admin")
    assert "WM-DR" not in {row["reference"] for row in exported(client, mixed)}
    assert "WM-DR" not in listed(client, mixed)
    page = soup(client.get(f"/staff/consultations/{mixed.id}/responses"))
    summary = page.find(id="export-summary").get_text(" ", strip=True)
    assert summary == "Export the 4 responses that match these filters (submitted only):"
    assert page.select_one("#status option[selected]")["value"] == "submitted"
    everything = {row["reference"] for row in exported(client, mixed, status="any")}
    assert "WM-DR" in everything and len(everything) == 5


def test_unknown_filters_and_formats(app, mixed):
    client = signed_in(app, "analyst")
    rows = exported(client, mixed, **{"from": "not a date"})
    assert len(rows) == 4  # the date does not apply: submitted responses, the default
    # An unknown status is refused, saying which (left27: it exported submitted ones silently).
    refused = client.get(f"/staff/consultations/{mixed.id}/export.csv?status=bogus")
    assert refused.status_code == 400 and "The status ‘bogus’" in refused.get_data(as_text=True)
    assert client.get(f"/staff/consultations/{mixed.id}/export.pdf").status_code == 404
    assert client.get("/staff/consultations/999/export.csv").status_code == 404
    assert (
        signed_in(app, "editor", "e@example.org")
        .get(f"/staff/consultations/{mixed.id}/export.csv")
        .status_code
        == 403
    )


def test_password_prompt_keeps_the_filters(app, mixed):
    client = signed_in(app, "analyst")
    with client.session_transaction() as session:
        session["reauth_at"] = 0  # the password was entered long ago
    url = f"/staff/consultations/{mixed.id}/export.json?area=walsall&status=submitted"
    prompt = client.get(url)
    assert prompt.status_code == 302 and "/staff/confirm-password" in prompt.headers["Location"]
    assert exports_recorded() == []
    done = post(client, prompt.headers["Location"], {"password": PASSWORD})
    assert done.status_code == 303 and "/staff/download-ready?" in done.headers["Location"]
    ready = BeautifulSoup(client.get(done.headers["Location"]).data, "html.parser")
    again = ready.find(id="download-again").find("a")["href"]
    assert again == url
    records = json.loads(client.get(again).data)["responses"]
    assert [r["reference"] for r in records] == ["WM-WAL"]
    page = BeautifulSoup(client.get(prompt.headers["Location"]).data, "html.parser")
    assert page.find("input", attrs={"name": "password"}) is not None


def test_password_prompt_for_a_plain_address_adds_no_stray_question_mark(app, mixed):
    """A smoke walk saw "next=/staff/.../report.docx?": the return address is the page's own."""
    from urllib.parse import parse_qs, urlsplit

    client = signed_in(app, "analyst")
    with client.session_transaction() as session:
        session["reauth_at"] = 0
    url = f"/staff/consultations/{mixed.id}/export.json"
    prompt = client.get(url)
    assert prompt.status_code == 302
    assert parse_qs(urlsplit(prompt.headers["Location"]).query)["next"] == [url]
    done = post(client, prompt.headers["Location"], {"password": PASSWORD})
    assert parse_qs(urlsplit(done.headers["Location"]).query)["next"] == [url]


def test_rows_in_small_batches_keep_each_response_whole(app, mixed):
    """Rows come from one streamed query fetched in batches; a response whose answers cross
    a batch boundary is still one row, and nothing needs the request's session."""
    from consult import exports
    from consult.filters import ResponseFilter

    plan = exports.plan(mixed, ResponseFilter())
    db.session.remove()
    with Session(db.engine) as session:
        rows = list(exports.rows(plan, session, batch=2))
    assert [row[0] for row in rows] == ["WM-OLD", "WM-VCSE", "WM-WAL", "WM-DR", "WM-NEW"]
    first = dict(zip(exports.headers(plan), rows[0], strict=True))
    assert first["Q1: Buses should be franchised"] == "Agree"
    assert (first[WHY], first[MODES]) == ("Cheaper fares please", "Bus; Rail")
    chunks = list(exports.stream(plan, "csv", db.engine))
    assert len(chunks) == 1 + 5  # the header line, then a line per response


def test_search_box_says_what_it_searches_and_downloads_name_excel(app, mixed):
    """A new officer saw a box labelled "Text": it searches answers, organisation names and
    references, and its hint says so (tied to the box for screen readers); the workbook link
    says Excel, not only XLSX. Each kind of match finds its response."""
    client = signed_in(app, "admin")
    page = soup(client.get(f"/staff/consultations/{mixed.id}/responses"))
    box = page.find("input", id="q")
    assert page.find("label", attrs={"for": "q"}).get_text(strip=True) == "Search"
    hint = page.find(id=box["aria-describedby"]).get_text(strip=True)
    assert "answers" in hint and "organisation" in hint and "reference" in hint
    assert page.find(id="export-xlsx").get_text(" ", strip=True).startswith("Download Excel (XLSX)")
    assert listed(client, mixed, q="trams") == {"WM-VCSE"}
    assert listed(client, mixed, q="dudley trust") == {"WM-VCSE"}
    assert listed(client, mixed, q="WM-WAL") == {"WM-WAL"}
