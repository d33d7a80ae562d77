"""Password guessing: the throttle holds under concurrent requests to a real server, is kept
per account and address (so nobody can lock staff out from elsewhere), and covers the
"enter your password again" page too. On SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
import requests
from sqlalchemy import func, select
from werkzeug.serving import make_server

from consult.extensions import db
from consult.models import AuditEvent, SignInAttempt
from tests.helpers import hidden_fields, make_consultation
from tests.staff_helpers import PASSWORD, make_user, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _port_in_range() -> int:
    """A free port from CONSULT_TEST_PORTS (``first-last``; default 5140-5149)."""
    first, last = (int(p) for p in os.environ.get("CONSULT_TEST_PORTS", "5140-5149").split("-"))
    for port in range(first, last + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip(f"no free port in {first}-{last}")


@contextmanager
def serving(app):
    """The app on a real threaded HTTP server on 127.0.0.1."""
    server = make_server("127.0.0.1", _port_in_range(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _checks(email: str) -> int:
    """Password checks made for this account (each reserves an attempt row first)."""
    db.session.rollback()
    return db.session.scalar(
        select(func.count(SignInAttempt.id)).where(SignInAttempt.email == email)
    )


def _form(html: str) -> dict[str, str]:
    class Page:
        def get_data(self, as_text=True):
            return html

    return hidden_fields(Page())


def test_thirty_parallel_guesses_get_five_checks(app):
    """Regression: 30 wrong passwords sent at once got 19 real checks instead of 5."""
    app.config["RATELIMIT_SIGN_IN"] = "1000 per minute"  # the database throttle alone
    email = make_user("editor").email
    with serving(app) as base:
        browser = requests.Session()
        fields = _form(browser.get(f"{base}/staff/sign-in").text)
        barrier = threading.Barrier(30)

        def guess(number: int) -> int:
            barrier.wait()
            answer = browser.post(
                f"{base}/staff/sign-in",
                data={**fields, "email": email, "password": f"wrong guess {number}"},
                allow_redirects=False,
            )
            return answer.status_code

        with ThreadPoolExecutor(30) as pool:
            statuses = list(pool.map(guess, range(30)))
    assert statuses.count(200) == 5 and statuses.count(429) == 25, statuses
    assert _checks(email) == 5
    failed = db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "sign_in_failed")
    )
    assert failed == 5


def _sign_in(app, address: str, email: str, password: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    page = client.get("/staff/sign-in")
    return client.post(
        "/staff/sign-in", data={**hidden_fields(page), "email": email, "password": password}
    )


def test_guesses_from_elsewhere_do_not_lock_staff_out(app):
    """Regression: five wrong passwords from anywhere locked the account for everyone."""
    user = make_user("admin")
    for _ in range(6):
        _sign_in(app, "203.0.113.9", user.email, "attacker guess")
    assert _sign_in(app, "203.0.113.9", user.email, PASSWORD).status_code == 429
    mine = _sign_in(app, "198.51.100.7", user.email, PASSWORD)
    assert mine.status_code == 302 and mine.headers["Location"] == "/staff/"


def test_per_account_ceiling_across_addresses(app):
    app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"] = 8
    user = make_user("viewer")
    for number in range(4):
        for _ in range(2):
            _sign_in(app, f"203.0.113.{number}", user.email, "spread out guesses")
    blocked = _sign_in(app, "198.51.100.7", user.email, PASSWORD)
    assert blocked.status_code == 429 and 800 < int(blocked.headers["Retry-After"]) <= 900
    assert "Too many attempts" in blocked.get_data(as_text=True)
    assert _checks(user.email) == 8  # the throttled attempt was never checked


def test_confirm_password_is_throttled_and_signs_out(app):
    """Regression: 30 wrong passwords on /staff/confirm-password, then the right one, were
    accepted."""
    make_consultation()
    client = signed_in(app, "admin")
    url = "/staff/confirm-password?next=/staff/"
    answers = []
    for _ in range(30):
        page = client.get(url)
        if page.status_code != 200:
            break
        answer = client.post(url, data={**hidden_fields(page), "password": "not it at all"})
        answers.append(answer.status_code)
    assert answers[:5] == [200] * 5 and len(answers) == 6
    assert answers[5] == 303  # signed out
    assert client.get("/staff/").status_code == 302
    right = client.get(url)
    assert right.status_code == 302 and "/staff/sign-in" in right.headers["Location"]
    again = _sign_in(app, "127.0.0.1", "admin@example.org", PASSWORD)
    assert again.status_code == 429
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("reauthentication_failed") == 5
    assert "reauthentication_throttled" in actions


def test_an_over_long_email_is_just_a_wrong_sign_in(app):
    answer = _sign_in(app, "127.0.0.1", "a" * 400 + "@example.org", "whatever it is")
    assert answer.status_code == 200
    assert "not right" in answer.get_data(as_text=True)
