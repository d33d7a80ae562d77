"""The audit log page: details in plain words, 50 events a page, filter by action."""

from __future__ import annotations

import json

import pytest

from consult import audit
from consult.extensions import db
from consult.models import AuditEvent
from tests.helpers import make_consultation, soup
from tests.staff_helpers import signed_in
from tests.test_staff_data import add_response

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_readable_detail_in_plain_words():
    detail = json.dumps({"count": 3, "locked": True, "old": "viewer", "file": None, "x_y": [1, 2]})
    assert audit.readable(detail) == [
        ("Number", "3"),
        ("Responses had arrived", "yes"),
        ("Before", "viewer"),
        ("File", "none"),
        ("X y", "1, 2"),
    ]
    assert audit.readable("") == []
    assert audit.readable("not json {") == [("Detail", "not json {")]
    assert audit.action_label("role_changed") == "Role changed"


def test_export_and_analysis_details_read_as_words():
    """A new officer read "Filters: New status: submitted" and "N themes: auto": an export's
    filters say "Status", and an analysis's settings have names, not machine keys."""
    exported = json.dumps({"filters": {"status": "submitted", "q": "buses"}, "format": "xlsx"})
    assert audit.readable(exported) == [
        ("Filters", "Status: submitted; Search: buses"),
        ("Format", "xlsx"),
    ]
    started = json.dumps({"n_themes": "auto", "segments": ["partner_type"], "status": "open"})
    assert audit.readable(started) == [
        ("Themes asked for", "auto"),
        ("Broken down by", "Partner type"),
        ("New status", "open"),
    ]


def test_a_side_margin_that_is_off_reads_off():
    """fix #6: the audit log said "Side margin: none" where Run details and the runs list
    say "off"."""
    assert audit.readable('{"side_margin": null}', "analysis_started") == [("Side margin", "off")]
    assert audit.readable('{"side_margin": 0.45}', "analysis_started") == [("Side margin", "0.45")]


def test_questions_and_segments_read_as_words():
    """A new officer read "Question id: 2" and "Broken down by: partner_type": an analysis
    names its question by number and its segments by their report names; a builder event
    gives the question's number and wording. Older builder events keep their database id."""
    started = json.dumps({"question": 2, "segments": ["partner_type", "size_band"], "seed": 0})
    assert audit.readable(started, "analysis_started") == [
        ("", "Question 2"),
        ("Broken down by", "Partner type, Organisation size"),
        ("Seed", "0"),
    ]
    deleted = json.dumps({"question_number": 3, "status": "failed"})
    assert audit.readable(deleted, "analysis_deleted")[0] == ("", "Question 3")
    edited = json.dumps({"question_number": 4, "text": "Why?", "locked": False})
    assert audit.readable(edited, "question_edited") == [
        ("Question 4", "Why?"),
        ("Responses had arrived", "no"),
    ]
    moved = json.dumps({"text": "Why?", "direction": "up"}, sort_keys=True)  # as stored
    assert audit.readable(moved, "question_moved") == [("Question", "Why?"), ("Moved", "up")]
    assert audit.readable(json.dumps({"question": 17}), "question_edited") == [
        ("Question id", "17")
    ]


def test_builder_events_on_the_audit_page_name_the_question(app):
    from consult.staff import building
    from tests.helpers import make_consultation

    consultation = make_consultation()
    modes = consultation.sections[0].questions[2]
    change = building.QuestionChange(
        kind="multiple_choice", text="Which modes?", options=["Bus", "Tram", "Rail"]
    )
    building.edit_question(modes, change, actor="cli")
    building.move_question(modes, "up")
    audit.record("analysis_started", "run 1", actor="cli", question_number=3, segments=["area"])
    db.session.commit()
    text = soup(signed_in(app, "admin").get("/staff/audit")).find("tbody").get_text(" ")
    assert "Question 3: Which modes?" in text and "Moved: up" in text
    assert "Question 3 " in text and "Broken down by: Area" in text
    assert "Question id" not in text


def test_audit_page_is_readable_paged_and_filtered(app):
    for n in range(60):
        audit.record("organisations_imported", f"file{n}.csv", actor="cli", count=n)
    audit.record("role_changed", "jo@example.org", actor="cli", old="viewer", new="editor")
    db.session.commit()
    client = signed_in(app, "admin")  # signing in adds one event

    page = client.get("/staff/audit")
    html = soup(page)
    assert len(html.find("tbody").find_all("tr")) == 50
    assert "Showing 1 to 50 of 62 events" in html.find(id="result-count").get_text()
    text = html.find("tbody").get_text(" ")
    assert "Before: viewer" in text and "After: editor" in text
    assert "{" not in text  # no raw JSON
    region = html.find(class_="consult-table-wrap")
    assert (region["tabindex"], region["role"], region["aria-label"]) == (
        "0",
        "region",
        "Audit events",
    )
    assert html.find("nav", class_="govuk-pagination").find("a", rel="next")

    second = soup(client.get("/staff/audit?page=2"))
    assert len(second.find("tbody").find_all("tr")) == 12

    only = soup(client.get("/staff/audit?action=role_changed"))
    rows = only.find("tbody").find_all("tr")
    assert len(rows) == 1 and "Role changed" in rows[0].get_text()
    assert only.find("option", selected=True)["value"] == "role_changed"
    assert only.find("nav", class_="govuk-pagination") is None

    unknown = client.get("/staff/audit?action=<script>&page=zz")  # to page 1, unfiltered
    assert unknown.status_code == 302 and unknown.headers["Location"] == "/staff/audit?page=1"
    assert client.get(unknown.headers["Location"]).status_code == 200
    assert db.session.query(AuditEvent).count() == 62


def test_an_exports_filters_read_as_the_responses_page_words_them():
    """smoke34: the audit log said "Filters: Area: dudley; Partner type: business_body" for an
    export the Responses page described as "partner type: Business representative body (...),
    area: Dudley": each filter now reads by its name, dates as the page gives them."""
    exported = json.dumps(
        {
            "filters": {
                "area": "dudley",
                "from": "2026-12-07",
                "partner_type": "business_body",
                "size_band": "micro",
                "status": "submitted",
                "to": "2026-12-08",
            },
            "format": "csv",
        },
        sort_keys=True,
    )
    assert audit.readable(exported, "responses_exported")[0] == (
        "Filters",
        "Area: Dudley; From: 7 December 2026; Partner type: Business representative body "
        "(chamber of commerce, trade or membership body); Business size: Micro (fewer than 10 "
        "employees); Status: submitted; To: 8 December 2026",
    )
    # A code or date the lists cannot read is shown as it was stored.
    unknown = json.dumps({"filters": {"area": "atlantis", "from": "2026-02-30"}})
    assert audit.readable(unknown) == [("Filters", "Area: atlantis; From: 2026-02-30")]


def test_an_export_on_the_audit_page_names_its_filters(app):
    """Through the app: an analyst's filtered export, then the admin's audit page."""
    consultation = make_consultation()
    add_response(
        consultation, "WM-DUD", "Buses late", ["bus"], partner="business_body", area="dudley"
    )
    db.session.commit()
    analyst = signed_in(app, "analyst")
    done = analyst.get(
        f"/staff/consultations/{consultation.id}/export.csv",
        query_string={"status": "submitted", "partner_type": "business_body", "area": "dudley"},
    )
    assert done.status_code == 200
    done.get_data()  # the export is recorded once it has been sent in full
    page = soup(signed_in(app, "admin").get("/staff/audit?action=responses_exported"))
    text = " ".join(page.find("tbody").get_text(" ").split())
    assert "Area: Dudley" in text and "Partner type: Business representative body" in text
    assert "dudley" not in text and "business_body" not in text
