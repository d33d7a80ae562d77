"""Two colleagues answering one invitation at once: a clash on "About your organisation"
says the colleague's choice in words, as Check your answers does, and the clash banner is
an alert (focused on load) unless an error summary takes focus. In Chromium:
tests/test_browser_partner.py."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from consult.extensions import db
from consult.models import Response
from tests.helpers import (
    ORGANISATION_ANSWERS,
    colleagues,
    field,
    hidden_fields,
    make_consultation,
    make_invitation,
    post_form,
    redrawn,
    section_one,
    section_two,
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
    # Each note is part of its field's description (fixc17, WCAG 1.3.1).
    assert "organisation_name-conflict" in html.find(id="organisation_name")["aria-describedby"]
    for name in ("partner_type", "area"):
        fieldset = html.find("input", {"name": name}).find_parent("fieldset")
        assert f"{name}-conflict" in fieldset["aria-describedby"].split()


def test_a_section_clash_note_describes_its_field(app):
    """smoke17 (WCAG 1.3.1): the notes about a colleague's clashing answer (``q1-conflict``)
    were not referenced by their fields: a set of radios by its fieldset, a text box with a
    character count by the textarea itself (beside its count's own description)."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    why, agree = field(consultation, "Why"), field(consultation, "Buses should")
    url = f"{BASE}/section/1"
    alice_page, bob_page = alice.get(url), bob.get(url)
    post_form(alice, url, section_one(consultation, **{why: "Alice's"}), page=alice_page)
    bobs = section_one(consultation, **{why: "Bob's", agree: "disagree"})
    html = soup(redrawn(bob, post_form(bob, url, bobs, page=bob_page)))
    assert html.find(id=f"{why}-conflict") and html.find(id=f"{agree}-conflict")
    assert html.find(id=why)["aria-describedby"].split() == [f"{why}-conflict", f"{why}-info"]
    fieldset = html.find("input", {"name": agree}).find_parent("fieldset")
    assert f"{agree}-conflict" in fieldset["aria-describedby"].split()
    for described in html.find_all(attrs={"aria-describedby": True}):
        for target in described["aria-describedby"].split():
            assert html.find(id=target) is not None, target


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


def test_accept_and_send_never_sends_answers_changed_after_the_page_was_drawn(app):
    """Bob reads Check your answers; meanwhile Alice changes an answer. Bob's 'Accept and
    send' confirmed answers he never saw: it sent them. Now it brings the page back with
    Alice's answer and says why (an alert, focused on load); sending again sends."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    post_form(bob, f"{BASE}/organisation", ORGANISATION_ANSWERS)
    post_form(bob, f"{BASE}/section/1", section_one(consultation))
    post_form(bob, f"{BASE}/section/2", section_two(consultation))
    bob_check = bob.get(f"{BASE}/check")
    assert soup(bob_check).find(id="changed-message") is None
    why = field(consultation, "Why")
    post_form(alice, f"{BASE}/section/1", section_one(consultation, **{why: "Alice's change"}))

    sent = bob.post(f"{BASE}/check", data=hidden_fields(bob_check))
    assert sent.headers["Location"].endswith("/check")
    assert db.session.scalar(select(Response.status)) == "draft"
    again = redrawn(bob, sent)
    html = soup(again)
    banner = html.find(id="changed-message")
    assert banner is not None and banner["role"] == "alert"
    assert "changed some of these answers after you opened this page" in banner.get_text()
    assert "Alice's change" in html.get_text()
    reload = bob.get(f"{BASE}/check")  # a GET: said again, and nothing is sent
    assert soup(reload).find(id="changed-message") is not None

    done = bob.post(f"{BASE}/check", data=hidden_fields(again))
    assert done.headers["Location"].endswith("/confirmation")
    assert db.session.scalar(select(Response.status)) == "submitted"


def shown_answers(page) -> dict:
    """What a page's form shows: the ticked choices and the text in each box, by name
    (``page``: a test client's response, or a page's HTML)."""
    html = page if isinstance(page, str) else page.get_data(as_text=True)
    form = BeautifulSoup(html, "html.parser").find("form", method="post")
    shown: dict = {}
    for box in form.find_all("input", type=["radio", "checkbox"]):
        if box.has_attr("checked"):
            shown.setdefault(box["name"], []).append(box["value"])
    for box in form.find_all("textarea"):
        shown[box["name"]] = box.get_text()
    for box in form.find_all("input", type="text"):
        shown[box["name"]] = box.get("value", "")
    return {name: v[0] if isinstance(v, list) and len(v) == 1 else v for name, v in shown.items()}


def test_a_page_drawn_again_after_an_error_shows_a_colleagues_answers(app):
    """smoke10 finding 1, step by step. Alice and Bob open section 1 of one invitation's
    draft. Alice answers the statement and the modes and saves for later. Bob, whose page
    still shows those empty, types only 'Why' and selects Continue. His page comes back
    with Alice's answers in place (and a note on each), not with "Select how much you
    agree" as if they were missing; selecting Continue again keeps them."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    post_form(alice, f"{BASE}/organisation", ORGANISATION_ANSWERS)  # the draft is stored
    agree, why = field(consultation, "Buses should"), field(consultation, "Why")
    modes = field(consultation, "Which modes")
    url = f"{BASE}/section/1"
    alice_page, bob_page = alice.get(url), bob.get(url)
    post_form(alice, url, {agree: "agree", modes: ["bus", "tram"]}, "save", page=alice_page)

    bobs = redrawn(bob, post_form(bob, url, {why: "Bob's reason only."}, page=bob_page))
    html = soup(bobs)
    assert html.find(class_="govuk-error-summary") is None  # nothing is missing
    assert "Select how much you agree" not in html.get_text()
    shown = shown_answers(bobs)
    assert shown[agree] == "agree" and shown[modes] == ["bus", "tram"]
    assert shown[why] == "Bob's reason only."
    assert html.find(id="conflict-message")["role"] == "alert"  # why Continue stayed here
    for name in (agree, modes):
        note = " ".join(html.find(id=f"{name}-updated").get_text().split())
        assert note.startswith("Someone else saved this answer while you were editing.")
    assert html.find(id=f"{why}-updated") is None

    # Bob selects Continue on the page as shown: Alice's answers stay, with his.
    moved_on = post_form(bob, url, shown, page=bobs)
    assert moved_on.headers["Location"].endswith("/section/2")
    response = db.session.scalar(select(Response))
    db.session.refresh(response)
    stored = {a.question.field_name: a.value for a in response.answers}
    assert stored[agree] == "agree" and stored[modes] == '["bus", "tram"]'
    assert stored[why] == "Bob's reason only."


def test_changing_a_colleagues_answer_shown_again_is_deliberate(app):
    """Bob, shown Alice's answer on the page drawn again, changes it: that is his choice
    made with hers in front of him, so it is saved (as after a clash note)."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    post_form(alice, f"{BASE}/organisation", ORGANISATION_ANSWERS)
    agree, why = field(consultation, "Buses should"), field(consultation, "Why")
    url = f"{BASE}/section/1"
    alice_page, bob_page = alice.get(url), bob.get(url)
    post_form(alice, url, {agree: "agree"}, "save", page=alice_page)
    bobs = redrawn(bob, post_form(bob, url, {why: "Bob's reason."}, page=bob_page))
    assert shown_answers(bobs)[agree] == "agree"
    assert soup(bobs).find(id=f"{agree}-updated") is not None
    post_form(bob, url, {**shown_answers(bobs), agree: "disagree"}, page=bobs)
    db.session.expire_all()
    stored = {a.question.field_name: a.value for a in db.session.scalar(select(Response)).answers}
    assert stored[agree] == "disagree" and stored[why] == "Bob's reason."
