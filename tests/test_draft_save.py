"""fixc17 (smoke17): the browser's Back button (or a phone's swipe) lost typed answers. A
page left without a button sends what was typed as a "draft" save (its script, on
``pagehide``/``visibilitychange``): saved unchecked into the draft, answered with nothing,
never into a sent response, never over a colleague's newer answer; and the partner's own
draft-saved answer is never taken for a colleague's when the page, kept by the browser, is
sent later with the digests it was drawn with."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Response
from consult.survey import journey
from tests.helpers import (
    ORGANISATION_ANSWERS,
    colleagues,
    field,
    hidden_fields,
    make_consultation,
    make_invitation,
    post_form,
    section_one,
    section_two,
    soup,
)
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _why(consultation) -> str:
    return field(consultation, "Why")


def _stored_why(consultation) -> str:
    db.session.expire_all()
    response = db.session.scalar(select(Response))
    questions = consultation.sections[0].questions
    return journey.stored_question_values(response, questions)[_why(consultation)]


def _draft_save(client, url: str, page, data: dict):
    """What the page's script sends as the page is left: its fields, action "draft"."""
    fields = hidden_fields(page)
    fields.update(data)
    fields["action"] = "draft"
    return client.post(url, data=fields)


def test_a_page_left_without_a_button_is_saved_unchecked(app, client):
    consultation = make_consultation()
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    page = client.get(f"{BASE}/section/1")
    # The required agreement left unanswered: saved all the same, no error kept, no redirect.
    saved = _draft_save(client, f"{BASE}/section/1", page, {_why(consultation): "Typed, then Back"})
    assert saved.status_code == 204 and not saved.get_data()
    assert _stored_why(consultation) == "Typed, then Back"
    again = soup(client.get(f"{BASE}/section/1"))
    assert again.find(class_="govuk-error-summary") is None
    assert again.find(id=_why(consultation)).get_text() == "Typed, then Back"
    # "Continue your response" comes back to this page.
    db.session.expire_all()
    assert db.session.scalar(select(Response)).last_page == "section-1"


def test_the_page_kept_by_the_browser_sends_its_own_answer_again_without_a_clash(app, client):
    """Draft-saved, then the page comes back from the browser's memory (its digests those it
    was drawn with): Continue with more typed is the partner's own change, not a clash."""
    consultation = make_consultation()
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    page = client.get(f"{BASE}/section/1")
    why = _why(consultation)
    assert _draft_save(client, f"{BASE}/section/1", page, {why: "First"}).status_code == 204
    assert _draft_save(client, f"{BASE}/section/1", page, {why: "First, then"}).status_code == 204
    answers = section_one(consultation, **{why: "First, then more"})
    moved = post_form(client, f"{BASE}/section/1", answers, page=page)
    assert moved.headers["Location"].endswith("/section/2")
    assert _stored_why(consultation) == "First, then more"


def test_a_draft_save_never_overwrites_a_colleagues_newer_answer(app):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    assert post_form(alice, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    why = _why(consultation)
    alices_page = alice.get(f"{BASE}/section/1")
    bobs_page = bob.get(f"{BASE}/section/1")
    assert _draft_save(alice, f"{BASE}/section/1", alices_page, {why: "Alice's"}).status_code == 204
    # Bob's page was drawn before Alice's answer: his draft save clashes, and keeps hers.
    assert _draft_save(bob, f"{BASE}/section/1", bobs_page, {why: "Bob's"}).status_code == 204
    assert _stored_why(consultation) == "Alice's"
    shown = soup(bob.get(f"{BASE}/section/1"))
    assert shown.find(id=f"{why}-conflict") is not None
    # Alice's own draft-saved answer is hers; Bob saves after it with his page drawn again.
    assert (
        _draft_save(alice, f"{BASE}/section/1", alices_page, {why: "Alice's, more"}).status_code
        == 204
    )
    assert _stored_why(consultation) == "Alice's, more"
    # A colleague's change made after Alice's draft save is still a clash for her.
    bob_again = bob.get(f"{BASE}/section/1")
    answers = section_one(consultation, **{why: "Bob's after reading"})
    assert post_form(bob, f"{BASE}/section/1", answers, page=bob_again).status_code == 302
    assert _stored_why(consultation) == "Bob's after reading"
    kept = _draft_save(alice, f"{BASE}/section/1", alices_page, {why: "Alice's, more still"})
    assert kept.status_code == 204
    assert _stored_why(consultation) == "Bob's after reading"


def test_a_draft_save_never_changes_a_sent_response(app, client):
    consultation = make_consultation()
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    page = client.get(f"{BASE}/section/1")
    assert post_form(client, f"{BASE}/section/1", section_one(consultation)).status_code == 302
    assert post_form(client, f"{BASE}/section/2", section_two(consultation)).status_code == 302
    sent = post_form(client, f"{BASE}/check", {}, action=None)
    assert sent.headers["Location"].endswith("/confirmation")
    late = _draft_save(client, f"{BASE}/section/1", page, {_why(consultation): "Too late"})
    assert late.status_code == 302 and "/confirmation" in late.headers["Location"]
    assert _stored_why(consultation) == "Reliable buses matter."


def test_a_draft_save_without_a_token_is_refused(app, client):
    consultation = make_consultation()
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    refused = client.post(
        f"{BASE}/section/1", data={_why(consultation): "Planted", "action": "draft"}
    )
    assert refused.status_code == 400
    assert _stored_why(consultation) == ""


def test_the_about_page_is_draft_saved_too(app, client):
    make_consultation()
    start_open(client)
    page = client.get(f"{BASE}/organisation")
    typed = {"answering_as": "organisation", "organisation_name": "Half typed Trust"}
    assert _draft_save(client, f"{BASE}/organisation", page, typed).status_code == 204
    db.session.expire_all()
    assert db.session.scalar(select(Response)).organisation_name == "Half typed Trust"
