"""Two colleagues answering one invitation at once: a clash on "About your organisation"
says the colleague's choice in words, as Check your answers does, and the clash banner is
an alert (focused on load) unless an error summary takes focus. In Chromium:
tests/test_browser_partner.py."""

from __future__ import annotations

from tests.helpers import (
    ORGANISATION_ANSWERS,
    colleagues,
    field,
    make_consultation,
    make_invitation,
    post_form,
    redrawn,
    section_one,
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


def test_the_clash_banner_is_an_alert_unless_an_error_summary_takes_focus(app):
    """GOV.UK Frontend focuses an alert banner on load and an error summary too: one page
    must not ask for both, so with errors to fix the banner is a region."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    why = field(consultation, "Why")
    url = f"{BASE}/section/1"
    alice_page, bob_page = alice.get(url), bob.get(url)
    post_form(alice, url, section_one(consultation, **{why: "Alice's"}), page=alice_page)
    bobs = section_one(consultation, **{why: "Bob's"})
    clash = redrawn(bob, post_form(bob, url, bobs, page=bob_page))
    assert soup(clash).find(id="conflict-message")["role"] == "alert"

    alice_page, bob_page = alice.get(url), bob.get(url)
    post_form(alice, url, section_one(consultation, **{why: "Alice's again"}), page=alice_page)
    required = field(consultation, "Buses should")
    typed = section_one(consultation, **{why: "Bob's again", required: ""})
    both = soup(redrawn(bob, post_form(bob, url, typed, page=bob_page)))
    assert both.find(class_="govuk-error-summary") is not None
    assert both.find(id="conflict-message")["role"] == "region"
