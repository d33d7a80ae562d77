"""smoke10 finding 7: another tool's export with UK dates ("03/12/2026 14:05", "3 December
2026 14:05") and its usual headings ("Respondent ID", "Organisation type", "Location",
"Completed") is imported with the dates read day first and the columns chosen from their
headings, and the mapping page says dates are read day first."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.import_times import gives_time, submitted_time
from consult.imports import match_columns
from consult.models import Response
from tests.helpers import field, make_consultation, soup
from tests.staff_helpers import post, signed_in

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "when"),
    [
        ("03/12/2026 14:05", datetime(2026, 12, 3, 14, 5, tzinfo=UTC)),
        ("03/12/2026", datetime(2026, 12, 3, tzinfo=UTC)),
        ("3/12/2026 14:05:33", datetime(2026, 12, 3, 14, 5, 33, tzinfo=UTC)),
        ("3 December 2026 14:05", datetime(2026, 12, 3, 14, 5, tzinfo=UTC)),
        ("3 Dec 2026", datetime(2026, 12, 3, tzinfo=UTC)),
        ("3 December 2026 at 2:05pm", datetime(2026, 12, 3, 14, 5, tzinfo=UTC)),  # as pages say
        ("Thursday 3 December 2026", datetime(2026, 12, 3, tzinfo=UTC)),
        ("12/03/2026", datetime(2026, 3, 12, tzinfo=UTC)),  # day first, always: 12 March
        ("01/07/2026 12:30", datetime(2026, 7, 1, 11, 30, tzinfo=UTC)),  # UK summer time
        ("3 Sept 2026", datetime(2026, 9, 2, 23, tzinfo=UTC)),
        ("2026-12-03 14:05", datetime(2026, 12, 3, 14, 5, tzinfo=UTC)),  # ISO still
        ("2026-12-03T14:05:00+01:00", datetime(2026, 12, 3, 13, 5, tzinfo=UTC)),
    ],
)
def test_uk_and_iso_dates_are_read_day_first(raw, when):
    assert submitted_time(raw, NOW) == when


@pytest.mark.parametrize(
    "raw",
    [
        "31/02/2026",
        "13/13/2026",
        "03/12/2026 25:00",
        "3 Dec 2026 14",
        "3 Smarch 2026",
        "soon",
        "06/12/2026",
        "12/31/2026",
    ],  # fmt: skip
)
def test_what_is_not_a_past_date_is_refused(raw):
    assert submitted_time(raw, NOW) is None


SMART = (
    "Respondent ID,Completed,Organisation name,Organisation type,Location,"
    "Buses should be franchised,Why do you say that?,Which modes do you use?\n"
    "1001,03/12/2026 14:05,Dudley Road Garage,Business,Dudley,Strongly Agree,One ticket,Bus\n"
    "1002,4 December 2026 09:12,Walsall Action,vcse,Walsall,Disagree,Too costly,Rail\n"
)


@pytest.mark.parametrize(
    ("headings", "expected"),
    [
        (
            ["Respondent ID", "Organisation type", "Location", "Completed"],
            ["external_id", "partner_type", "area", "submitted_at"],
        ),
        (["Response ID", "Type", "Area", "Submitted"], None),
        (["ID", "Sector", "Local authority", "Date submitted"], None),
        (["id", "Organisation type", "Location", "End date"], None),
    ],
)
def test_other_tools_usual_headings_are_suggested(app, headings, expected):
    consultation = make_consultation()
    mapping = match_columns(consultation, headings).mapping
    keys = expected or ["external_id", "partner_type", "area", "submitted_at"]
    assert {key: mapping.get(key) for key in keys} == dict(zip(keys, headings, strict=True))


def test_a_smartsurvey_style_file_imports_as_suggested(app):
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    sent = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(SMART.encode()), "smart.csv")},
        content_type="multipart/form-data",
    )
    page = soup(client.get(sent.headers["Location"]))
    label = page.find("label", attrs={"for": "submitted_at"}).get_text(" ", strip=True)
    assert "day first: 03/12/2026 is 3 December 2026" in label
    form = {
        select["name"]: (select.find("option", selected=True) or {"value": ""})["value"]
        for select in page.find_all("select")
    }
    assert form["external_id"] == "Respondent ID" and form["submitted_at"] == "Completed"
    assert (form["partner_type"], form["area"]) == ("Organisation type", "Location")
    assert form[field(consultation, "Why")] == "Why do you say that?"
    done = post(client, sent.headers["Location"], form)
    assert done.status_code == 302, done.get_data(as_text=True)
    rows = {
        r.external_id: r
        for r in db.session.scalars(select(Response).where(Response.source == "import"))
    }
    assert rows["1001"].submitted_at.astimezone(UTC) == datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
    assert rows["1002"].submitted_at.astimezone(UTC) == datetime(2026, 12, 4, 9, 12, tzinfo=UTC)
    assert (rows["1001"].partner_type, rows["1001"].area) == ("business", "dudley")
    assert "Imported 2 responses." in soup(client.get(done.headers["Location"])).get_text()


def test_a_refused_date_says_the_formats_read(app):
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    sent = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(SMART.replace("03/12/2026 14:05", "soon").encode()), "s.csv")},
        content_type="multipart/form-data",
    )
    page = soup(client.get(sent.headers["Location"]))
    form = {
        select["name"]: (select.find("option", selected=True) or {"value": ""})["value"]
        for select in page.find_all("select")
    }
    refused = post(client, sent.headers["Location"], form)
    assert refused.status_code == 400
    text = " ".join(soup(refused).get_text().split())
    assert "'soon' is not a submitted time in row 2" in text
    assert "day first" in text and "05/12/2026 12:58" in text


def test_one_imported_response_is_not_called_responses(app):
    """smoke10 finding 20: "Imported 1 responses."."""
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    one = "\n".join(SMART.splitlines()[:2]) + "\n"
    sent = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(one.encode()), "one.csv")},
        content_type="multipart/form-data",
    )
    page = soup(client.get(sent.headers["Location"]))
    form = {
        select["name"]: (select.find("option", selected=True) or {"value": ""})["value"]
        for select in page.find_all("select")
    }
    done = post(client, sent.headers["Location"], form)
    assert done.status_code == 302
    text = " ".join(soup(client.get(done.headers["Location"])).get_text().split())
    assert "Imported 1 response." in text and "Imported 1 responses" not in text


@pytest.mark.parametrize(
    ("raw", "timed"),
    [
        ("03/12/2026 14:05", True),
        ("03/12/2026", False),
        ("3 Dec 2026", False),
        ("Thursday 3 December 2026", False),
        ("3 December 2026 at 2:05pm", True),
        ("03/12/2026 00:00", True),  # midnight given is a time
        ("2026-12-03", False),
        ("2026-12-03T14:05:00+01:00", True),
    ],
)
def test_a_date_alone_is_told_from_a_date_and_time(raw, timed):
    assert gives_time(raw) is timed


def test_a_date_alone_is_shown_without_a_time(app):
    """smoke11 #10: "04/12/2026" was shown as "4 December 2026 at midnight"."""
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    dated = SMART.replace("4 December 2026 09:12", "04/12/2026")
    sent = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(dated.encode()), "dated.csv")},
        content_type="multipart/form-data",
    )
    page = soup(client.get(sent.headers["Location"]))
    form = {
        select["name"]: (select.find("option", selected=True) or {"value": ""})["value"]
        for select in page.find_all("select")
    }
    assert post(client, sent.headers["Location"], form).status_code == 302
    rows = {
        r.external_id: r
        for r in db.session.scalars(select(Response).where(Response.source == "import"))
    }
    timed, dated_only = rows["1001"], rows["1002"]
    assert (timed.submitted_date_only, dated_only.submitted_date_only) == (None, True)
    assert dated_only.submitted_at.astimezone(UTC) == datetime(2026, 12, 4, tzinfo=UTC)
    detail = " ".join(soup(client.get(f"/staff/responses/{dated_only.id}")).get_text().split())
    assert "on 4 December 2026." in detail and "midnight" not in detail
    timed_page = soup(client.get(f"/staff/responses/{timed.id}")).get_text()
    assert "on 3 December 2026 at 2:05pm" in " ".join(timed_page.split())
    listing = " ".join(
        soup(client.get(f"/staff/consultations/{consultation.id}/responses")).get_text().split()
    )
    assert "4 December 2026" in listing and "midnight" not in listing
    assert "3 December 2026 at 2:05pm" in listing
