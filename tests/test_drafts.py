"""Save and return, shared drafts, and concurrent edits that never overwrite silently."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

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
    soup,
)
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_every_page_saves_a_draft_and_resume_link_continues(app):
    consultation = make_consultation()
    first = app.test_client()
    start_open(first)
    post_form(first, f"{BASE}/organisation", ORGANISATION_ANSWERS)
    why = field(consultation, "Why")
    saved = post_form(first, f"{BASE}/section/1", {why: "Half typed"}, action="save")
    assert saved.headers["Location"].endswith("/saved")
    saved_page = soup(first.get(f"{BASE}/saved"))
    resume_url = saved_page.find(id="resume-link")["href"]
    assert "/resume/" in resume_url

    other_device = app.test_client()
    back = other_device.get(resume_url.replace("http://localhost", ""))
    assert back.headers["Location"].endswith("/section/1")
    page = soup(other_device.get(f"{BASE}/section/1"))
    assert page.find(id=why).get_text() == "Half typed"


def test_back_saves_what_was_typed_unchecked_and_goes_to_the_page_before(app):
    consultation = make_consultation()
    client = app.test_client()
    start_open(client)
    post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS)
    why = field(consultation, "Why")
    # The required agreement question is left empty: Back saves without checking.
    back = post_form(client, f"{BASE}/section/1", {why: "Typed before going back"}, "back")
    assert back.status_code == 302
    assert back.headers["Location"].endswith("/organisation")
    page = soup(client.get(f"{BASE}/section/1"))
    assert page.find(id=why).get_text() == "Typed before going back"
    assert page.find("form")["data-save-on-back"] is not None
    # From the first page, Back goes to the start page.
    first = post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS, "back")
    assert first.headers["Location"].endswith(BASE)


def test_resume_link_is_emailed_to_outbox_when_mail_is_configured(app, tmp_path):
    app.config["MAIL_SERVER"] = None
    consultation = make_consultation()
    client = app.test_client()
    start_open(client)
    post_form(
        client,
        f"{BASE}/organisation",
        {**ORGANISATION_ANSWERS, "respondent_email": "me@example.org"},
        action="save",
    )
    page = client.get(f"{BASE}/saved")
    assert page.status_code == 200
    assert soup(page).find(id="resume-link") is not None
    assert consultation.slug in soup(page).find(id="resume-link")["href"]


def test_wrong_resume_link(client, app):
    make_consultation()
    page = client.get(f"{BASE}/resume/not-a-real-token")
    assert page.status_code == 404
    assert "not recognised" in page.get_data(as_text=True)


def test_invitation_link_resumes_where_left_off(app):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    first = app.test_client()
    first.get(f"/i/{token}")
    start = first.get(BASE)
    first.post(BASE, data=hidden_fields(start))
    post_form(
        first,
        f"{BASE}/organisation",
        {**ORGANISATION_ANSWERS, "partner_type": "business", "size_band": "small"},
    )
    later = app.test_client()
    later.get(f"/i/{token}")
    start = later.get(BASE)
    assert "Continue your response" in start.get_data(as_text=True)
    resumed = later.post(BASE, data=hidden_fields(start))
    assert resumed.headers["Location"].endswith("/section/1")


def test_colleagues_share_one_draft(app):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    why = field(consultation, "Why")
    post_form(alice, f"{BASE}/section/1", section_one(consultation, **{why: "Alice's reason"}))
    assert soup(bob.get(f"{BASE}/section/1")).find(id=why).get_text() == "Alice's reason"
    assert db.session.scalar(select(func.count(Response.id))) == 1


def test_concurrent_edit_is_detected_not_overwritten(app):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    why = field(consultation, "Why")
    alice_page = alice.get(f"{BASE}/section/1")
    bob_page = bob.get(f"{BASE}/section/1")
    post_form(
        alice,
        f"{BASE}/section/1",
        section_one(consultation, **{why: "Alice's reason"}),
        page=alice_page,
    )
    clash = redrawn(
        bob,
        post_form(
            bob,
            f"{BASE}/section/1",
            section_one(consultation, **{why: "Bob's reason"}),
            page=bob_page,
        ),
    )
    assert clash.status_code == 200
    html = soup(clash)
    banner = html.find(id="conflict-message")
    assert banner is not None
    # Two tabs of one browser clash too: the message does not say it was a colleague.
    assert (
        "Someone else (a colleague, or you in another tab or window) changed some of these "
        "answers while you were editing."
    ) in " ".join(banner.get_text().split())
    note = html.find(id=f"{why}-conflict").get_text()
    assert "Alice's reason" in note and "Someone else saved a different answer here" in note
    assert html.find(id=why).get_text() == "Bob's reason"  # Bob's typing is kept on screen
    response = db.session.scalar(select(Response))
    db.session.refresh(response)
    stored = {a.question.field_name: a.value for a in response.answers}
    assert stored[why] == "Alice's reason"  # and Alice's answer was not overwritten

    # Bob has now seen Alice's answer; saving again is a deliberate choice and wins.
    kept = post_form(
        bob, f"{BASE}/section/1", section_one(consultation, **{why: "Bob's reason"}), page=clash
    )
    assert kept.status_code == 302
    db.session.expire_all()
    stored = {a.question.field_name: a.value for a in db.session.get(Response, response.id).answers}
    assert stored[why] == "Bob's reason"


def test_untouched_fields_keep_a_colleagues_change(app):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    why, modes = field(consultation, "Why"), field(consultation, "Which modes")
    agree = field(consultation, "Buses should")
    bob_page = bob.get(f"{BASE}/section/1")  # Bob sees empty answers
    post_form(alice, f"{BASE}/section/1", {agree: "agree", why: "Alice's reason"})
    # Bob only answers the modes question; his empty "why" box was never touched.
    merged = post_form(
        bob, f"{BASE}/section/1", {agree: "agree", modes: ["rail"], why: ""}, page=bob_page
    )
    assert merged.status_code == 302
    response = db.session.scalar(select(Response))
    db.session.refresh(response)
    stored = {a.question.field_name: a.value for a in response.answers}
    assert stored[why] == "Alice's reason" and stored[modes] == '["rail"]'


def test_a_save_among_many_colleagues_saves_never_gives_up(app, database_url, monkeypatch):
    """Colleagues keep saving the same draft while Alice saves: each optimistic try of hers
    loses the race, and after the first she waits her turn instead of failing (it was a
    500, 'the draft kept changing', after five lost races)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from consult.survey import journey

    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    why = field(consultation, "Why")
    post_form(bob, f"{BASE}/section/1", section_one(consultation, **{why: "Bob's reason"}))
    alice_page = alice.get(f"{BASE}/section/1")
    response_id = db.session.scalar(select(Response.id))
    if database_url.startswith("sqlite"):
        other = create_engine(database_url, connect_args={"timeout": 0.2})
    else:
        other = create_engine(database_url, connect_args={"options": "-c lock_timeout=200"})
    merge = journey.merge_page
    colleague_saves = []

    def a_colleague_saves_first(stored, seen, typed):
        # Between Alice's read and her write, another save of the draft lands, unless
        # Alice holds the draft (then the colleague waits, here: gives up quickly).
        try:
            with other.begin() as connection:
                connection.execute(
                    text("UPDATE response SET version = version + 1 WHERE id = :id"),
                    {"id": response_id},
                )
            colleague_saves.append(True)
        except OperationalError:
            colleague_saves.append(False)
        return merge(stored, seen, typed)

    monkeypatch.setattr(journey, "merge_page", a_colleague_saves_first)
    try:
        saved = post_form(
            alice,
            f"{BASE}/section/1",
            section_one(consultation, **{why: "Alice's reason"}),
            page=alice_page,
        )
    finally:
        other.dispose()
    assert saved.status_code == 302
    assert colleague_saves[0] and not colleague_saves[-1]
    db.session.expire_all()
    stored = {a.question.field_name: a.value for a in db.session.get(Response, response_id).answers}
    assert stored[why] == "Alice's reason"
