"""A form posted after its CSRF token expired is answered by a redirect (Post/Redirect/Get),
never by a page drawn as the POST's answer; what a survey page typed is kept server-side and
offered back until that page is saved. A missing, forged or other browser's token is refused
(400) and nothing it sent is kept or shown.

The real browser's side (reload and Back in Chromium) is in tests/test_browser_back.py.
"""

from __future__ import annotations

import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Answer, BrowserSession, Response
from tests.helpers import (
    ORGANISATION_ANSWERS,
    field,
    hidden_fields,
    make_consultation,
    make_invitation,
    post_form,
    redrawn,
    section_one,
    soup,
)
from tests.smtp_stub import SmtpStub
from tests.staff_helpers import signed_in
from tests.test_journey import BASE, answer_everything, start_open
from tests.test_sessions import open_draft, organisation_shown

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TWO_HOURS_AND_MORE = 2 * 60 * 60 + 60


@pytest.fixture
def clock(monkeypatch):
    """A controlled clock for the signed CSRF tokens: ``clock.wait()`` moves it past the
    tokens' two-hour limit."""

    class Clock:
        now = int(time.time())

        def wait(self, seconds: int = TWO_HOURS_AND_MORE) -> None:
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: clock.now)
    return clock


def unsaved(client) -> dict:
    with client.session_transaction() as session:
        return dict(session.get("unsaved_pages", {}))


def banner(page) -> str:
    found = soup(page).find(id="csrf-message")
    return found.get_text(" ", strip=True) if found else ""


def answers_saved() -> int:
    return db.session.scalar(select(func.count(Answer.id)))


def test_an_expired_section_page_keeps_what_was_typed_until_it_is_saved(client, app, clock):
    consultation = make_consultation()
    start_open(client)
    why, agree = field(consultation, "Why"), field(consultation, "Buses should")
    page = client.get(f"{BASE}/section/1")
    clock.wait()
    typed = section_one(consultation, **{why: "Typed before the token expired"})
    posted = post_form(client, f"{BASE}/section/1", typed, page=page)
    assert posted.status_code == 302  # no page drawn as the POST's answer
    assert answers_saved() == 0 and db.session.scalar(select(func.count(Response.id))) == 0
    for shown in (redrawn(client, posted), client.get(f"{BASE}/section/1")):  # and a reload
        assert "for your security we could not save it" in banner(shown)
        assert "select Continue again" in banner(shown)  # the button named (smoke17)
        assert soup(shown).find(id="csrf-message")["role"] == "alert"  # focused on load
        html = soup(shown)
        assert html.find(id=why).get_text() == "Typed before the token expired"
        assert html.find("input", {"name": agree, "value": "agree"}).has_attr("checked")
    # Another page saved meanwhile does not drop them (they are saved nowhere else).
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    again = client.get(f"{BASE}/section/1")
    assert soup(again).find(id=why).get_text() == "Typed before the token expired"
    # The page drawn again carries a fresh token: Continue now saves them, and they go.
    done = post_form(client, f"{BASE}/section/1", typed, page=again)
    assert done.headers["Location"].endswith("/section/2")
    assert unsaved(client) == {}
    fresh = client.get(f"{BASE}/section/1")
    assert banner(fresh) == "" and soup(fresh).find(id=why).get_text() == typed[why]


def test_an_expired_page_with_errors_shows_them_and_keeps_the_way_back_to_check(client, app, clock):
    consultation = make_consultation()
    answer_everything(client, consultation)
    why = field(consultation, "Why")
    url = f"{BASE}/section/1?return=check"
    page = client.get(url)
    clock.wait()
    posted = post_form(
        client, url, {why: "x" * 300, field(consultation, "Buses should"): ""}, page=page
    )
    shown = redrawn(client, posted)  # to the page's own address, ?return=check and all
    assert banner(shown) and soup(shown).title.get_text().startswith("Error: ")
    assert soup(shown).find(id=why).get_text() == "x" * 300
    # The error summary takes focus, so the banner is not an alert asking for it too.
    assert soup(shown).find(id="csrf-message")["role"] == "region"


def test_an_expired_first_page_of_an_unstored_draft_is_kept(client, app, clock):
    make_consultation()
    start_open(client)  # the draft is stored on its first save, not yet
    page = client.get(f"{BASE}/organisation")
    clock.wait()
    posted = post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS, page=page)
    shown = redrawn(client, posted)
    assert banner(shown)
    assert soup(shown).find(id="organisation_name")["value"] == "Tipton Community Trust"
    assert db.session.scalar(select(func.count(Response.id))) == 0
    saved = post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS, page=shown)
    assert saved.headers["Location"].endswith("/section/1") and unsaved(client) == {}


def test_a_colleagues_change_made_meanwhile_is_still_found(app, clock):
    """What the expired page had seen is kept with what it typed: sent again, it does not
    silently overwrite an answer a colleague changed in the meantime."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = app.test_client(), app.test_client()
    for colleague in (alice, bob):
        colleague.get(f"/i/{token}")
        colleague.post(BASE, data=hidden_fields(colleague.get(BASE)))
    why = field(consultation, "Why")
    post_form(alice, f"{BASE}/section/1", section_one(consultation, **{why: "First"}))
    bob_page = bob.get(f"{BASE}/section/1")
    clock.wait()
    expired = post_form(
        bob, f"{BASE}/section/1", section_one(consultation, **{why: "Bob's"}), page=bob_page
    )
    shown = redrawn(bob, expired)
    post_form(alice, f"{BASE}/section/1", section_one(consultation, **{why: "Alice's"}))
    clash = redrawn(
        bob,
        post_form(
            bob, f"{BASE}/section/1", section_one(consultation, **{why: "Bob's"}), page=shown
        ),
    )
    assert soup(clash).find(id="conflict-message") is not None
    assert "Alice's" in soup(clash).find(id=f"{why}-conflict").get_text()


def test_a_forged_or_missing_token_is_refused_and_nothing_kept(client, app):
    consultation = make_consultation()
    start_open(client)
    why = field(consultation, "Why")
    typed = section_one(consultation, **{why: "Planted"})
    for token in ({"csrf_token": "forged"}, {}):
        refused = client.post(f"{BASE}/section/1", data={**typed, **token})
        assert refused.status_code == 400
        assert "Planted" not in refused.get_data(as_text=True)
    assert unsaved(client) == {} and answers_saved() == 0
    assert "Planted" not in client.get(f"{BASE}/section/1").get_data(as_text=True)


def test_another_browsers_old_token_is_not_taken_for_an_expired_one(app, clock):
    """Flask-WTF reports any old token it signed as "expired", without comparing it with
    the session: one from the attacker's own browser must not plant answers."""
    consultation = make_consultation()
    attacker, victim = app.test_client(), app.test_client()
    start_open(attacker)
    start_open(victim)
    old = hidden_fields(attacker.get(f"{BASE}/section/1"))
    clock.wait()
    why = field(consultation, "Why")
    planted = victim.post(
        f"{BASE}/section/1", data={**old, **section_one(consultation, **{why: "Planted"})}
    )
    assert planted.status_code == 400 and unsaved(victim) == {}


def test_the_start_page_after_its_token_expired(client, app, clock):
    make_consultation()
    page = client.get(BASE)
    clock.wait()
    posted = client.post(BASE, data=hidden_fields(page))
    assert posted.status_code == 302 and posted.headers["Location"].endswith(BASE)
    shown = client.get(posted.headers["Location"])
    assert "nothing was saved" in banner(shown)
    assert "select Start now again" in banner(shown)  # the button named (smoke17)
    assert banner(client.get(f"{BASE}/privacy")) == ""  # said on the start page only
    shown = client.get(BASE)  # a reload says it again
    assert "nothing was saved" in banner(shown)
    started = client.post(BASE, data=hidden_fields(shown))  # its fresh token works
    assert started.headers["Location"].endswith("/organisation")
    assert banner(client.get(BASE)) == ""  # a form posted since: read
    assert client.post(BASE, data={"csrf_token": "forged"}).status_code == 400


def test_check_answers_after_its_token_expired_sends_nothing(client, app, clock):
    consultation = make_consultation()
    answer_everything(client, consultation)
    check = client.get(f"{BASE}/check")
    clock.wait()
    posted = client.post(f"{BASE}/check", data=hidden_fields(check))
    assert posted.headers["Location"].endswith("/check")
    shown = client.get(posted.headers["Location"])
    assert banner(shown)
    assert db.session.scalar(select(Response.status)) == "draft"
    sent = client.post(f"{BASE}/check", data=hidden_fields(shown))
    assert sent.headers["Location"].endswith("/confirmation")


def test_the_switch_draft_page_after_its_token_expired(app, clock):
    make_consultation()
    partner, _ = open_draft(app, "Mine Ltd")
    _, other = open_draft(app, "Other Ltd")
    asked = partner.get(other)
    clock.wait()
    posted = partner.post(other, data=hidden_fields(asked))
    assert posted.status_code == 302 and posted.headers["Location"].endswith(other)
    assert organisation_shown(partner) == "Mine Ltd"  # nothing switched
    shown = partner.get(other)
    assert soup(shown).h1.get_text(strip=True) == "You already have answers in progress"
    assert "nothing was saved" in banner(shown)
    assert partner.post(other, data={"csrf_token": "forged"}).status_code == 400
    switched = partner.post(other, data=hidden_fields(shown))
    assert switched.status_code == 302 and organisation_shown(partner) == "Other Ltd"


def test_the_invitation_switch_page_after_its_token_expired(app, clock):
    consultation = make_consultation()
    consultation.allow_invitations = True
    db.session.commit()
    _, token = make_invitation(consultation, name="Invited Org")
    partner, _ = open_draft(app, "My Own Org")
    asked = partner.get(f"/i/{token}")
    clock.wait()
    posted = partner.post(f"/i/{token}", data=hidden_fields(asked))
    assert posted.headers["Location"].endswith(f"/i/{token}")
    shown = partner.get(posted.headers["Location"])
    assert banner(shown) and organisation_shown(partner) == "My Own Org"
    partner.post(f"/i/{token}", data=hidden_fields(shown))
    assert organisation_shown(partner) == "Invited Org"


def test_switching_drafts_forgets_what_the_old_one_could_not_save(app, clock):
    consultation = make_consultation()
    partner, _ = open_draft(app, "Mine Ltd")
    _, other = open_draft(app, "Other Ltd")
    why = field(consultation, "Why")
    page = partner.get(f"{BASE}/section/1")
    asked = partner.get(other)
    clock.wait()
    post_form(partner, f"{BASE}/section/1", section_one(consultation, **{why: "Mine"}), page=page)
    assert list(unsaved(partner)) == ["transport-test"]
    fresh = partner.get(other)  # a fresh token: the expired question page is older
    assert partner.post(other, data=hidden_fields(fresh)).status_code == 302
    assert asked.status_code == 200 and unsaved(partner) == {}
    assert "Mine" not in soup(partner.get(f"{BASE}/section/1")).find(id=why).get_text()


def test_email_me_this_link_after_its_token_expired(app, clock):
    """(A mail server is set up, the SMTP stub: without one the button is not offered.)"""
    make_consultation()
    client = app.test_client()
    start_open(client)
    with_email = {**ORGANISATION_ANSWERS, "respondent_email": "jo@example.org"}
    post_form(client, f"{BASE}/organisation", with_email, action="save")
    with SmtpStub() as stub:
        stub.configure(app)
        saved = client.get(f"{BASE}/saved")
        assert soup(saved).find(id="email-link") is not None
        clock.wait()
        posted = client.post(f"{BASE}/saved", data=hidden_fields(saved))
        assert posted.status_code == 302 and posted.headers["Location"].endswith("/saved")
        shown = client.get(posted.headers["Location"])
    assert banner(shown) and soup(shown).find(id="emailed") is None
    assert stub.mailbox.messages == []


# --- staff forms (CSRFProtect; consult/staff/kept_forms.py keeps their typing) -------------


def test_a_staff_form_after_its_token_expired_is_redirected_to_its_page(app, clock):
    from consult.models import User

    admin = signed_in(app, "admin")
    page = admin.get("/staff/users")
    clock.wait()
    typed = {"email": "late@example.org", "role": "viewer", "password": "a long secret phrase"}
    posted = admin.post("/staff/users", data={**hidden_fields(page), **typed})
    assert posted.status_code in (302, 303)  # never a page drawn as the POST's answer
    assert posted.headers["Location"] == "/staff/users"
    assert db.session.scalar(select(User).where(User.email == "late@example.org")) is None
    shown = admin.get("/staff/users")
    assert soup(shown).find("input", attrs={"name": "email"})["value"] == "late@example.org"
    assert "a long secret phrase" not in shown.get_data(as_text=True)
    sessions = db.session.execute(select(BrowserSession.data)).scalars().all()
    assert not any("a long secret phrase" in data for data in sessions)


def test_a_staff_post_only_action_goes_to_the_page_it_was_on_or_home(app, clock):
    admin = signed_in(app, "admin")
    page = admin.get("/staff/")
    clock.wait()
    # Signing out is a POST-only address: without a Referer, the staff home page.
    posted = admin.post("/staff/sign-out", data=hidden_fields(page))
    assert posted.status_code in (302, 303) and posted.headers["Location"] == "/staff/"


def test_staff_sign_in_after_its_token_expired(client, app, clock):
    page = client.get("/staff/sign-in")
    clock.wait()
    posted = client.post(
        "/staff/sign-in", data={**hidden_fields(page), "email": "a@example.org", "password": "x"}
    )
    assert posted.status_code in (302, 303)
    assert posted.headers["Location"].startswith("/staff/sign-in")


def test_staff_sign_in_after_its_token_expired_keeps_the_email_not_the_password(client, app, clock):
    page = client.get("/staff/sign-in")
    clock.wait()
    posted = client.post(
        "/staff/sign-in",
        data={**hidden_fields(page), "email": "kept@example.org", "password": "secret-typed"},
    )
    assert posted.status_code == 303
    for _ in range(2):  # the redirected page, and a reload of it
        again = client.get(posted.headers["Location"])
        html = soup(again)
        assert html.find("input", {"name": "email"})["value"] == "kept@example.org"
        assert not html.find("input", {"name": "password"}).get("value")
        assert "secret-typed" not in again.get_data(as_text=True)
    # Nothing of it is stored but the address (never the password).
    with client.session_transaction() as session:
        assert "secret-typed" not in repr(dict(session))
    # A forged token keeps nothing.
    other = app.test_client()
    refused = other.post(
        "/staff/sign-in",
        data={"csrf_token": "forged", "email": "planted@example.org", "password": "x"},
    )
    assert refused.status_code == 400
    assert "planted@example.org" not in other.get("/staff/sign-in").get_data(as_text=True)


def test_a_staff_form_with_a_forged_token_is_refused(app):
    admin = signed_in(app, "admin")
    refused = admin.post("/staff/users", data={"csrf_token": "forged", "email": "x@example.org"})
    assert refused.status_code == 400
