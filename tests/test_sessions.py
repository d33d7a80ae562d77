"""Sessions live on the server: signing out revokes a copied cookie, the cookie holds no
token, and a planted resume link cannot silently swap the partner's draft."""

from __future__ import annotations

import base64
import zlib

import pytest
from sqlalchemy import func, select

from consult import sessions
from consult.extensions import db
from consult.models import BrowserSession, User
from tests.helpers import (
    ORGANISATION_ANSWERS,
    hidden_fields,
    make_consultation,
    make_invitation,
    post_form,
    soup,
)
from tests.staff_helpers import signed_in
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _readable(cookie: str) -> str:
    """Everything a person holding the cookie could read from it (Flask's cookie format is
    base64 of JSON, zlib-compressed when it starts with a dot)."""
    text = cookie
    payload = cookie.lstrip(".").split(".")[0]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        if cookie.startswith("."):
            raw = zlib.decompress(raw)
        text += raw.decode("utf-8", "replace")
    except (ValueError, zlib.error):
        pass
    return text


def test_signing_out_revokes_a_copied_cookie(app):
    """Regression: the signed cookie stayed valid after signing out."""
    client = signed_in(app, "admin")
    copied = _cookie(client)
    assert client.get("/staff/").status_code == 200
    page = client.get("/staff/")
    client.post("/staff/sign-out", data=hidden_fields(page))
    assert client.get("/staff/").status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", copied)
    replay = thief.get("/staff/")
    assert replay.status_code == 302 and "/staff/sign-in" in replay.headers["Location"]


def test_signing_in_issues_a_new_session_id(app):
    client = app.test_client()
    page = client.get("/staff/sign-in")
    before = _cookie(client)
    signed = signed_in(app, "viewer")  # a fresh client signs in
    page = client.get("/staff/sign-in")
    client.post(
        "/staff/sign-in",
        data={
            **hidden_fields(page),
            "email": "viewer@example.org",
            "password": "correct horse battery staple",
        },
    )
    assert _cookie(client) != before
    planted = app.test_client()
    planted.set_cookie("session", before)
    assert planted.get("/staff/").status_code == 302
    assert signed.get("/staff/").status_code == 200


def test_revoking_a_user_ends_every_session(app):
    first = signed_in(app, "analyst")
    user = db.session.scalar(select(User))
    second = app.test_client()
    page = second.get("/staff/sign-in")
    second.post(
        "/staff/sign-in",
        data={
            **hidden_fields(page),
            "email": user.email,
            "password": "correct horse battery staple",
        },
    )
    assert first.get("/staff/").status_code == 200 and second.get("/staff/").status_code == 200
    assert sessions.revoke_user(user.id) == 2
    assert first.get("/staff/").status_code == 302 and second.get("/staff/").status_code == 302


def test_cookie_holds_no_invitation_or_resume_token(app):
    """Regression: tokens sat readable in the signed session cookie."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    invited = app.test_client()
    assert invited.get(f"/i/{token}").status_code == 302
    cookie = _cookie(invited)
    assert token not in _readable(cookie) and "grants" not in _readable(cookie)
    assert len(cookie) < 64

    partner = app.test_client()
    start_open(partner)
    post_form(partner, f"{BASE}/organisation", ORGANISATION_ANSWERS, action="save")
    link = soup(partner.get(f"{BASE}/saved")).find(id="resume-link")["href"]
    resume_token = link.rsplit("/", 1)[1]
    assert resume_token not in _readable(_cookie(partner))
    stored = db.session.scalar(select(func.count(BrowserSession.id)))
    assert stored == 2


def open_draft(app, organisation: str):
    """A new partner's draft by the open link, saved with ``organisation`` as its name: the
    partner's client and the draft's resume link."""
    client = app.test_client()
    start_open(client)
    post_form(
        client,
        f"{BASE}/organisation",
        {**ORGANISATION_ANSWERS, "organisation_name": organisation},
        action="save",
    )
    link = soup(client.get(f"{BASE}/saved")).find(id="resume-link")["href"]
    return client, link.replace("http://localhost", "")


def organisation_shown(client) -> str:
    """The organisation name this client's draft shows."""
    return soup(client.get(f"{BASE}/organisation")).find(id="organisation_name")["value"]


def test_planted_resume_link_asks_before_switching_drafts(app):
    """Regression: a planted resume link silently replaced the victim's own draft."""
    make_consultation()
    victim, _ = open_draft(app, "Victim Ltd")
    _, planted = open_draft(app, "Attacker Ltd")

    asked = victim.get(planted)
    assert asked.status_code == 200
    page = soup(asked)
    assert page.h1.get_text(strip=True) == "You already have answers in progress"
    assert "Victim Ltd" in page.get_text()
    assert page.find(id="keep-draft")["href"].endswith("/organisation")
    assert organisation_shown(victim) == "Victim Ltd"

    forged = victim.post(planted)  # a cross-site POST has no CSRF token
    assert forged.status_code == 400 and organisation_shown(victim) == "Victim Ltd"

    switched = victim.post(planted, data=hidden_fields(asked))
    assert switched.status_code == 302
    assert organisation_shown(victim) == "Attacker Ltd"


def test_own_resume_link_and_a_fresh_browser_go_straight_in(app):
    make_consultation()
    partner, link = open_draft(app, "Own Ltd")
    assert partner.get(link).status_code == 302
    other_device = app.test_client()
    assert other_device.get(link).status_code == 302
    assert organisation_shown(other_device) == "Own Ltd"


def test_invitation_link_asks_before_replacing_anopen_draft(app):
    consultation = make_consultation()
    consultation.allow_invitations = True
    db.session.commit()
    _, token = make_invitation(consultation, name="Invited Org")
    partner, _ = open_draft(app, "My Own Org")
    asked = partner.get(f"/i/{token}")
    assert asked.status_code == 200
    assert "You already have answers in progress" in asked.get_data(as_text=True)
    assert organisation_shown(partner) == "My Own Org"
    switched = partner.post(f"/i/{token}", data=hidden_fields(asked))
    assert switched.status_code == 302
    assert organisation_shown(partner) == "Invited Org"


def test_users_sign_out_command_ends_every_session(app):
    client = signed_in(app, "editor")
    assert client.get("/staff/").status_code == 200
    result = app.test_cli_runner().invoke(
        args=["users", "sign-out", "--email", "editor@example.org"]
    )
    assert result.exit_code == 0 and "1 sessions ended" in result.output
    assert client.get("/staff/").status_code == 302
    unknown = app.test_cli_runner().invoke(args=["users", "sign-out", "--email", "x@example.org"])
    assert unknown.exit_code == 2 and "no user with email" in unknown.output


def test_expired_sessions_are_refused_and_purged(app):
    from datetime import timedelta

    from sqlalchemy import update

    from consult.models import utcnow

    client = signed_in(app, "viewer")
    db.session.execute(update(BrowserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get("/staff/").status_code == 302  # an expired record is not used
    stale = db.session.scalar(
        select(func.count(BrowserSession.id)).where(BrowserSession.expires_at < utcnow())
    )
    assert stale >= 1
    result = app.test_cli_runner().invoke(args=["purge"])
    assert (
        result.exit_code == 0 and f"{stale} expired browser sessions were deleted" in result.output
    )
    assert (
        db.session.scalar(
            select(func.count(BrowserSession.id)).where(BrowserSession.expires_at < utcnow())
        )
        == 0
    )


def test_a_save_sends_the_same_cookie_again_without_writing_the_session(app, client):
    """Every save of the partner's answers sends the session cookie again (Chrome then drops
    the draft's older pages from its back/forward cache): the same id, and the session's
    record is not written for it."""
    make_consultation()
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    before = _cookie(client)
    stored = db.session.scalar(select(BrowserSession.data))
    page = client.get(f"{BASE}/section/1")
    assert "Set-Cookie" not in page.headers  # a page load sends no cookie
    saved = post_form(client, f"{BASE}/section/1", {}, action="save", page=page)
    assert saved.status_code == 302
    assert saved.headers["Set-Cookie"].startswith(f"session={before};")
    assert _cookie(client) == before
    db.session.expire_all()
    assert db.session.scalar(select(BrowserSession.data)) == stored
    assert "kept_pages" not in stored  # nothing kept: the draft holds the answers
