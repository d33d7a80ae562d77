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

from consult import exports
from consult.extensions import db
from consult.models import Response
from consult.survey import about, journey, lost, review
from consult.survey.fields import INDIVIDUAL_AREA_HINT
from tests.helpers import (
    ORGANISATION_ANSWERS,
    error_summary,
    hidden_fields,
    make_consultation,
    make_invitation,
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


def test_the_name_and_type_are_revealed_under_for_an_organisation(app, client):
    """The organisation's name and type belong to organisations: revealed under "For an
    organisation" (GOV.UK's conditional reveal, in the page's markup so that it shows
    without JavaScript), never asked of an individual."""
    make_consultation()
    start_open(client)
    page = soup(client.get(f"{BASE}/organisation"))
    fieldsets = page.find("form").find_all("fieldset", recursive=True)
    assert _words(fieldsets[0].find("legend")) == about.ANSWERING_AS_LEGEND
    choice = page.find("input", {"name": "answering_as", "value": "organisation"})
    reveal = page.find(id=choice["data-aria-controls"])
    assert "govuk-radios__conditional" in reveal["class"]
    assert reveal.find(id="organisation_name") is not None
    offered = [i["value"] for i in reveal.find_all("input", {"name": "partner_type"})]
    assert offered and "individual" not in offered
    assert page.find(id="organisation_name-hint") is None  # no "if you are an individual..."
    alone = page.find("input", {"name": "answering_as", "value": "individual"})
    assert not alone.has_attr("data-aria-controls")
    moved = post_form(client, f"{BASE}/organisation", INDIVIDUAL)
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/section/1")
    # An organisation still gives its name (spaces are not one) and its type; a page left
    # unanswered asks first whom the answers are for, nothing about a hidden name or type.
    for typed, said in (
        ("", "Enter the name of your organisation"),
        ("   ", "Enter the name of your organisation"),
    ):
        other = app.test_client()
        start_open(other)
        blank = {**ORGANISATION_ANSWERS, "organisation_name": typed, "answering_as": "organisation"}
        shown = soup(redrawn(other, post_form(other, f"{BASE}/organisation", blank)))
        assert said in _words(shown.find(class_="govuk-error-summary"))
    other = app.test_client()
    start_open(other)
    shown = redrawn(other, post_form(other, f"{BASE}/organisation", {"area": "dudley"}))
    assert error_summary(shown) == [("#answering_as", about.ANSWERING_AS_MISSING)]
    typeless = {**ORGANISATION_ANSWERS, "answering_as": "organisation", "partner_type": ""}
    shown = redrawn(other, post_form(other, f"{BASE}/organisation", typeless))
    assert error_summary(shown) == [
        ("#partner_type", "Select which best describes your organisation")
    ]


def test_an_individuals_typed_name_is_never_stored_or_shown(app, client):
    """Without JavaScript the revealed fields show under "For an organisation" whatever is
    chosen: an individual may type a name there (their own: staff read "Organisation: Me")
    or pick a type, then choose "As an individual". Neither is stored as theirs."""
    consultation = make_consultation()
    start_open(client)
    typed = {**INDIVIDUAL, "answering_as": "individual"}
    typed.update(organisation_name="Me", partner_type="vcse")
    assert post_form(client, f"{BASE}/organisation", typed).status_code == 302
    response = db.session.scalar(select(Response))
    assert response.organisation_name is None and response.partner_type == "individual"
    page = soup(client.get(f"{BASE}/organisation"))
    assert _words(page.find("h1")) == about.PAGE_TITLE
    assert page.find("input", {"name": "answering_as", "value": "individual"}).has_attr("checked")
    # Not stored, but held under "For an organisation" in this browser (``set_aside``), so
    # that a partner who chose "As an individual" by mistake loses nothing.
    assert page.find(id="organisation_name")["value"] == "Me"
    # Typed on a page that could not be saved, it is not read back as an organisation's name.
    rows = dict(lost.typed_rows(consultation, "organisation", list(typed.items())))
    assert rows == {"Answering as": "Individual", "Where you live": "Sandwell"}


def test_an_invitation_is_answered_for_its_organisation_only(app, client):
    """fixc17 (smoke17): one person answering "As an individual" through an organisation's
    invitation used it up: the organisation read as "submitted", and a colleague opening the
    link saw that person's answers and email. An invitation is the organisation's: its page
    does not ask who is answering, says the link is for the organisation only and gives the
    open link for someone answering for themselves; a scripted "individual" is answered for
    the organisation all the same."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    start = soup(client.get(BASE))
    own_url = f"http://localhost{BASE}?own=1"
    assert "This link is for Acme Ltd only" in _words(start.find(id="invited-organisation"))
    assert start.find(id="answering-for-yourself").find("a")["href"] == own_url
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    page = soup(client.get(f"{BASE}/organisation"))
    assert page.find("input", {"name": "answering_as"}) is None
    assert "As an individual" not in _words(page.find("main"))
    assert page.find(id="organisation_name")["value"] == "Acme Ltd"
    offered = [i["value"] for i in page.find_all("input", {"name": "partner_type"})]
    assert offered and "individual" not in offered
    yourself = page.find(id="answering-for-yourself")
    assert _words(yourself).startswith("This link is for Acme Ltd only. To answer for yourself")
    assert yourself.find("a")["href"] == own_url

    chosen = {"answering_as": "individual", "partner_type": "individual", "area": "coventry"}
    chosen["organisation_name"] = "Acme Ltd"  # as the page sends it
    moved = post_form(client, f"{BASE}/organisation", chosen)
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/organisation")
    response = db.session.scalar(select(Response))
    assert response.organisation_name == "Acme Ltd" and response.partner_type != "individual"
    assert ("#partner_type", "Select which best describes your organisation") in error_summary(
        client.get(moved.headers["Location"])
    )


def test_an_invitation_without_an_open_link_says_to_ask_the_team(app, client):
    consultation = make_consultation()
    consultation.allow_open_link = False
    consultation.contact_email = "team@example.gov.uk"
    db.session.commit()
    _, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    yourself = soup(client.get(f"{BASE}/organisation")).find(id="answering-for-yourself")
    assert "This consultation has no open link" in _words(yourself)
    assert yourself.find("a")["href"] == "mailto:team@example.gov.uk"


def test_someone_holding_an_invitation_answers_for_themselves_by_the_open_link(app, client):
    """The open link given to someone holding an invitation starts their own response in the
    same browser (as an individual, if they say so); the organisation's draft stays with its
    invitation, untouched, and its link asks before leaving theirs."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    organisation = dict(ORGANISATION_ANSWERS, organisation_name="Acme Ltd")
    assert post_form(client, f"{BASE}/organisation", organisation).status_code == 302
    own = soup(client.get(f"{BASE}?own=1"))
    assert own.find(id="invited-organisation") is None
    assert own.find("input", {"name": "own"})["value"] == "1"
    # the start page says whom the answers are for (smoke18w #11)
    assert "answering for yourself" in own.find(id="answering-for-yourself").get_text()
    started = client.post(BASE, data=hidden_fields(client.get(f"{BASE}?own=1")))
    assert started.headers["Location"].endswith("/organisation?own=1")
    page = soup(client.get(started.headers["Location"]))
    # and About you starts at "As an individual"
    individual = page.find("input", {"name": "answering_as", "value": "individual"})
    assert individual is not None and individual.has_attr("checked")
    assert post_form(client, f"{BASE}/organisation", INDIVIDUAL).status_code == 302
    responses = db.session.scalars(select(Response).order_by(Response.id)).all()
    assert [(r.invitation_id is not None, r.partner_type) for r in responses] == [
        (True, ORGANISATION_ANSWERS["partner_type"]),
        (False, "individual"),
    ]
    asked = client.get(f"/i/{token}")
    assert asked.status_code == 200 and "answers in progress" in asked.get_data(as_text=True)
    # The answers this browser would leave come with their own link (smoke17: not shown).
    own_link = soup(asked).find(id="own-link")["href"]
    assert own_link.startswith(f"http://localhost{BASE}/resume/")
    assert client.get(own_link).headers["Location"].endswith("/section/1")
    switched = client.post(f"/i/{token}", data=hidden_fields(asked))
    assert switched.headers["Location"].endswith(BASE)
    back = soup(client.get(own_link))  # asks again, now with the invitation's link
    assert back.find(id="own-link")["href"] == f"http://localhost/i/{token}"


def test_an_invitation_answered_as_an_individual_before_is_kept(app, client):
    """A draft answered as an individual through an invitation before fixc17 is kept as it
    is (staff read it as an individual's, with the invitation it came by), but cannot be
    sent as one: its page offers the organisation's details back, and check your answers
    asks for them."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    assert post_form(client, f"{BASE}/section/1", section_one(consultation)).status_code == 302
    assert post_form(client, f"{BASE}/section/2", section_two(consultation)).status_code == 302
    response = db.session.scalar(select(Response))
    response.partner_type, response.organisation_name = "individual", None  # as stored before
    db.session.commit()

    staff = signed_in(app, "admin")
    detail = soup(staff.get(f"/staff/responses/{response.id}"))
    rows = dict(
        (_words(row.find("dt")), _words(row.find("dd")))
        for row in detail.find_all(class_="govuk-summary-list__row")
    )
    assert rows["Responding as"] == "Individual" and rows["Invitation sent to"] == "Acme Ltd"

    page = soup(client.get(f"{BASE}/organisation"))
    assert page.find(id="organisation_name")["value"] == "Acme Ltd"
    assert page.find("input", {"name": "partner_type", "value": "business"}).has_attr("checked")
    sent = post_form(client, f"{BASE}/check", {}, action=None)
    assert sent.headers["Location"].endswith("/check")
    assert [href for href, _ in error_summary(client.get(f"{BASE}/check"))] == [
        f"{BASE}/organisation?return=check#organisation_name",
        f"{BASE}/organisation?return=check#partner_type",
    ]
    db.session.expire_all()
    assert db.session.get(Response, response.id).status == "draft"


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
    # "Change Answering as" leads to the page's first question, not the hidden type.
    change = check.find("a", href=lambda href: href and href.endswith("#answering_as"))
    assert _words(change) == "Change Answering as"
    assert change["href"].endswith("/organisation?return=check#answering_as")
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
    headings = [_words(th) for th in listing.find("thead").find_all("th")]
    assert headings[1:3] == ["Responding as", "Type of organisation"]
    row = listing.find("a", string=response.reference).find_parent("tr")
    cells = [_words(td) for td in row.find_all("td")]
    # "Individual" once: the type column (an organisation's) shows a dash, and says why
    # only to a screen reader (fix16c: it repeated "Individual" beside "Responding as").
    assert cells[1] == "Individual" and "Individual" not in cells[2]
    type_cell = row.find_all("td")[2]
    assert _words(type_cell.find(attrs={"aria-hidden": "true"})) == "–"
    assert _words(type_cell.find(class_="govuk-visually-hidden")) == about.STAFF_NO_TYPE
    detail = soup(staff.get(f"/staff/responses/{response.id}"))
    assert about.STAFF_INDIVIDUAL_TITLE in [_words(h) for h in detail.find_all("h2")]
    keys = [_words(k) for k in detail.find_all(class_="govuk-summary-list__key")]
    assert keys[:2] == ["Responding as", "Lives in"]
    for organisations in ("Organisation", "Type of organisation", "Based in"):
        assert organisations not in keys
    exported = staff.get(f"/staff/consultations/{consultation.id}/export.csv?status=submitted")
    assert exported.status_code == 200
    header, row = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    record = dict(zip(header, row, strict=True))
    assert record["organisation"] == "" and record["partner_type"] == "Individual"


def test_staff_read_an_organisation_and_an_older_individuals_name_for_what_they_are(app):
    """One rule (``about.is_individual``) for staff pages: an organisation's response keeps
    "Organisation", "Type of organisation" and "Based in"; an individual's stored before this
    change (or imported) with a name ("Me") is never listed as an organisation's."""
    consultation = make_consultation()
    made = []
    for name, partner_type in (("Tipton Community Trust", "vcse"), ("Me", "individual")):
        response = journey.unsaved_open_draft(consultation, f"token-{partner_type}")
        response.organisation_name, response.partner_type = name, partner_type
        response.area = "sandwell"
        made.append(journey.store_draft(response))
    organisation, individual = made
    staff = signed_in(app, "admin")
    listing = soup(staff.get(f"/staff/consultations/{consultation.id}/responses?status=any"))
    said = {
        _words(tr.find("a")): [_words(td) for td in tr.find_all("td")][1]
        for tr in listing.find("tbody").find_all("tr")
    }
    assert said == {
        organisation.reference: "Tipton Community Trust",
        individual.reference: "Individual",
    }
    detail = soup(staff.get(f"/staff/responses/{organisation.id}"))
    assert about.STAFF_ORGANISATION_TITLE in [_words(h) for h in detail.find_all("h2")]
    keys = [_words(k) for k in detail.find_all(class_="govuk-summary-list__key")]
    assert keys[:3] == ["Organisation", "Type of organisation", "Based in"]
    detail = soup(staff.get(f"/staff/responses/{individual.id}"))
    rows = [
        (_words(row.find("dt")), _words(row.find("dd")))
        for row in detail.find_all(class_="govuk-summary-list__row")
    ][:3]
    assert rows == [
        ("Responding as", "Individual"),
        (review.STAFF_INDIVIDUALS_NAME, "Me"),
        ("Lives in", "Sandwell"),
    ]


def _main_words(response) -> str:
    return _words(soup(response).find("main"))


def _legends(page) -> list[str]:
    return [_words(legend) for legend in page.find_all("legend")]


@pytest.mark.parametrize(
    ("partner_type", "legends", "area_error"),
    [
        (
            "individual",
            [about.ANSWERING_AS_LEGEND, "Where do you live?"],
            "Select where you live",
        ),
        (
            "vcse",
            [
                "Which of these best describes your organisation?",
                "Where is your organisation based?",
            ],
            "Select where your organisation is based",
        ),
    ],
)
def test_the_page_drawn_again_speaks_to_who_is_answering(
    app, client, partner_type, legends, area_error
):
    """Once the partner type is chosen (the page drawn again with an error, or come back
    to), the page's legends and errors are worded for an individual or for an
    organisation; before it is chosen, for an organisation with hints for an individual.
    Its title is "About you" throughout: it assumes neither (fix16c: it read "About your
    organisation" until "As an individual" was chosen)."""
    make_consultation()
    start_open(client)
    first = soup(client.get(f"{BASE}/organisation"))
    assert _words(first.find("h1")) == about.PAGE_TITLE == "About you"
    assert first.find("title").get_text().startswith("About you –")
    assert "Where is your organisation based?" in _legends(first)
    typed = {**INDIVIDUAL, "partner_type": partner_type, "area": ""}
    if partner_type != "individual":
        typed["organisation_name"] = "Tipton Community Trust"
    shown = redrawn(client, post_form(client, f"{BASE}/organisation", typed))
    page = soup(shown)
    assert _words(page.find("h1")) == about.PAGE_TITLE
    assert _words(page.find("title")).startswith(f"Error: {about.PAGE_TITLE} –")
    chosen = _legends(page)
    assert legends[0] in chosen and legends[1] in chosen
    summary = _words(page.find(class_="govuk-error-summary"))
    assert area_error in summary and summary.count("Select") == 1
    area_hint = page.find(id="area-hint")
    if partner_type == "individual":
        # Asked where they live, an individual needs no hint saying to choose where they live.
        assert area_hint is None
        # Only what is revealed under "For an organisation" (hidden, "As an individual"
        # chosen) speaks of one.
        reveal = page.find(id="conditional-answering_as")
        assert "govuk-radios__conditional--hidden" in reveal["class"]
        reveal.decompose()
        assert "your organisation" not in _words(page.find("main"))
    else:
        assert _words(area_hint) == INDIVIDUAL_AREA_HINT
    # Coming back to the page (its area now given) reads the same way.
    assert post_form(client, f"{BASE}/organisation", {**typed, "area": "dudley"}).status_code == 302
    back = soup(client.get(f"{BASE}/organisation"))
    assert _words(back.find("h1")) == about.PAGE_TITLE and legends[1] in _legends(back)


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
    # the email's sentences are the page's own (left18: it said "do not share it outside
    # your organisation" where the page said "only share it with colleagues")
    assert warning in body
    intro = " ".join(
        soup(saved).find(id="resume-link").find_parent("p").find_previous("p").get_text().split()
    )
    assert intro.startswith("Use this link to come back") and intro in body
    if partner_type == "individual":
        assert "so do not share it." in body and "organisation" not in body
    else:
        assert "so only share it with colleagues." in body


def test_the_switch_page_names_no_organisation_for_an_individual(app):
    """The page saying "You already have answers in progress" says whose: an organisation's
    name, never the name an individual's draft may carry (stored before this change)."""
    from tests.test_sessions import open_draft

    make_consultation()
    mine, _ = open_draft(app, "Mine Ltd")
    draft = db.session.scalar(select(Response).order_by(Response.id))
    draft.partner_type, draft.organisation_name = "individual", "Me"
    db.session.commit()
    _, planted = open_draft(app, "Other Ltd")
    text = _words(soup(mine.get(planted)).find("main"))
    assert "You already have answers in progress" in text
    assert "that have not been sent yet, last saved" in text and "Me" not in text.split()


def test_a_size_is_kept_for_a_business_only(app, client):
    """Review finding: the size question sat outside the "For an organisation" reveal and an
    individual's (chosen before switching) was stored, then exported and counted in report
    breakdowns ("Organisation size: Small"). The size is asked inside the reveal, and
    stored only for a business, the one type asked for it."""
    make_consultation()
    start_open(client)
    page = soup(client.get(f"{BASE}/organisation"))
    choice = page.find("input", {"name": "answering_as", "value": "organisation"})
    reveal = page.find(id=choice["data-aria-controls"])
    assert reveal.find("input", {"name": "size_band"}) is not None
    stored = {}
    for answering_as, partner_type in (
        ("individual", "business"),
        ("organisation", "vcse"),
        ("organisation", "business"),
    ):
        typed = {**ORGANISATION_ANSWERS, "answering_as": answering_as, "size_band": "small"}
        typed.update(partner_type=partner_type, organisation_name="Tipton Trust")
        assert post_form(client, f"{BASE}/organisation", typed).status_code == 302
        db.session.expire_all()
        response = db.session.scalar(select(Response))
        stored[answering_as, partner_type] = (response.partner_type, response.size_band)
    assert stored == {
        ("individual", "business"): ("individual", None),
        ("organisation", "vcse"): ("vcse", None),
        ("organisation", "business"): ("business", "small"),
    }


def _checked(page, name: str) -> list[str]:
    return [i["value"] for i in page.find_all("input", {"name": name}) if i.has_attr("checked")]


def _as_sent(page) -> dict[str, str]:
    """The organisation page's fields as a browser sends them (hidden under a reveal or not)."""
    sent = {i["name"]: i.get("value", "") for i in page.find_all("input", {"type": "text"})}
    sent.update({i["name"]: i["value"] for i in page.find_all("input", {"type": "email"})})
    for i in page.find_all("input", {"type": "radio"}):
        if i.has_attr("checked"):
            sent[i["name"]] = i["value"]
    return sent


def test_switching_to_an_individual_and_back_loses_nothing_on_the_open_link(app, client):
    """Review finding: choosing "As an individual" by mistake and pressing Continue wiped
    the organisation's name and type for good. They are not stored (not an individual's),
    but set aside for the draft: back on the page, "For an organisation" finds them as they
    were, and choosing it again stores them."""
    make_consultation()
    start_open(client)
    business = {**ORGANISATION_ANSWERS, "partner_type": "business", "size_band": "micro"}
    assert post_form(client, f"{BASE}/organisation", business).status_code == 302
    page = soup(client.get(f"{BASE}/organisation"))
    mistake = {**_as_sent(page), "answering_as": "individual"}
    assert post_form(client, f"{BASE}/organisation", mistake).status_code == 302
    response = db.session.scalar(select(Response))
    assert (response.organisation_name, response.partner_type, response.size_band) == (
        None,
        "individual",
        None,
    )
    back = soup(client.get(f"{BASE}/organisation"))
    assert _checked(back, "answering_as") == ["individual"]
    assert back.find(id="organisation_name")["value"] == "Tipton Community Trust"
    assert _checked(back, "partner_type") == ["business"]
    assert _checked(back, "size_band") == ["micro"]
    again = {**_as_sent(back), "answering_as": "organisation"}
    assert post_form(client, f"{BASE}/organisation", again).status_code == 302
    db.session.expire_all()
    response = db.session.scalar(select(Response))
    assert (response.organisation_name, response.partner_type, response.size_band) == (
        "Tipton Community Trust",
        "business",
        "micro",
    )
    # Another browser's draft finds nothing set aside for it.
    other = app.test_client()
    start_open(other)
    assert post_form(other, f"{BASE}/organisation", INDIVIDUAL).status_code == 302
    fresh = soup(other.get(f"{BASE}/organisation"))
    assert fresh.find(id="organisation_name")["value"] == ""
    assert _checked(fresh, "partner_type") == []


def test_exports_say_which_organisation_invited_an_individual(app, client):
    """Review finding: the staff page says "Invitation sent to: Acme Ltd" for an individual
    who answered an organisation's invitation, but the exports (organisation "") lost it.
    Every export ends with ``invited_organisation`` (the last column, so a file written
    before it reads as it did), and an import of our own export recognises it."""
    from openpyxl import load_workbook

    from consult.imports import match_columns

    consultation = make_consultation()
    _, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    # Answered as an individual through the invitation before fixc17 (no longer offered).
    answered = db.session.scalar(select(Response))
    answered.partner_type, answered.organisation_name = "individual", None
    db.session.commit()
    other = app.test_client()
    start_open(other)
    assert post_form(other, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302

    staff = signed_in(app, "admin")
    base = f"/staff/consultations/{consultation.id}/export"
    text = staff.get(f"{base}.csv?status=draft").get_data(as_text=True).lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text)))
    # After the questions' columns, first of exports.LAST_COLUMNS (later ones follow it).
    invited = header.index("invited_organisation")
    assert header[invited:] == exports.LAST_COLUMNS and invited == len(header) - 3
    by_type = {row[header.index("partner_type")]: row for row in rows}
    assert by_type["Individual"][invited] == "Acme Ltd"
    assert by_type["Individual"][header.index("organisation")] == ""
    vcse = by_type["Voluntary, community or social enterprise"]
    assert vcse[invited] == ""  # the open link: no invitation
    records = staff.get(f"{base}.json?status=draft").get_json()["responses"]
    assert sorted(r["invited_organisation"] for r in records) == ["", "Acme Ltd"]
    sheet = load_workbook(io.BytesIO(staff.get(f"{base}.xlsx?status=draft").data))["Responses"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][invited] == "invited_organisation"
    assert sorted(row[invited] or "" for row in values[1:]) == ["", "Acme Ltd"]
    matched = match_columns(consultation, header)
    for column in exports.LAST_COLUMNS:
        assert column in matched.other
        assert column not in matched.mapping.values()


def _send_by_invitation(app, client, consultation, token, individual_before=False):
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    answers = {**ORGANISATION_ANSWERS, "respondent_email": "sam@acme.example"}
    assert post_form(client, f"{BASE}/organisation", answers).status_code == 302
    assert post_form(client, f"{BASE}/section/1", section_one(consultation)).status_code == 302
    assert post_form(client, f"{BASE}/section/2", section_two(consultation)).status_code == 302
    sent = post_form(client, f"{BASE}/check", {}, action=None)
    assert sent.headers["Location"].endswith("/confirmation"), sent.headers["Location"]
    if individual_before:  # as one answered as an individual could be sent before fixc17
        response = db.session.scalar(select(Response))
        response.partner_type, response.organisation_name = "individual", None
        db.session.commit()


def test_a_colleague_reads_that_the_organisation_has_sent_its_response(app, client):
    """The organisation's response is shared by the colleagues holding its link (its draft
    was): a colleague coming later reads that the organisation has sent it, with the reference
    and the answers."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    _send_by_invitation(app, client, consultation, token)
    colleague = app.test_client()
    opened = colleague.get(f"/i/{token}")
    assert opened.headers["Location"].endswith("/confirmation?already=sent")
    page = soup(colleague.get(opened.headers["Location"]))
    banner = _words(page.find(id="already-sent"))
    assert "Acme Ltd has already sent its response" in banner
    assert "share one response" in banner
    assert page.find(id="reference").get_text(strip=True)


def test_an_individuals_answers_sent_through_an_invitation_stay_theirs(app, client):
    """An invitation's response sent as an individual's before fixc17: a colleague opening
    the link reads that it was sent, and its reference, never that person's answers or email;
    the browser that sent it still reads its confirmation and copy."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    _send_by_invitation(app, client, consultation, token, individual_before=True)
    mine = client.get(f"{BASE}/confirmation?already=sent").get_data(as_text=True)
    assert "sam@acme.example" in mine
    assert client.get(f"{BASE}/your-response.txt").status_code == 200

    colleague = app.test_client()
    opened = colleague.get(f"/i/{token}")
    assert opened.headers["Location"].endswith("/confirmation?already=sent")
    shown = colleague.get(opened.headers["Location"])
    assert shown.status_code == 200
    text = shown.get_data(as_text=True)
    page = soup(shown)
    reference = db.session.scalar(select(Response)).reference
    assert page.find(id="reference").get_text(strip=True) == reference
    assert "by someone answering as an individual" in _words(page.find(id="sent-elsewhere"))
    assert "sam@acme.example" not in text and "govuk-summary-list" not in text
    assert colleague.get(f"{BASE}/your-response.txt").status_code == 404


def test_the_organisations_area_is_not_carried_over_as_where_an_individual_lives(app, client):
    """smoke17: answered for an organisation based in Coventry, then "As an individual" with
    nothing else changed: "Where you live: Coventry" was stored silently. The organisation's
    area is not taken as theirs: the page asks "Where do you live?". An area the page's script
    says was chosen after switching (``area_for``) is theirs."""
    make_consultation()
    start_open(client)
    organisation = {**ORGANISATION_ANSWERS, "area": "coventry"}
    assert post_form(client, f"{BASE}/organisation", organisation).status_code == 302
    page = soup(client.get(f"{BASE}/organisation"))
    area = page.find("input", {"name": "area"}).find_parent("fieldset")
    assert area["data-organisation-area"] == "coventry"
    assert area["data-individual-legend"] == about.INDIVIDUAL_AREA_LEGEND
    switched = {**organisation, "answering_as": "individual"}
    again = redrawn(client, post_form(client, f"{BASE}/organisation", switched))
    assert ("#area", about.INDIVIDUAL_AREA_MISSING) in error_summary(again)
    assert _words(soup(again).find(id="area-error").find_parent("fieldset").find("legend")) == (
        about.INDIVIDUAL_AREA_LEGEND
    )
    response = db.session.scalar(select(Response))
    assert response.partner_type == "individual" and not response.area
    # Chosen by the person after switching (or now, asked where they live): kept.
    other = app.test_client()
    start_open(other)
    assert post_form(other, f"{BASE}/organisation", organisation).status_code == 302
    theirs = {**switched, "area_for": "individual"}
    assert (
        post_form(other, f"{BASE}/organisation", theirs).headers["Location"].endswith("/section/1")
    )
    assert (
        post_form(client, f"{BASE}/organisation", switched)
        .headers["Location"]
        .endswith("/section/1")
    )
