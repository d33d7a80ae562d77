"""Submission happens exactly once, whatever the browser or the network does."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

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
from tests.test_journey import BASE, answer_everything

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def submitted_count() -> int:
    return db.session.scalar(select(func.count(Response.id)).where(Response.status == "submitted"))


def test_double_click_and_replay_leave_one_submission(client, app):
    consultation = make_consultation()
    answer_everything(client, consultation)
    check = client.get(f"{BASE}/check")
    fields = hidden_fields(check)
    first = client.post(f"{BASE}/check", data=fields)
    second = client.post(f"{BASE}/check", data=fields)  # double click / retried POST
    assert first.headers["Location"] == second.headers["Location"]
    assert second.headers["Location"].endswith("/confirmation")
    assert submitted_count() == 1
    reference = db.session.scalar(select(Response.reference))
    replay = client.get(second.headers["Location"])
    assert soup(replay).find(id="reference").get_text(strip=True) == reference


def test_back_and_resubmit_shows_original_confirmation(client, app):
    consultation = make_consultation()
    answer_everything(client, consultation)
    old_page = client.get(f"{BASE}/section/2")  # still in the browser's history
    post_form(client, f"{BASE}/check", {}, action=None)
    response = db.session.scalar(select(Response))
    submitted_at = response.submitted_at
    # Back button: the old section page re-posted with changed answers changes nothing.
    late = post_form(client, f"{BASE}/section/2", section_two(consultation), page=old_page)
    assert late.headers["Location"].endswith("/confirmation?already=sent")
    again = client.post(f"{BASE}/check", data={})
    assert again.headers["Location"].endswith("/confirmation")
    db.session.refresh(response)
    assert submitted_count() == 1 and response.submitted_at == submitted_at


def test_two_tabs_submit_once(app):
    consultation = make_consultation()
    client = app.test_client()
    answer_everything(client, consultation)
    tab_one = client.get(f"{BASE}/check")
    tab_two = client.get(f"{BASE}/check")
    client.post(f"{BASE}/check", data=hidden_fields(tab_one))
    client.post(f"{BASE}/check", data=hidden_fields(tab_two))
    assert submitted_count() == 1


def test_concurrent_submits_from_threads_against_sqlite_file(app):
    """Two requests race to submit one invitation's response on a real SQLite file."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    clients = colleagues(app, token)
    post_form(
        clients[0],
        f"{BASE}/organisation",
        {**ORGANISATION_ANSWERS, "partner_type": "business", "size_band": "micro"},
    )
    post_form(clients[0], f"{BASE}/section/1", section_one(consultation))
    post_form(clients[0], f"{BASE}/section/2", section_two(consultation))
    forms = [hidden_fields(person.get(f"{BASE}/check")) for person in clients]

    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def submit(index: int) -> None:
        with app.app_context():
            barrier.wait()
            results[index] = clients[index].post(f"{BASE}/check", data=forms[index])

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None and r.status_code == 302 for r in results)
    assert all(r.headers["Location"].endswith("/confirmation") for r in results)
    db.session.expire_all()
    assert submitted_count() == 1
    assert db.session.scalar(select(func.count(Response.id))) == 1


def test_database_allows_only_one_response_per_invitation(app):
    consultation = make_consultation()
    invitation, _ = make_invitation(consultation)
    db.session.add(Response(consultation=consultation, invitation=invitation, reference="WM-A"))
    db.session.commit()
    db.session.add(Response(consultation=consultation, invitation=invitation, reference="WM-B"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_database_rejects_submitted_without_time(app):
    consultation = make_consultation()
    db.session.add(Response(consultation=consultation, reference="WM-C"))
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE response SET status = 'submitted'"))
        db.session.commit()
    db.session.rollback()


def _bob_at_check_alice_on_a_page(app):
    """Two colleagues on one invitation: Bob has answered every page and has "Check your
    answers" open (its hidden fields returned); Alice has section 1 open."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = colleagues(app, token)
    post_form(
        bob,
        f"{BASE}/organisation",
        {**ORGANISATION_ANSWERS, "partner_type": "business", "size_band": "micro"},
    )
    post_form(bob, f"{BASE}/section/1", section_one(consultation))
    post_form(bob, f"{BASE}/section/2", section_two(consultation))
    alice_page = alice.get(f"{BASE}/section/1")
    bob_check = hidden_fields(bob.get(f"{BASE}/check"))
    return consultation, alice, bob, alice_page, bob_check


def test_a_save_that_lands_after_a_colleagues_submit_changes_nothing(app, monkeypatch):
    """Alice's page save is under way when Bob submits: Alice's save must not rewrite the
    submitted answers (the versioned save retries after Bob's version bump and finds the
    response submitted)."""
    from consult.survey import journey

    consultation, alice, bob, alice_page, bob_check = _bob_at_check_alice_on_a_page(app)
    response = db.session.scalar(select(Response))
    before = {a.question.field_name: a.value for a in response.answers}
    why = field(consultation, "Why")

    merge = journey.merge_page
    calls = []

    def merge_then_colleague_submits(stored, seen, typed):
        # Alice's request has read the draft; Bob's submit lands before her write.
        if not calls:
            calls.append(1)
            with app.app_context():
                assert bob.post(f"{BASE}/check", data=bob_check).status_code == 302
        return merge(stored, seen, typed)

    monkeypatch.setattr(journey, "merge_page", merge_then_colleague_submits)
    late = post_form(
        alice,
        f"{BASE}/section/1",
        section_one(consultation, **{why: "Changed after submit"}),
        page=alice_page,
    )
    assert calls
    assert late.status_code == 302
    assert late.headers["Location"].endswith("/confirmation?already=sent")
    db.session.expire_all()
    response = db.session.get(Response, response.id)
    assert response.status == "submitted"
    assert {a.question.field_name: a.value for a in response.answers} == before


def test_a_colleagues_save_while_submitting_is_checked_before_it_is_submitted(app, monkeypatch):
    """Bob's answers pass the check; before his submit lands, Alice saves a 'why' longer
    than allowed (a draft keeps it). The submit must not send answers nobody checked: it
    goes back to check answers, which now shows the problem."""
    from consult.survey import review

    consultation, alice, bob, alice_page, bob_check = _bob_at_check_alice_on_a_page(app)
    why = field(consultation, "Why")
    too_long = "x" * 300  # max_length is 200

    check = review.problems
    calls = []

    def check_then_colleague_saves(consultation_, response):
        found = check(consultation_, response)
        if not calls:
            calls.append(1)
            with app.app_context():
                saved = post_form(
                    alice,
                    f"{BASE}/section/1",
                    section_one(consultation, **{why: too_long}),
                    action="save",
                    page=alice_page,
                )
                assert saved.status_code == 302
        return found

    monkeypatch.setattr(review, "problems", check_then_colleague_saves)
    late = bob.post(f"{BASE}/check", data=bob_check)
    assert calls
    assert late.status_code == 302 and late.headers["Location"].endswith("/check")
    assert submitted_count() == 0
    monkeypatch.setattr(review, "problems", check)
    again = redrawn(bob, bob.post(f"{BASE}/check", data=hidden_fields(bob.get(f"{BASE}/check"))))
    assert again.status_code == 200 and submitted_count() == 0  # the problem is shown
    assert f"#{why}" in again.get_data(as_text=True)
