"""Two colleagues answering one invitation at once: a clash on "About your organisation"
says the colleague's choice in words, as Check your answers does."""

from __future__ import annotations

from tests.helpers import (
    ORGANISATION_ANSWERS,
    colleagues,
    make_consultation,
    make_invitation,
    post_form,
    redrawn,
    soup,
)
from tests.test_journey import BASE


def test_an_organisation_clash_names_the_colleagues_choices_in_words(app):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    url = f"{BASE}/organisation"
    alice_page, bob_page = alice.get(url), bob.get(url)
    alice_answers = {
        **ORGANISATION_ANSWERS,
        "organisation_name": "Tipton Community Trust (Alice)",
        "partner_type": "business_body",
        "area": "birmingham",
    }
    post_form(alice, url, alice_answers, page=alice_page)
    clash = redrawn(bob, post_form(bob, url, dict(ORGANISATION_ANSWERS), page=bob_page))
    html = soup(clash)
    assert html.find(id="conflict-message") is not None

    def note(name: str) -> str:
        return " ".join(html.find(id=f"{name}-conflict").get_text().split())

    # Codes such as 'business' and 'birmingham' were shown as they are stored.
    assert (
        "editing: Business representative body (chamber of commerce, trade or membership body) Your"
        in note("partner_type")
    )
    assert "editing: Birmingham Your answer" in note("area")
    assert "editing: Tipton Community Trust (Alice) Your answer" in note("organisation_name")
