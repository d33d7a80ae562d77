"""A partner answering as an individual is not asked for an organisation's name (an earlier
walk: "Individual" partners had to give one), and nothing after shows a blank for it: check
your answers, the copy of the response, the staff list and page, and the CSV export. Once
they chose "Individual", nothing they read speaks of "your organisation" (the page drawn
again, check your answers, the confirmation, the copies, the resume-link email), while a
partner answering for an organisation still reads the organisation wording."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Response
from consult.survey import lost, review
from consult.survey.fields import INDIVIDUAL_AREA_HINT, INDIVIDUAL_HINT
from tests.helpers import (
    ORGANISATION_ANSWERS,
    hidden_fields,
    make_consultation,
    post_form,
    redrawn,
    section_one,
    section_two,
    soup,
)
from tests.smtp_stub import SmtpStub
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


def test_the_page_redrawn_for_an_individual_does_not_ask_for_their_organisation(app, client):
    """Review note: once "Individual" was chosen, "About you" still labelled the first field
    "Organisation name", hinting "If you are answering as an individual, leave this empty"."""
    from consult.survey import about

    make_consultation()
    start_open(client)
    post_form(client, f"{BASE}/organisation", INDIVIDUAL, action="save")
    page = soup(client.get(f"{BASE}/organisation"))
    assert _words(page.find("h1")) == about.INDIVIDUAL_TITLE
    assert _words(page.find("label", attrs={"for": "organisation_name"})) == (
        about.INDIVIDUAL_NAME_LABEL
    )
    assert _words(page.find(id="organisation_name-hint")) == about.INDIVIDUAL_NAME_HINT


def test_an_individual_sends_and_nothing_shows_a_blank_organisation(app, client):
    consultation = make_consultation()
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", INDIVIDUAL).status_code == 302
    assert post_form(client, f"{BASE}/section/1", section_one(consultation)).status_code == 302
    assert post_form(client, f"{BASE}/section/2", section_two(consultation)).status_code == 302
    check = soup(client.get(f"{BASE}/check"))
    text = _words(check.find("main"))
    assert "Answering as Individual" in text
    keys = [_words(k) for k in check.find_all(class_="govuk-summary-list__key")]
    assert "Organisation" not in keys and "Not answered" not in text
    assert check.find(class_="govuk-error-summary") is None
    sent = post_form(client, f"{BASE}/check", {}, action=None, page=client.get(f"{BASE}/check"))
    assert sent.status_code == 302 and "/confirmation" in sent.headers["Location"]
    confirmation = soup(client.get(f"{BASE}/confirmation"))
    keys = [_words(k) for k in confirmation.find_all(class_="govuk-summary-list__key")]
    assert "Organisation" not in keys and "Answering as" in keys
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


def _main_words(response) -> str:
    return _words(soup(response).find("main"))


def _legends(page) -> list[str]:
    return [_words(legend) for legend in page.find_all("legend")]


@pytest.mark.parametrize(
    ("partner_type", "title", "legends", "area_error"),
    [
        (
            "individual",
            "About you",
            ["Which of these best describes you?", "Where do you live?"],
            "Select where you live",
        ),
        (
            "vcse",
            "About your organisation",
            [
                "Which of these best describes your organisation?",
                "Where is your organisation based?",
            ],
            "Select where your organisation is based",
        ),
    ],
)
def test_the_page_drawn_again_speaks_to_who_is_answering(
    app, client, partner_type, title, legends, area_error
):
    """Once the partner type is chosen (the page drawn again with an error, or come back
    to), the page's title, legends and errors are worded for an individual or for an
    organisation; before it is chosen, for an organisation with hints for an individual."""
    make_consultation()
    start_open(client)
    first = soup(client.get(f"{BASE}/organisation"))
    assert _words(first.find("h1")) == "About your organisation"
    assert "Where is your organisation based?" in _legends(first)
    typed = {**INDIVIDUAL, "partner_type": partner_type, "area": ""}
    if partner_type != "individual":
        typed["organisation_name"] = "Tipton Community Trust"
    shown = redrawn(client, post_form(client, f"{BASE}/organisation", typed))
    page = soup(shown)
    assert _words(page.find("h1")) == title
    assert _words(page.find("title")).startswith(f"Error: {title}")
    chosen = _legends(page)
    assert legends[0] in chosen and legends[1] in chosen
    summary = _words(page.find(class_="govuk-error-summary"))
    assert area_error in summary and summary.count("Select") == 1
    area_hint = page.find(id="area-hint")
    if partner_type == "individual":
        # Asked where they live, an individual needs no hint saying to choose where they live.
        assert area_hint is None
        assert "your organisation" not in _main_words(shown)
    else:
        assert _words(area_hint) == INDIVIDUAL_AREA_HINT
    # Coming back to the page (its area now given) reads the same way.
    assert post_form(client, f"{BASE}/organisation", {**typed, "area": "dudley"}).status_code == 302
    back = soup(client.get(f"{BASE}/organisation"))
    assert _words(back.find("h1")) == title and legends[1] in _legends(back)


@pytest.mark.parametrize(
    ("partner_type", "title", "type_label", "area_label"),
    [
        ("individual", "About you", "Answering as", "Where you live"),
        ("business", "About your organisation", "Type of organisation", "Based in"),
    ],
)
def test_check_confirmation_and_copy_head_the_answers_for_who_answered(
    app, client, partner_type, title, type_label, area_label
):
    consultation = make_consultation()
    start_open(client)
    typed = {**INDIVIDUAL, "partner_type": partner_type, "area": "walsall"}
    if partner_type == "business":
        typed.update(organisation_name="Walsall Tools Ltd", size_band="micro")
    assert post_form(client, f"{BASE}/organisation", typed).status_code == 302
    assert post_form(client, f"{BASE}/section/1", section_one(consultation)).status_code == 302
    assert post_form(client, f"{BASE}/section/2", section_two(consultation)).status_code == 302
    check = client.get(f"{BASE}/check")
    headings = [_words(h) for h in soup(check).find_all("h2")]
    assert title in headings
    keys = [_words(k) for k in soup(check).find_all(class_="govuk-summary-list__key")]
    assert type_label in keys and area_label in keys
    change = soup(check).find("a", href=lambda href: href and href.endswith("#area"))
    assert _words(change) == f"Change {area_label}"
    sent = post_form(client, f"{BASE}/check", {}, action=None, page=check)
    assert sent.status_code == 302
    confirmation = client.get(f"{BASE}/confirmation")
    assert title in [_words(h) for h in soup(confirmation).find_all("h3")]
    copy = client.get(f"{BASE}/your-response.txt").get_data(as_text=True)
    assert f"{title}\n{'=' * len(title)}\n" in copy
    assert f"{type_label}\n" in copy and f"{area_label}\nWalsall\n" in copy
    if partner_type == "individual":
        for page in (check, confirmation):
            assert "your organisation" not in _main_words(page).lower()
        assert "your organisation" not in copy.lower()
        assert "Type of organisation" not in copy and "Based in" not in copy
    else:
        assert "Number of employees" in copy and "Answering as" not in copy


@pytest.mark.parametrize("partner_type", ["individual", "vcse"])
def test_saved_and_lost_answers_are_labelled_for_who_typed_them(app, partner_type):
    """The closed draft's saved answers and a lost page's typed answers label the partner
    type and area as check your answers does."""
    from consult.survey import journey

    consultation = make_consultation()
    response = journey.unsaved_open_draft(consultation, "a-token")
    response.partner_type, response.area = partner_type, "coventry"
    saved = dict(review.saved_answer_rows(consultation, response))
    typed = [("partner_type", partner_type), ("area", "coventry"), ("organisation_name", "")]
    lost_rows = dict(lost.typed_rows(consultation, journey.ORGANISATION_PAGE, typed))
    if partner_type == "individual":
        expected = {"Answering as": "Individual", "Where you live": "Coventry"}
    else:
        label = "Voluntary, community or social enterprise"
        expected = {"Type of organisation": label, "Based in": "Coventry"}
    assert lost_rows == expected
    assert {key: saved[key] for key in expected} == expected


@pytest.mark.parametrize("partner_type", ["individual", "vcse"])
def test_the_resume_link_email_speaks_to_who_saved(app, client, partner_type):
    make_consultation()
    start_open(client)
    typed = {**INDIVIDUAL, "partner_type": partner_type, "respondent_email": "me@example.org"}
    if partner_type != "individual":
        typed["organisation_name"] = "Tipton Community Trust"
    post_form(client, f"{BASE}/organisation", typed, action="save")
    with SmtpStub() as stub:
        stub.configure(app)
        saved = client.get(f"{BASE}/saved")
        assert client.post(f"{BASE}/saved", data=hidden_fields(saved)).status_code == 302
    # the saved page says what the email says (fix #3: it told an individual "colleagues")
    warning = " ".join(soup(saved).find(id="share-warning").get_text(" ").split())
    if partner_type == "individual":
        assert warning.endswith("so do not share it.") and "colleagues" not in warning
    else:
        assert warning.endswith("so only share it with colleagues.")
    (message,) = stub.mailbox.messages
    body = " ".join(message.get_content().split())
    assert "can see and change your answers, so do not share it" in body
    if partner_type == "individual":
        assert "so do not share it." in body and "organisation" not in body
    else:
        assert "so do not share it outside your organisation." in body
