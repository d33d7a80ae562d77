"""collect29 #1: organisations ticked on the invitations page are carried across searches
and pages (``?chosen=``): tick, search, tick more, send to all of them at once."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import func, select

from consult.edge import MAX_ID
from consult.extensions import db
from consult.invitation_ticks import (
    MAX_CARRIED,
    REQUEST_LINE_LIMIT,
    REST_OF_LINE,
    TICK_BYTES,
    carried,
    over_cap,
    ticked_count,
    ticked_elsewhere,
    ticked_summary,
)
from consult.invitations import FILTER_STATUSES
from consult.models import Invitation, Organisation
from consult.reference import AREAS, PARTNER_TYPES
from tests.helpers import form_data, make_consultation, soup, submitted_invitation
from tests.staff_helpers import post, signed_in
from tests.test_staff_invitations import GOOD_CSV, upload

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_carried_ticks_are_whole_numbers_each_once_in_order():
    assert carried(["12", "x", "40", "12", "-3", "0", "7"]) == [12, 40, 7]
    assert len(carried(str(n) for n in range(1, 2000))) == MAX_CARRIED
    assert ticked_elsewhere([12, 40, 7], [40, 99]) == [12, 7]
    assert ticked_summary(1) == "1 organisation ticked in an earlier search or page"
    assert ticked_summary(3) == "3 organisations ticked in earlier searches or pages"


def test_the_longest_address_with_every_tick_carried_fits_gunicorns_request_line(app):
    """fixc29 #1: at the cap, with every id ten digits long and the rest of the query at its
    longest, the request line stays under gunicorn's limit (8,190 bytes; 500 ticks made
    ~9,000 and got gunicorn's own 400 page)."""
    longest = {
        "q": "\U0001f600" * 200,  # the search's 200 characters, each 12 bytes percent-encoded
        "partner_type": max((value for value, _ in PARTNER_TYPES), key=len),
        "area": max((value for value, _ in AREAS), key=len),
        "status": max(FILTER_STATUSES, key=len),
        "page": MAX_ID,
    }
    with app.test_request_context():
        rest = url_for("staff.invitations", consultation_id=MAX_ID, **longest)
        full = url_for(
            "staff.invitations",
            consultation_id=MAX_ID,
            **longest,
            chosen=[MAX_ID - n for n in range(MAX_CARRIED)],
        )
    assert len(f"GET {rest} HTTP/1.1") <= REST_OF_LINE
    assert TICK_BYTES == len(f"&chosen={MAX_ID}") == 18
    line = f"GET {full} HTTP/1.1"
    assert len(line) == len(f"GET {rest} HTTP/1.1") + MAX_CARRIED * TICK_BYTES
    assert len(line) <= REQUEST_LINE_LIMIT
    assert REST_OF_LINE + MAX_CARRIED * TICK_BYTES <= REQUEST_LINE_LIMIT
    # More than the cap are counted, not silently dropped: the page says so.
    many = [str(n) for n in range(1, MAX_CARRIED + 41)] + ["7", "junk"]
    assert len(carried(many)) == MAX_CARRIED and ticked_count(many) == MAX_CARRIED + 40
    assert over_cap(290) == (
        "290 organisations were ticked, but at most 250 can stay ticked across searches and "
        "pages: only the first 250 are still ticked. Send invitations to those, then tick the "
        "others again."
    )


def test_the_page_says_when_more_were_ticked_than_are_carried(app):
    consultation = make_consultation()
    client = signed_in(app, "editor")
    assert upload(client, GOOD_CSV).status_code == 302
    page_url = f"/staff/consultations/{consultation.id}/invitations"
    assert soup(client.get(f"{page_url}?chosen=1&chosen=2")).find(id="ticks-over-cap") is None
    address = "&".join(f"chosen={n}" for n in range(1, MAX_CARRIED + 6))
    page = soup(client.get(f"{page_url}?{address}"))
    warning = page.find(id="ticks-over-cap").get_text(" ", strip=True)
    assert warning == f"! Warning {over_cap(MAX_CARRIED + 5)}"
    search = page.find("form", class_="consult-filters")
    assert len(search.find_all("input", attrs={"name": "chosen"})) <= MAX_CARRIED
    assert page.find("form", attrs={"data-carry-max": str(MAX_CARRIED)}) is not None


def _two_listed(app):
    """An editor's client, a new consultation's invitations address and the two
    organisations of ``GOOD_CSV``, uploaded (Tipton, Forge)."""
    consultation = make_consultation()
    client = signed_in(app, "editor")
    assert upload(client, GOOD_CSV).status_code == 302
    tipton, forge = (
        db.session.scalar(select(Organisation).where(Organisation.name == name))
        for name in ("Tipton Trust", "Forge Engineering Ltd")
    )
    return client, f"/staff/consultations/{consultation.id}/invitations", tipton, forge


def test_ticks_carried_across_a_search_are_listed_and_sent_together(app):
    client, page_url, tipton, forge = _two_listed(app)
    # collect29 #2: a count in a button reads right for many and for one
    # (tests/test_sending_batches.py: "Invite the 1 organisation not yet invited").
    offer = soup(client.get(page_url)).find(id="invite-all").get_text(" ", strip=True)
    assert "Invite all 2 not yet invited" in offer
    # Tipton ticked, then a search for Forge: Tipton is carried in the address.
    page = soup(client.get(f"{page_url}?q=Forge&chosen={tipton.id}&chosen=nonsense"))
    earlier = page.find(id="ticked-elsewhere")
    assert earlier.legend.get_text(strip=True) == (
        "1 organisation ticked in an earlier search or page"
    )
    box = earlier.find("input", id=f"earlier-{tipton.id}")
    assert box["name"] == "organisation" and box.has_attr("checked")
    assert box.find_parent("form")["method"] == "post"
    assert not page.find("input", id=f"org-{forge.id}").has_attr("checked")
    # the search goes with the invitations form's boxes, the earlier ticks among them (tidy30)
    assert sent_by_search(page) == [("organisation", str(tipton.id)), ("q", "Forge")]
    # Back to a search showing Tipton: its own row is ticked, not listed twice.
    again = soup(client.get(f"{page_url}?q=Tipton&chosen={tipton.id}"))
    assert again.find("input", id=f"org-{tipton.id}").has_attr("checked")
    assert again.find(id="ticked-elsewhere") is None
    # Both sent at once: the earlier tick and the one on this page.
    post(
        client,
        f"{page_url}/send",
        {"mode": "invite", "organisation": [str(tipton.id), str(forge.id)]},
        page_url=f"{page_url}?q=Forge&chosen={tipton.id}",
    )
    invited = db.session.scalars(select(Invitation.organisation_id)).all()  # one consultation
    assert sorted(invited) == sorted([tipton.id, forge.id])


def sent_by_search(page, button: str = "Apply filters") -> list[tuple[str, str]]:
    """What a browser sends when ``button`` is pressed on ``page`` (:func:`form_data` of the
    button's form), hidden and empty fields left out, sorted."""
    pressed = next(b for b in page.find_all("button") if b.get_text(strip=True) == button)
    owner = page.find("form", id=pressed["form"]) if pressed.get("form") else None
    sent = form_data(page, owner or pressed.find_parent("form"))
    hidden = {i["name"] for i in page.find_all("input", type="hidden")}
    return sorted((name, value) for name, value in sent if value and name not in hidden)


def test_boxes_ticked_on_the_results_go_with_a_search_without_javascript(app):
    """tidy30: without JavaScript, boxes ticked on the current results were lost when the
    officer searched again (the search form did not hold them). The search's fields and
    button belong to the invitations form, whose ticked boxes go with it to the search
    address, which leads to the results asked for with every box ticked now carried."""
    client, page_url, tipton, forge = _two_listed(app)
    page = soup(client.get(f"{page_url}?q=Tipton"))
    apply = next(b for b in page.find_all("button") if b.get_text(strip=True) == "Apply filters")
    assert apply["form"] == "invite-form" and apply["formmethod"] == "post"
    assert apply["formaction"] == f"{page_url}/search"
    assert page.find("input", id="q")["form"] == "invite-form"
    # Tipton ticked on the results, then a search for Forge (as a browser sends them)
    found = post(
        client,
        f"{page_url}/search",
        {"organisation": [str(tipton.id)], "q": "Forge", "mode": "invite", "batch": "x"},
        page_url=f"{page_url}?q=Tipton",
    )
    assert found.status_code == 303
    assert found.headers["Location"] == f"{page_url}?q=Forge&chosen={tipton.id}"
    shown = soup(client.get(found.headers["Location"]))
    assert shown.find("input", id=f"earlier-{tipton.id}").has_attr("checked")
    # Forge ticked too, then a filter by status: both carried, neither invited yet
    both = post(
        client,
        f"{page_url}/search",
        {"organisation": [str(tipton.id), str(forge.id)], "status": "not invited"},
        page_url=found.headers["Location"],
    )
    assert both.headers["Location"] == (
        f"{page_url}?status=not+invited&chosen={tipton.id}&chosen={forge.id}"
    )
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    # without the page's token: refused; unticked all: nothing carried
    assert client.post(f"{page_url}/search", data={"q": "Forge"}).status_code == 400
    bare = post(client, f"{page_url}/search", {"q": "Forge"}, page_url=page_url)
    assert bare.headers["Location"] == f"{page_url}?q=Forge"


def test_more_ticked_than_carried_on_a_search_says_so(app):
    consultation = make_consultation()
    client = signed_in(app, "editor")
    assert upload(client, GOOD_CSV).status_code == 302
    page_url = f"/staff/consultations/{consultation.id}/invitations"
    many = [str(n) for n in range(1, MAX_CARRIED + 4)]
    found = post(client, f"{page_url}/search", {"organisation": many}, page_url=page_url)
    assert found.headers["Location"].count("chosen=") == MAX_CARRIED
    said = " ".join(soup(client.get(found.headers["Location"])).find("main").get_text().split())
    assert over_cap(MAX_CARRIED + 3) in said


def test_an_organisation_added_from_invitations_goes_back_there(app):
    """collect29 #7: Add an organisation from the invitations page, and after adding it the
    page is Invitations again, searched for it, ready to tick; Back and Cancel go there too.
    From Organisations (or with an id no consultation has) it is Organisations, as before."""
    consultation = make_consultation()
    client = signed_in(app, "editor")
    page_url = f"/staff/consultations/{consultation.id}/invitations"
    link = soup(client.get(page_url)).find(id="add-organisation").a["href"]
    assert link == f"/staff/organisations/new?invite_for={consultation.id}"
    form = soup(client.get(link))
    assert form.find(class_="govuk-back-link")["href"] == page_url
    assert form.find("a", string="Cancel")["href"] == page_url
    details = {
        "name": "Aston Tenants Forum",
        "partner_type": "vcse",
        "area": "birmingham",
        "contact_email": "hello@aston.example",
        "size_band": "",
    }
    added = post(client, link, details, page_url=link)
    assert added.status_code == 302, soup(added).find(class_="govuk-error-summary")
    assert added.headers["Location"] == f"{page_url}?q=Aston+Tenants+Forum"
    shown = soup(client.get(added.headers["Location"]))
    assert "Added Aston Tenants Forum. Tick it below to invite it." in shown.get_text()
    new = db.session.scalar(select(Organisation).where(Organisation.name == details["name"]))
    assert shown.find("input", id=f"org-{new.id}") is not None
    # From Organisations, or an unknown consultation: back to Organisations.
    for start in ("/staff/organisations/new", "/staff/organisations/new?invite_for=999"):
        other = {**details, "name": f"Other {start[-3:]}"}
        done = post(client, start, other, page_url=start)
        assert done.headers["Location"].startswith("/staff/organisations?q=Other")


def test_a_refused_send_carries_back_no_more_than_the_cap_and_says_so(app):
    """fixc29 #1: sending with one that has submitted goes back with the others ticked; with
    more than the cap, the address back holds the cap and the message says the rest."""
    consultation = make_consultation()
    invitation = submitted_invitation(consultation)
    others = [
        Organisation(
            name=f"Group {n}", partner_type="vcse", area="coventry", contact_email=f"{n}@g.example"
        )
        for n in range(MAX_CARRIED + 3)
    ]
    db.session.add_all(others)
    db.session.commit()
    client = signed_in(app, "editor")
    page_url = f"/staff/consultations/{consultation.id}/invitations"
    ids = [str(invitation.organisation.id), *(str(o.id) for o in others)]
    refused = post(
        client, f"{page_url}/send", {"mode": "invite", "organisation": ids}, page_url=page_url
    )
    back = refused.headers["Location"]
    assert refused.status_code == 302 and back.count("chosen=") == MAX_CARRIED
    said = " ".join(soup(client.get(back)).find("main").get_text().split())
    assert over_cap(MAX_CARRIED + 3) in said
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1
