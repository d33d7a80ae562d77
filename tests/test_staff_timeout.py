"""The timeout warning's two addresses (static/js/timeout-warning.mjs): asking how long is
left is not activity; "Stay signed in" is; a session that has run out stays ended."""

from __future__ import annotations

import time
from unittest import mock

import pytest

from tests.helpers import soup
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def later(seconds: float):
    """time.time() as it will be ``seconds`` from now (for the idle checks)."""
    now = time.time() + seconds
    return mock.patch("consult.staff.permissions.time.time", return_value=now)


def test_asking_is_not_activity_and_staying_is(app):
    app.config.update(STAFF_IDLE_SECONDS=600, STAFF_TIMEOUT_WARNING_SECONDS=120)
    client = signed_in(app, "editor")
    page = soup(client.get("/staff/"))
    dialog = page.find("dialog", id="timeout-warning")
    assert dialog is not None and not dialog.has_attr("open")
    assert 590 <= int(dialog["data-seconds-left"]) <= 600
    assert dialog["data-warn-seconds"] == "120"
    with later(500):
        left = client.get("/staff/session").get_json()
        assert left["signed_in"] and 90 <= left["seconds_left"] <= 100
    with later(550):
        # Still about 50 seconds: asking at 500 did not count as activity.
        assert client.get("/staff/session").get_json()["seconds_left"] <= 50
        kept = post(client, "/staff/session/keep-alive", page_url="/staff/")
        assert kept.get_json() == {"signed_in": True, "seconds_left": 600}
    with later(1000):
        assert client.get("/staff/session").get_json()["seconds_left"] > 0


def test_a_session_run_out_is_ended_and_the_sign_in_page_says_why(app):
    app.config.update(STAFF_IDLE_SECONDS=600)
    client = signed_in(app, "editor")
    token = soup(client.get("/staff/")).find("dialog")["data-csrf-token"]
    with later(700):
        assert client.get("/staff/session").get_json() == {
            "signed_in": False,
            "seconds_left": 0,
        }
        stay = client.post("/staff/session/keep-alive", headers={"X-CSRFToken": token})
        assert stay.get_json()["signed_in"] is False, "Stay signed in brings nothing back"
        ended = client.get("/staff/session/ended?next=/staff/users")
    assert ended.status_code == 302
    assert ended.headers["Location"] == "/staff/sign-in?next=/staff/users"
    sign_in = soup(client.get(ended.headers["Location"]))
    assert "You were signed out because" in sign_in.find(id="flash").get_text()
    assert sign_in.find("dialog", id="timeout-warning") is None
    assert client.get("/staff/").status_code == 302
    assert client.get("/staff/session").get_json()["signed_in"] is False


def test_the_ended_address_ends_nothing_still_going(app):
    client = signed_in(app, "editor")
    kept = client.get("/staff/session/ended?next=/staff/users")
    assert kept.headers["Location"] == "/staff/users"
    assert client.get("/staff/users").status_code in (200, 403)
    outside = client.get("/staff/session/ended?next=//evil.example/")
    assert outside.headers["Location"] == "/staff/"


def test_no_warning_when_turned_off(app):
    app.config.update(STAFF_TIMEOUT_WARNING_SECONDS=0)
    client = signed_in(app, "editor")
    assert soup(client.get("/staff/")).find("dialog") is None


def test_no_warning_for_anyone_signed_out(app, client):
    assert soup(client.get("/staff/sign-in")).find("dialog") is None
    assert client.get("/staff/session").get_json() == {"signed_in": False, "seconds_left": 0}


def test_stay_signed_in_works_on_a_page_older_than_its_csrf_token(app):
    """Review fixr17b #4: "Stay signed in" sent the token from when the page was drawn, so
    once the page was older than WTF_CSRF_TIME_LIMIT (2 hours) the POST was refused and the
    dialog said "You have been signed out" while the session was alive. Asking how long is
    left now hands a fresh token, and a keep-alive with an expired one answers JSON (400)
    saying the session is still going, never a redirect."""
    app.config.update(STAFF_IDLE_SECONDS=3 * 3600, WTF_CSRF_TIME_LIMIT=1)
    client = signed_in(app, "editor")
    old = soup(client.get("/staff/")).find("dialog")["data-csrf-token"]
    time.sleep(2.2)
    refused = client.post("/staff/session/keep-alive", headers={"X-CSRFToken": old})
    assert refused.status_code == 400
    assert refused.get_json() == {"signed_in": True, "csrf": False}
    state = client.get("/staff/session").get_json()
    assert state["signed_in"] and state["csrf_token"] and state["csrf_token"] != old
    kept = client.post("/staff/session/keep-alive", headers={"X-CSRFToken": state["csrf_token"]})
    assert kept.status_code == 200 and kept.get_json()["signed_in"] is True
    # Signed out: no token is handed out.
    client.post("/staff/sign-out", headers={"X-CSRFToken": state["csrf_token"]})
    assert "csrf_token" not in client.get("/staff/session").get_json()
