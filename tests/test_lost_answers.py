"""A survey page posted when it can no longer be saved (the consultation closed, or this
browser's session lost its draft: a staff sign-in in the same browser cleared it) is answered
by a 303 to the page's GET (Post/Redirect/Get), which shows back what was typed; a new
open-link draft begun in the same browser gets it filled in (issue 11's leftovers)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.csrf_expiry import KEEP_MAX_CHARACTERS
from consult.extensions import db
from consult.models import Answer
from consult.survey.views import LOST_MESSAGE
from tests.helpers import field, hidden_fields, make_consultation, section_one, soup
from tests.reports_helpers import worker_environment
from tests.staff_helpers import PASSWORD, make_user
from tests.test_gunicorn import Browser, gunicorn_process
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TYPED = "A long answer typed while someone else signed in"


def staff_sign_in_same_browser(client) -> None:
    """A member of staff signs in on this browser: the session (and its draft) is cleared."""
    user = make_user("editor")
    page = client.get("/staff/sign-in")
    done = client.post(
        "/staff/sign-in", data={**hidden_fields(page), "email": user.email, "password": PASSWORD}
    )
    assert done.status_code == 302
    assert client.get(done.headers["Location"]).status_code == 200  # draws its own forms


def post_after_the_session_was_cleared(client, consultation):
    start_open(client)
    open_page = client.get(f"{BASE}/section/1")
    staff_sign_in_same_browser(client)
    why = field(consultation, "Why")
    data = {**hidden_fields(open_page), **section_one(consultation, **{why: TYPED})}
    return client.post(f"{BASE}/section/1", data={**data, "action": "continue"})


def test_a_page_posted_after_the_session_was_cleared_keeps_what_was_typed(app, client):
    consultation = make_consultation()
    posted = post_after_the_session_was_cleared(client, consultation)
    assert posted.status_code == 303
    assert posted.headers["Location"] == f"{BASE}/section/1"
    assert TYPED not in posted.get_data(as_text=True)
    for _ in range(2):  # the redirected page, and a reload of it
        page = client.get(posted.headers["Location"])
        assert page.status_code == 403
        html = soup(page)
        assert "Start from the beginning" in html.get_text()
        assert TYPED in html.find(id="typed-answers").get_text()
        assert html.find(id="typed-refill") is not None
    # A new draft begun in this browser has it filled in on its page, saved only when sent.
    start = client.get(BASE)
    client.post(BASE, data=hidden_fields(start))
    refilled = soup(client.get(f"{BASE}/section/1"))
    why = field(consultation, "Why")
    assert refilled.find(id=why).get_text() == TYPED
    assert LOST_MESSAGE in refilled.find(id="csrf-message").get_text()
    assert db.session.scalars(select(Answer)).all() == []
    # Handed over once: the browser's session no longer holds it apart.
    with client.session_transaction() as session:
        assert "lost_pages" not in session


def test_lost_answers_never_go_into_another_browsers_draft(app, client):
    consultation = make_consultation()
    post_after_the_session_was_cleared(client, consultation)
    other = app.test_client()
    start_open(other)
    page = other.get(f"{BASE}/section/1")
    assert TYPED not in page.get_data(as_text=True)
    assert soup(page).find(id="csrf-message") is None


def test_another_site_cannot_plant_answers(app, client):
    consultation = make_consultation()
    start_open(client)
    token = hidden_fields(client.get(f"{BASE}/section/1"))
    why = field(consultation, "Why")
    planted = {**token, why: "Planted by another site", "action": "continue"}
    # A cross-site POST carries no session cookie (SameSite=Lax): redirected, nothing kept.
    stranger = app.test_client()
    posted = stranger.post(f"{BASE}/section/1", data=planted)
    assert posted.status_code == 303
    assert "Planted" not in stranger.get(posted.headers["Location"]).get_data(as_text=True)
    # Nor with the cookie but another site's Origin, or with a forged token.
    staff_sign_in_same_browser(client)
    for data, headers in (
        (planted, {"Origin": "https://evil.example"}),
        (planted, {"Sec-Fetch-Site": "cross-site", "Origin": "null"}),
        ({**planted, "csrf_token": "forged"}, {}),
    ):
        posted = client.post(f"{BASE}/section/1", data=data, headers=headers)
        assert posted.status_code == 303
        assert "Planted" not in client.get(posted.headers["Location"]).get_data(as_text=True)


def test_what_is_kept_is_bounded(app, client):
    consultation = make_consultation()
    start_open(client)
    open_page = client.get(f"{BASE}/section/1")
    staff_sign_in_same_browser(client)
    why = field(consultation, "Why")
    huge = "x" * (KEEP_MAX_CHARACTERS + 1)
    data = {**hidden_fields(open_page), **section_one(consultation, **{why: huge})}
    posted = client.post(f"{BASE}/section/1", data={**data, "action": "continue"})
    assert posted.status_code == 303
    page = client.get(posted.headers["Location"])
    assert page.status_code == 403 and soup(page).find(id="typed-answers") is None


def test_post_redirect_get_through_gunicorn(app, database_url, tmp_path):
    """Through a real gunicorn process over HTTP (two workers: the session lives on the
    server, so whichever answers the GET shows what the POST kept)."""
    consultation = make_consultation()
    why = field(consultation, "Why")
    typed = section_one(consultation, **{why: TYPED})
    email = make_user("editor").email
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served")
    with gunicorn_process(env, tmp_path / "gunicorn.log", workers=2) as (base, _):
        browser = Browser(base)
        assert browser.form(BASE, {}).status == 302  # "Start now"
        open_page = browser.request(f"{BASE}/section/1")
        assert open_page.status == 200
        signed = browser.form("/staff/sign-in", {"email": email, "password": PASSWORD})
        assert signed.status == 302
        fields = {
            i["name"]: i.get("value", "")
            for i in open_page.soup().find("form", method="post").find_all("input", type="hidden")
        }
        posted = browser.request(f"{BASE}/section/1", {**fields, **typed, "action": "continue"})
        assert posted.status == 303
        assert posted.headers["Location"].endswith(f"{BASE}/section/1")
        assert TYPED not in posted.text
        for _ in range(3):  # the redirected page and reloads, whichever worker answers
            page = browser.request(f"{BASE}/section/1")
            assert page.status == 403
            assert TYPED in page.soup().find(id="typed-answers").get_text()
