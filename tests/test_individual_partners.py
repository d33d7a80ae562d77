"""A partner answering as an individual is not asked for an organisation's name (an earlier
walk: "Individual" partners had to give one), and nothing after shows a blank for it: check
your answers, the copy of the response, the staff list and page, and the CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Response
from consult.survey.fields import INDIVIDUAL_AREA_HINT, INDIVIDUAL_HINT
from tests.helpers import (
    ORGANISATION_ANSWERS,
    make_consultation,
    post_form,
    redrawn,
    section_one,
    section_two,
    soup,
)
from tests.staff_helpers import signed_in
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")

INDIVIDUAL = {**ORGANISATION_ANSWERS, "organisation_name": "", "partner_type": "individual"}


def _words(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_an_individual_may_leave_the_organisation_name_empty(app, client):
    make_consultation()
    start_open(client)
    page = soup(client.get(f"{BASE}/organisation"))
    assert _words(page.find(id="organisation_name-hint")) == INDIVIDUAL_HINT
    assert "leave this empty" in INDIVIDUAL_HINT
    # Asked where the organisation is based, an individual is told to say where they live.
    assert _words(page.find(id="area-hint")) == INDIVIDUAL_AREA_HINT
    moved = post_form(client, f"{BASE}/organisation", INDIVIDUAL)
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/section/1")
    # Anyone else still gives it, and spaces are not a name.
    for typed in ("", "   "):
        other = app.test_client()
        start_open(other)
        blank = {**ORGANISATION_ANSWERS, "organisation_name": typed}
        shown = soup(redrawn(other, post_form(other, f"{BASE}/organisation", blank)))
        said = _words(shown.find(class_="govuk-error-summary"))
        assert "Enter the name of your organisation" in said


def test_an_individual_sends_and_nothing_shows_a_blank_organisation(app, client):
    consultation = make_consultation()
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", INDIVIDUAL).status_code == 302
    assert post_form(client, f"{BASE}/section/1", section_one(consultation)).status_code == 302
    assert post_form(client, f"{BASE}/section/2", section_two(consultation)).status_code == 302
    check = soup(client.get(f"{BASE}/check"))
    text = _words(check.find("main"))
    assert "Type of organisation Individual" in text
    keys = [_words(k) for k in check.find_all(class_="govuk-summary-list__key")]
    assert "Organisation" not in keys and "Not answered" not in text
    assert check.find(class_="govuk-error-summary") is None
    sent = post_form(client, f"{BASE}/check", {}, action=None, page=client.get(f"{BASE}/check"))
    assert sent.status_code == 302 and "/confirmation" in sent.headers["Location"]
    confirmation = soup(client.get(f"{BASE}/confirmation"))
    keys = [_words(k) for k in confirmation.find_all(class_="govuk-summary-list__key")]
    assert "Organisation" not in keys and "Type of organisation" in keys
    copy = client.get(f"{BASE}/your-response.txt").get_data(as_text=True)
    assert "Individual" in copy and "Not answered" not in copy.split("Based in")[0]
    response = db.session.scalar(select(Response).where(Response.status == "submitted"))
    assert not response.organisation_name and response.partner_type == "individual"

    staff = signed_in(app, "admin")
    listing = soup(staff.get(f"/staff/consultations/{consultation.id}/responses?status=any"))
    row = listing.find("a", string=response.reference).find_parent("tr")
    cells = [_words(td) for td in row.find_all("td")]
    assert cells[1:3] == ["None (individual)", "Individual"]
    detail = soup(staff.get(f"/staff/responses/{response.id}"))
    keys = [_words(k) for k in detail.find_all(class_="govuk-summary-list__key")]
    assert "Organisation" not in keys and "Type of organisation" in keys
    exported = staff.get(f"/staff/consultations/{consultation.id}/export.csv?status=submitted")
    assert exported.status_code == 200
    header, row = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    record = dict(zip(header, row, strict=True))
    assert record["organisation"] == "" and record["partner_type"] == "Individual"
