"""A survey page posted when it can no longer be saved (the consultation closed, or this
browser's session no longer holds its draft: the cookie expired, or the session ended) is
answered by a 303 to the page's GET (Post/Redirect/Get), which shows back what was typed and
how to get back to the draft; opening the draft's own link again (its invitation or resume
link) in this browser fills it in on its page (issue 11). A staff sign-in or sign-out in the
same browser no longer ends the partner's draft at all."""

from __future__ import annotations

import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from consult.csrf_expiry import KEEP_MAX_CHARACTERS
from consult.extensions import db
from consult.models import Answer, BrowserSession, utcnow
from consult.survey.views import LOST_MESSAGE, REPLACED_MESSAGE
from consult.tokens import hash_token, new_token
from tests.helpers import (
    ORGANISATION_ANSWERS,
    field,
    hidden_fields,
    make_consultation,
    make_invitation,
    post_form,
    section_one,
    soup,
)
from tests.reports_helpers import worker_environment
from tests.staff_helpers import PASSWORD, make_user
from tests.test_gunicorn import Browser, gunicorn_process
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TYPED = "A long answer typed before the session was lost"
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}  # what a browser sends from the site's own page


def staff_sign_in_same_browser(client) -> None:
    """A member of staff signs in on this browser (a new session id, new forms)."""
    user = make_user("editor")
    page = client.get("/staff/sign-in")
    done = client.post(
        "/staff/sign-in", data={**hidden_fields(page), "email": user.email, "password": PASSWORD}
    )
    assert done.status_code == 302
    assert client.get(done.headers["Location"]).status_code == 200  # draws its own forms


def lose_the_session(app, client, how: str) -> None:
    """This browser's session ends: its cookie expired (the browser sends none), or the
    server no longer holds it (expired or revoked: the browser sends a stale id)."""
    if how == "cookie":
        client.delete_cookie(app.session_interface.get_cookie_name(app), domain="localhost")
    else:
        db.session.execute(delete(BrowserSession))
        db.session.commit()


def resume_link(client) -> str:
    """Save the open-link draft's first page; the link to come back to it."""
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    saved = soup(client.get(f"{BASE}/saved"))
    link = saved.find("a", href=lambda h: h and "/resume/" in h) or saved.find(
        string=lambda t: t and "/resume/" in t
    )
    href = link["href"] if hasattr(link, "get") and link.get("href") else str(link).strip()
    return "/c/" + href.split("/c/", 1)[1]


def post_after_losing_the_session(app, client, consultation, how: str = "cookie"):
    open_page = client.get(f"{BASE}/section/1")
    assert open_page.status_code == 200
    lose_the_session(app, client, how)
    why = field(consultation, "Why")
    data = {**hidden_fields(open_page), **section_one(consultation, **{why: TYPED})}
    return client.post(f"{BASE}/section/1", data={**data, "action": "continue"}, headers=SAME_SITE)


def assert_dead_end_offers_it_back(client, posted, kind: str):
    assert posted.status_code == 303
    assert posted.headers["Location"] == f"{BASE}/section/1"
    assert TYPED not in posted.get_data(as_text=True)
    # Kept in a new session whose cookie outlives the browser's closing, as a grant's does.
    assert "Expires=" in posted.headers["Set-Cookie"]
    for _ in range(2):  # the redirected page, and a reload of it
        page = client.get(posted.headers["Location"])
        assert page.status_code == 403
        html = soup(page)
        typed = html.find(id="typed-answers").get_text()
        assert TYPED in typed and "Agree" in typed and "Bus" in typed  # choices by label
        way_back = html.find(id="typed-way-back").get_text()
        expected = "invitation link" if kind == "invitation" else "link to come back"
        assert expected in way_back
    return html


def no_answers_saved() -> bool:
    return db.session.scalars(select(Answer)).all() == []


def test_a_staff_sign_in_in_the_same_browser_keeps_the_partners_draft(app, client):
    """Signing in (or out) of the staff pages gives a new session id and CSRF token, but
    carries the partner's draft over: the partner's open page comes back as typed, with a
    message, and its next send saves it."""
    consultation = make_consultation()
    start_open(client)
    open_page = client.get(f"{BASE}/section/1")
    staff_sign_in_same_browser(client)
    why = field(consultation, "Why")
    data = {**hidden_fields(open_page), **section_one(consultation, **{why: TYPED})}
    posted = client.post(f"{BASE}/section/1", data={**data, "action": "continue"})
    assert posted.status_code == 302 and posted.headers["Location"] == f"{BASE}/section/1"
    assert no_answers_saved()  # the old page's token is no use: nothing is saved from it
    page = client.get(f"{BASE}/section/1")
    assert page.status_code == 200
    assert soup(page).find(id=why).get_text() == TYPED
    assert REPLACED_MESSAGE in soup(page).find(id="csrf-message").get_text()
    assert client.get("/staff/").status_code == 200  # the staff member is signed in
    again = section_one(consultation, **{why: TYPED})  # as the page draws it
    sent = post_form(client, f"{BASE}/section/1", again, page=page)
    assert sent.headers["Location"] == f"{BASE}/section/2"
    assert TYPED in [a.value for a in db.session.scalars(select(Answer))]
    # Signing out keeps it too.
    home = client.get("/staff/")
    client.post("/staff/sign-out", data=hidden_fields(home))
    assert client.get("/staff/").status_code == 302
    assert soup(client.get(f"{BASE}/section/1")).find(id=why).get_text() == TYPED


def test_a_staff_sign_out_keeps_the_partners_draft_past_the_browsers_closing(app, client):
    """The partner's grant (and what a lost page typed) is kept in a session whose cookie
    outlives the browser's closing; a staff member signing in and out of this browser
    carries them into a new session, which must outlive it too (the staff session's own
    cookie ends with the browser)."""
    consultation = make_consultation()
    start_open(client)
    resume_link(client)  # the draft is saved
    staff_sign_in_same_browser(client)
    out = client.post("/staff/sign-out", data=hidden_fields(client.get("/staff/")))
    assert out.status_code == 302
    cookie = out.headers["Set-Cookie"]
    assert "Expires=" in cookie  # not a cookie the browser drops when it closes
    # The browser closes and opens again with only that cookie: the draft is still there.
    name = app.session_interface.get_cookie_name(app)
    sid = cookie.split(";", 1)[0].split("=", 1)[1]
    reopened = app.test_client()
    reopened.set_cookie(name, sid, domain="localhost")
    page = reopened.get(f"{BASE}/section/1")
    assert page.status_code == 200
    assert soup(page).find(id=field(consultation, "Why")) is not None


def test_another_browsers_token_is_still_refused_after_a_staff_sign_in(app, client):
    consultation = make_consultation()
    other = app.test_client()
    start_open(other)
    theirs = hidden_fields(other.get(f"{BASE}/section/1"))
    start_open(client)
    staff_sign_in_same_browser(client)
    why = field(consultation, "Why")
    data = {**theirs, **section_one(consultation, **{why: "Planted"}), "action": "continue"}
    assert client.post(f"{BASE}/section/1", data=data).status_code == 400


@pytest.mark.parametrize("how", ["cookie", "server"])
def test_a_page_posted_after_the_session_was_lost_comes_back_on_the_resume_link(app, client, how):
    consultation = make_consultation()
    start_open(client)
    link = resume_link(client)
    posted = post_after_losing_the_session(app, client, consultation, how)
    assert_dead_end_offers_it_back(client, posted, "open")
    assert no_answers_saved()
    # The resume link, opened again in this browser, goes to the page, filled in.
    back = client.get(link)
    assert back.headers["Location"] == f"{BASE}/section/1"
    refilled = soup(client.get(f"{BASE}/section/1"))
    why = field(consultation, "Why")
    assert refilled.find(id=why).get_text() == TYPED
    assert LOST_MESSAGE in refilled.find(id="csrf-message").get_text()
    assert no_answers_saved()  # saved only when the partner sends it
    with client.session_transaction() as session:
        assert "lost_pages" not in session  # handed over once
    sent = post_form(client, f"{BASE}/section/1", section_one(consultation, **{why: TYPED}))
    assert sent.headers["Location"] == f"{BASE}/section/2"
    assert TYPED in [a.value for a in db.session.scalars(select(Answer))]


def test_a_page_posted_after_the_session_was_lost_comes_back_on_the_invitation_link(app, client):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    start = client.get(BASE)
    client.post(BASE, data=hidden_fields(start))
    posted = post_after_losing_the_session(app, client, consultation)
    html = assert_dead_end_offers_it_back(client, posted, "invitation")
    assert html.find(id="typed-refill") is None  # not into a new open-link response
    # A new open-link response in this browser does not get it.
    start_open(client)
    why = field(consultation, "Why")
    assert soup(client.get(f"{BASE}/section/1")).find(id=why).get_text() == ""
    # The invitation link does (switching back from the new, unsaved draft).
    client.get(f"/i/{token}")
    start = client.get(BASE)
    began = client.post(BASE, data=hidden_fields(start))
    assert began.headers["Location"] == f"{BASE}/section/1"
    refilled = soup(client.get(f"{BASE}/section/1"))
    assert refilled.find(id=why).get_text() == TYPED
    assert LOST_MESSAGE in refilled.find(id="csrf-message").get_text()


def test_a_page_posted_after_the_invitation_expired_is_kept_for_its_new_link(app, client):
    """The invitation expires while its page is open: what the page typed is not saved, but
    kept and shown back, and the team's new link (a new token for the same invitation) fills
    it in on the page."""
    consultation = make_consultation()
    invitation, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    open_page = client.get(f"{BASE}/section/1")
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    why = field(consultation, "Why")
    data = {**hidden_fields(open_page), **section_one(consultation, **{why: TYPED})}
    posted = client.post(f"{BASE}/section/1", data={**data, "action": "continue"})
    assert posted.status_code == 303 and posted.headers["Location"] == f"{BASE}/section/1"
    page = client.get(posted.headers["Location"])
    assert page.status_code == 410 and "has expired" in page.get_data(as_text=True)
    assert TYPED in soup(page).find(id="typed-answers").get_text()
    assert no_answers_saved()
    # The team sends a new link: it fills the page in.
    new_token = new_token_for(invitation)
    client.get(f"/i/{new_token}")
    began = client.post(BASE, data=hidden_fields(client.get(BASE)))
    assert began.headers["Location"] == f"{BASE}/section/1"
    assert soup(client.get(f"{BASE}/section/1")).find(id=why).get_text() == TYPED


def new_token_for(invitation) -> str:
    """What sending an invitation again does: a new token, a new expiry."""
    token = new_token()
    invitation.previous_token_hash = invitation.token_hash
    invitation.token_hash = hash_token(token)
    invitation.expires_at = utcnow() + timedelta(days=30)
    db.session.commit()
    return token


def test_lost_answers_never_go_into_another_draft(app, client):
    """Typed into one organisation's invitation draft: another invitation opened in this
    browser, and any other browser, never see it."""
    consultation = make_consultation()
    _, mine = make_invitation(consultation)
    _, theirs = make_invitation(consultation, name="Other Ltd")
    client.get(f"/i/{mine}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    post_after_losing_the_session(app, client, consultation)
    client.get(f"/i/{theirs}")
    began = client.post(BASE, data=hidden_fields(client.get(BASE)))
    assert began.headers["Location"] == f"{BASE}/organisation"
    assert TYPED not in client.get(f"{BASE}/section/1").get_data(as_text=True)
    other = app.test_client()
    start_open(other)
    page = other.get(f"{BASE}/section/1")
    assert TYPED not in page.get_data(as_text=True)
    assert soup(page).find(id="csrf-message") is None


def test_a_new_open_link_response_gets_what_an_unsaved_open_draft_typed(app, client):
    """The first page of an open-link draft was never saved, so it has no resume link: a new
    response begun in this browser gets it filled in."""
    consultation = make_consultation()
    start_open(client)
    posted = post_after_losing_the_session(app, client, consultation)
    html = assert_dead_end_offers_it_back(client, posted, "open")
    assert html.find(id="typed-refill") is not None
    start = client.get(BASE)
    began = client.post(BASE, data=hidden_fields(start))
    assert began.headers["Location"] == f"{BASE}/section/1"
    why = field(consultation, "Why")
    assert soup(client.get(f"{BASE}/section/1")).find(id=why).get_text() == TYPED
    assert no_answers_saved()


def test_what_was_typed_can_be_downloaded(app, client):
    consultation = make_consultation()
    start_open(client)
    post_after_losing_the_session(app, client, consultation)
    download = client.get(f"{BASE}/what-you-typed.txt")
    assert download.status_code == 200
    assert download.mimetype == "text/plain"
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "no-store"
    text = download.get_data(as_text=True)
    assert TYPED in text and "Why do you say that?" in text and "Bus\nTram" in text
    assert app.test_client().get(f"{BASE}/what-you-typed.txt").status_code == 404


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
    lose_the_session(app, client, "server")
    for data, headers in (
        (planted, {"Origin": "https://evil.example"}),
        (planted, {"Sec-Fetch-Site": "cross-site", "Origin": "null"}),
        ({**planted, "csrf_token": "forged"}, SAME_SITE),
    ):
        posted = client.post(f"{BASE}/section/1", data=data, headers=headers)
        assert posted.status_code == 303
        assert "Planted" not in client.get(posted.headers["Location"]).get_data(as_text=True)


def test_what_is_kept_is_bounded(app, client):
    consultation = make_consultation()
    start_open(client)
    open_page = client.get(f"{BASE}/section/1")
    lose_the_session(app, client, "server")
    why = field(consultation, "Why")
    huge = "x" * (KEEP_MAX_CHARACTERS + 1)
    data = {**hidden_fields(open_page), **section_one(consultation, **{why: huge})}
    posted = client.post(f"{BASE}/section/1", data={**data, "action": "continue"})
    assert posted.status_code == 303
    page = client.get(posted.headers["Location"])
    assert page.status_code == 403 and soup(page).find(id="typed-answers") is None


def test_post_redirect_get_through_gunicorn(app, database_url, tmp_path):
    """Through a real gunicorn process over HTTP (two workers: the session lives on the
    server, so whichever answers the GET shows what the POST kept), after the browser's
    session cookie expired."""
    consultation = make_consultation()
    why = field(consultation, "Why")
    typed = section_one(consultation, **{why: TYPED})
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served")
    with gunicorn_process(env, tmp_path / "gunicorn.log", workers=2) as (base, _):
        browser = Browser(base)
        assert browser.form(BASE, {}).status == 302  # "Start now"
        open_page = browser.request(f"{BASE}/section/1")
        assert open_page.status == 200
        for handler in browser.opener.handlers:  # the cookie expires
            if isinstance(handler, urllib.request.HTTPCookieProcessor):
                handler.cookiejar.clear()
        fields = {
            i["name"]: i.get("value", "")
            for i in open_page.soup().find("form", method="post").find_all("input", type="hidden")
        }
        data = {**fields, **typed, "action": "continue"}
        posted = browser.request(f"{BASE}/section/1", data, SAME_SITE)
        assert posted.status == 303
        assert posted.headers["Location"].endswith(f"{BASE}/section/1")
        assert TYPED not in posted.text
        for _ in range(3):  # the redirected page and reloads, whichever worker answers
            page = browser.request(f"{BASE}/section/1")
            assert page.status == 403
            assert TYPED in page.soup().find(id="typed-answers").get_text()


@pytest.mark.parametrize("partner_type", ["individual", "vcse"])
def test_lost_answers_are_worded_for_who_answered_when_known(app, client, partner_type):
    """Review finding: what a page typed and could not save (the consultation closed while
    it was open) was listed under the organisations' wording of each question, for an
    individual too. When the browser's draft says who answered, each question reads as it
    was asked of them, on the page and in the download; when not known (the session was
    lost), as for everyone."""
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.text.startswith("Buses should"))
    question.text = "Buses should be franchised, says your organisation"
    question.text_individuals = "Buses should be franchised, in your own view"
    db.session.commit()
    start_open(client)
    about = {**ORGANISATION_ANSWERS, "partner_type": partner_type}
    if partner_type == "individual":
        about.update(answering_as="individual", organisation_name="")
    assert post_form(client, f"{BASE}/organisation", about).status_code == 302
    open_page = client.get(f"{BASE}/section/1")
    consultation.status = "closed"
    db.session.commit()
    why = field(consultation, "Why")
    typed = section_one(consultation, **{why: TYPED})
    posted = post_form(client, f"{BASE}/section/1", typed, page=open_page)
    assert posted.status_code == 303
    shown = soup(client.get(posted.headers["Location"])).find(id="typed-answers").get_text()
    download = client.get(f"{BASE}/what-you-typed.txt").get_data(as_text=True)
    expected = question.text_individuals if partner_type == "individual" else question.text
    other = question.text if partner_type == "individual" else question.text_individuals
    for text in (shown, download):
        assert TYPED in text and expected in text and other not in text


def test_lost_answers_with_no_draft_known_read_as_for_everyone(app, client):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.text.startswith("Buses should"))
    question.text_individuals = "Buses should be franchised, in your own view"
    db.session.commit()
    start_open(client)
    post_after_losing_the_session(app, client, consultation)
    download = client.get(f"{BASE}/what-you-typed.txt").get_data(as_text=True)
    assert question.text in download and question.text_individuals not in download
