"""fixr17a: a page's save lands only in the draft the page was drawn for, and a draft save's
"own" digests apply only to the page draw that sent it.

1. A page drawn for one draft (its hidden ``draft`` key) and saved after this browser moved
   to another draft (the invitation's organisation draft left for one's own, ``?own=1``)
   never writes into the draft the session holds now: a draft save saves nothing, a button
   save saves nothing and shows back what was typed (to carry on in the right draft).
   The same for "Accept and send" on a check page drawn for another draft: nothing is sent.
2. Two tabs of one browser on the same page: one tab's draft save is not taken as seen by
   the other tab's page, so the other tab's blank answer never erases it without a note.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Response
from consult.survey import journey
from tests.helpers import (
    ORGANISATION_ANSWERS,
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


def _why_values(consultation) -> list[tuple[bool, str]]:
    """(came by an invitation, its "Why" answer) for every response, oldest first."""
    db.session.expire_all()
    questions = consultation.sections[0].questions
    why = field(consultation, "Why")
    return [
        (r.invitation_id is not None, journey.stored_question_values(r, questions)[why])
        for r in db.session.scalars(select(Response).order_by(Response.id))
    ]


def _draft_save(client, url: str, page, data: dict):
    fields = hidden_fields(page)
    fields.update(data)
    fields["action"] = "draft"
    return client.post(url, data=fields)


def _organisation_page_then_own_draft(client, token):
    """The organisation's invitation draft, its section 1 drawn (the old tab); then this
    browser starts its own open-link draft (``?own=1``) and saves its first page."""
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    old_tab = client.get(f"{BASE}/section/1")
    started = client.post(BASE, data=hidden_fields(client.get(f"{BASE}?own=1")))
    assert started.headers["Location"].endswith("/organisation?own=1")
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    return old_tab


def test_a_draft_save_of_a_page_drawn_for_another_draft_saves_nothing(app, client):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    old_tab = _organisation_page_then_own_draft(client, token)
    why = field(consultation, "Why")
    saved = _draft_save(client, f"{BASE}/section/1", old_tab, {why: "For the organisation"})
    assert saved.status_code == 204
    assert _why_values(consultation) == [(True, ""), (False, "")]
    db.session.expire_all()
    own = db.session.scalars(select(Response).where(Response.invitation_id.is_(None))).one()
    assert own.last_page == "section-1"  # where its own first page's Continue went


def test_a_button_save_of_a_page_drawn_for_another_draft_saves_nothing_and_says_so(app, client):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    old_tab = _organisation_page_then_own_draft(client, token)
    why = field(consultation, "Why")
    answers = section_one(consultation, **{why: "For the organisation"})
    sent = post_form(client, f"{BASE}/section/1", answers, page=old_tab)
    assert sent.status_code == 409
    page = soup(sent)
    assert "another response" in page.find("h1").get_text()
    assert "For the organisation" in page.find(id="typed-answers").get_text()
    assert _why_values(consultation) == [(True, ""), (False, "")]
    # The organisation's invitation link, opened again here, fills it in on its page.
    asked = client.get(f"/i/{token}")
    switched = client.post(f"/i/{token}", data=hidden_fields(asked))
    assert switched.status_code == 302
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    refilled = soup(client.get(f"{BASE}/section/1"))
    assert refilled.find(id=why).get_text() == "For the organisation"


def test_a_page_of_the_draft_held_now_still_saves(app, client):
    consultation = make_consultation()
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    page = client.get(f"{BASE}/section/1")
    why = field(consultation, "Why")
    assert _draft_save(client, f"{BASE}/section/1", page, {why: "Mine"}).status_code == 204
    assert _why_values(consultation) == [(False, "Mine")]


def test_another_tabs_draft_save_is_not_taken_as_seen_by_this_tab(app, client):
    """Tabs A and B of one browser show section 1 with "Why" blank; A's draft save stores
    "a"; B, untouched, selects Continue with "Why" blank: "a" is kept as another tab's
    answer (as a colleague's would be), not erased."""
    consultation = make_consultation()
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    tab_a = client.get(f"{BASE}/section/1")
    tab_b = client.get(f"{BASE}/section/1")
    why = field(consultation, "Why")
    assert _draft_save(client, f"{BASE}/section/1", tab_a, {why: "a"}).status_code == 204
    assert _why_values(consultation) == [(False, "a")]
    blank = section_one(consultation, **{why: ""})
    assert post_form(client, f"{BASE}/section/1", blank, page=tab_b).status_code == 302
    assert _why_values(consultation) == [(False, "a")]  # a colleague's, as it were: kept
    assert soup(client.get(f"{BASE}/section/1")).find(id=why).get_text() == "a"
    # Tab A, kept by the browser, still sends its own answer on without a clash.
    answers = section_one(consultation, **{why: "a, then more"})
    moved = post_form(client, f"{BASE}/section/1", answers, page=tab_a)
    assert moved.headers["Location"].endswith("/section/2")
    assert _why_values(consultation) == [(False, "a, then more")]


def test_accept_and_send_on_a_page_drawn_for_another_draft_sends_nothing(app, client):
    """The organisation's check page, left open; this browser then answers for itself
    (``?own=1``) as far as its own check page: the old page's "Accept and send" sends
    neither draft."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    for url, answers in (
        ("organisation", ORGANISATION_ANSWERS),
        ("section/1", section_one(consultation)),
        ("section/2", section_two(consultation)),
    ):
        assert post_form(client, f"{BASE}/{url}", answers).status_code == 302
    old_tab = client.get(f"{BASE}/check")
    client.post(BASE, data=hidden_fields(client.get(f"{BASE}?own=1")))
    for url, answers in (
        ("organisation", ORGANISATION_ANSWERS),
        ("section/1", section_one(consultation)),
        ("section/2", section_two(consultation)),
    ):
        assert post_form(client, f"{BASE}/{url}", answers).status_code == 302
    sent = post_form(client, f"{BASE}/check", {}, action=None, page=old_tab)
    assert sent.status_code == 409
    assert "nothing on this page was saved or sent" in soup(sent).get_text()
    db.session.expire_all()
    assert [r.status for r in db.session.scalars(select(Response))] == ["draft", "draft"]
