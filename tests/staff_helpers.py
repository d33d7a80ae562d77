"""Helpers for staff tests: users signed in through the real sign-in form."""

from __future__ import annotations

import functools
from unittest import mock

from werkzeug.security import generate_password_hash

from consult.extensions import db
from consult.staff import accounts
from consult.staff.accounts import create_user, hash_password
from tests.helpers import hidden_fields

PASSWORD = "correct horse battery staple"
# The test accounts' scrypt work factor. The app's own (hash_password: Werkzeug's default,
# N = 32768, 32 MB) makes every check of the password take 0.1-0.2 s, and the suite signs
# in hundreds of times; a check reads its parameters from the stored hash, so the real
# sign-in form and check_password run as ever, only cheaper (about 5 ms). Accounts made
# through the app (invitations, ``flask users create``, the demo admin) keep the real factor.
TEST_SCRYPT = "scrypt:1024:8:1"


@functools.cache
def password_hash() -> str:
    """``PASSWORD``'s scrypt hash at :data:`TEST_SCRYPT`, made once per session."""
    return generate_password_hash(PASSWORD, method=TEST_SCRYPT)


def _hash_once(password: str) -> str:
    return password_hash() if password == PASSWORD else hash_password(password)


def make_user(role: str, email: str | None = None):
    """A new active user with ``PASSWORD``, made by the app's own ``create_user`` (its checks
    included) with the session's one hash of that password."""
    with mock.patch.object(accounts, "hash_password", _hash_once):
        user = create_user(email or f"{role}@example.org", role, PASSWORD)
    db.session.commit()
    return user


def signed_in(app, role: str, email: str | None = None):
    """A test client signed in as a new user with this role."""
    user = make_user(role, email)
    client = app.test_client()
    page = client.get("/staff/sign-in")
    done = client.post(
        "/staff/sign-in", data={**hidden_fields(page), "email": user.email, "password": PASSWORD}
    )
    assert done.status_code == 302, done.get_data(as_text=True)
    return client


def post(client, url: str, data: dict | None = None, page_url: str | None = None, **kwargs):
    """POST with the CSRF token from a page (the form's own page by default)."""
    page = client.get(page_url or url)
    fields = hidden_fields(page) if page.status_code == 200 else {}
    return client.post(url, data={**fields, **(data or {})}, **kwargs)
