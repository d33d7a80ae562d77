"""Someone on the open link answering for an organisation invited to the consultation (its
name typed as the organisation list has it, ignoring case and spaces) is told so: after
"About you", a page saying the organisation has its own invitation link and that a response
sent here is a second one; on check your answers, a warning. Nothing is lost or blocked:
the answer is saved as typed, and they may carry on (left27 #1)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Invitation, Response, organisation_key
from consult.staff import figures
from consult.survey import journey
from tests.helpers import (
    ORGANISATION_ANSWERS,
    make_consultation,
    make_invitation,
    post_form,
    section_one,
    section_two,
    soup,
)
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")

INVITED = "Acme Ltd"
FOR_ACME = {
    **ORGANISATION_ANSWERS,
    "answering_as": "organisation",
    "organisation_name": " ACME  ltd",
}


@pytest.fixture
def invited(app):
    consultation = make_consultation()
    make_invitation(consultation, name=INVITED)
    return consultation


def _text(page) -> str:
    return soup(page).find("main").get_text(" ", strip=True)


def test_the_rule_names_the_invited_organisation_for_open_link_answers_only(app, invited):
    other = make_consultation("other-one")
    response = Response(consultation_id=invited.id, reference="R1", organisation_name="acme LTD")
    response.partner_type = "business"
    assert journey.invited_namesake(response) == INVITED
    response.partner_type = "individual"  # an individual's name is no organisation's
    assert journey.invited_namesake(response) is None
    response.partner_type, response.organisation_name = "business", "Acme Holdings"
    assert journey.invited_namesake(response) is None
    elsewhere = Response(consultation_id=other.id, reference="R2", organisation_name=INVITED)
    assert journey.invited_namesake(elsewhere) is None  # invited to another consultation
    invitation_id = db.session.scalar(select(Invitation.id))
    own = Response(consultation_id=invited.id, reference="R3", organisation_name=INVITED)
    own.invitation_id = invitation_id
    assert journey.invited_namesake(own) is None  # the invitation's own draft


def test_the_open_link_says_the_organisation_was_invited_and_saves_the_answers(
    app, client, invited
):
    start_open(client)
    saved = post_form(client, f"{BASE}/organisation", FOR_ACME)
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"{BASE}/invited-organisation")
    response = db.session.scalar(select(Response))
    assert organisation_key(response.organisation_name) == "acme ltd"  # saved as typed
    page = client.get(saved.headers["Location"])
    assert page.status_code == 200
    html = soup(page)
    assert html.find("h1").get_text(strip=True) == f"{INVITED} has been invited to respond"
    text = _text(page)
    assert "use the link in that invitation" in text
    assert "a second response from" in text
    carry_on = html.find(id="continue-separately")
    assert carry_on["href"].endswith(f"{BASE}/section/1")
    assert html.find(id="change-name")["href"].endswith(f"{BASE}/organisation#organisation_name")
    # Continuing from the page again, with the name unchanged, does not ask again.
    again = post_form(client, f"{BASE}/organisation", FOR_ACME)
    assert again.headers["Location"].endswith(f"{BASE}/section/1")
    assert post_form(client, f"{BASE}/section/1", section_one(invited)).status_code == 302
    assert post_form(client, f"{BASE}/section/2", section_two(invited)).status_code == 302
    check = client.get(f"{BASE}/check")
    warning = soup(check).find(id="invited-namesake")
    assert warning is not None and INVITED in warning.get_text()
    assert "second response" in warning.get_text()
    sent = client.post(f"{BASE}/check", data={**_hidden(check)})
    assert sent.status_code == 302 and "confirmation" in sent.headers["Location"]
    # Staff see it among the dashboard's possible duplicates.
    assert figures.open_link_shared_names(invited) == 1


def _hidden(page) -> dict[str, str]:
    form = soup(page).find("form", method="post")
    return {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}


def test_nothing_is_said_for_another_name_nor_an_individual(app, client, invited):
    start_open(client)
    other = {**FOR_ACME, "organisation_name": "Tipton Community Trust"}
    saved = post_form(client, f"{BASE}/organisation", other)
    assert saved.headers["Location"].endswith(f"{BASE}/section/1")
    assert (
        client.get(f"{BASE}/invited-organisation")
        .headers["Location"]
        .endswith(f"{BASE}/organisation")
    )
    assert soup(client.get(f"{BASE}/check")).find(id="invited-namesake") is None


def test_the_invitations_own_draft_is_not_told_about_itself(app, client):
    consultation = make_consultation()
    _, token = make_invitation(consultation, name=INVITED)
    client.get(f"/i/{token}")
    client.post(BASE, data=_hidden(client.get(BASE)))
    saved = post_form(client, f"{BASE}/organisation", {**FOR_ACME, "organisation_name": INVITED})
    assert saved.headers["Location"].endswith(f"{BASE}/section/1")
    assert soup(client.get(f"{BASE}/check")).find(id="invited-namesake") is None


def test_staff_read_that_an_open_link_response_shares_an_invited_name(app, invited):
    from tests.staff_helpers import signed_in
    from tests.test_staff_data import add_response

    second = add_response(invited, "WM-2ND", "Buses late", ["bus"], org="acme ltd")
    other = add_response(invited, "WM-OTH", "Buses late", ["bus"], org="Tipton Trust")
    client = signed_in(app, "analyst")
    note = soup(client.get(f"/staff/responses/{second.id}")).find(id="invited-namesake")
    assert note is not None
    said = " ".join(note.get_text().split())
    assert f"{INVITED} was invited to this consultation" in said
    assert "may be a second response" in said
    assert soup(client.get(f"/staff/responses/{other.id}")).find(id="invited-namesake") is None
