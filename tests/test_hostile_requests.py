"""Requests an attacker crafts by hand, found probing a real gunicorn server on SQLite and
PostgreSQL after issue 11's fixes: never a 500, never a traceback, nothing forged.

- A JSON body: Flask-WTF reads ``application/json`` as form data, past the edge that strips
  control characters; deep JSON raised ``RecursionError``, a list or a string a
  ``ValueError``, an object as a field's value an ``AttributeError``, and NUL reached
  PostgreSQL. No page of the app takes JSON, so a JSON body is refused with a 415.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import hidden_fields, make_consultation
from tests.staff_helpers import PASSWORD, make_user

pytestmark = pytest.mark.backends("sqlite", "postgresql")

BASE = "/c/transport-test"


@pytest.fixture
def consultation(app):
    return make_consultation()


# --- JSON bodies -----------------------------------------------------------------------------

JSON_BODIES = [
    "[" * 3000 + "]" * 3000,
    '{"a":' * 1000 + "1" + "}" * 1000,
    "[1, 2, 3]",
    '"text"',
    '{"email": {"x": 1}, "password": "y"}',
    '{"email": ["a@example.org"], "password": [1]}',
    '{"email": "a\\u0000@example.org", "password": "xxxxxxxxxxxx"}',
    "not json at all",
]


@pytest.mark.parametrize("body", JSON_BODIES)
def test_a_json_body_on_the_sign_in_page_is_refused(app, body):
    make_user("admin", "json@example.org")
    client = app.test_client()
    token = hidden_fields(client.get("/staff/sign-in"))["csrf_token"]
    done = client.post(
        "/staff/sign-in",
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert done.status_code == 415
    assert "Traceback" not in done.get_data(as_text=True)


@pytest.mark.parametrize("body", JSON_BODIES[:4])
@pytest.mark.parametrize("page", ["", "/organisation", "/section/1", "/check", "/saved"])
def test_a_json_body_on_a_survey_page_is_refused(client, consultation, body, page):
    token = hidden_fields(client.get(BASE))["csrf_token"]
    client.post(BASE, data={"csrf_token": token})
    done = client.post(
        BASE + page,
        data=body,
        content_type="application/json; charset=utf-8",
        headers={"X-CSRFToken": token},
    )
    assert done.status_code == 415
    assert "What you sent cannot be read" in done.get_data(as_text=True)


def test_a_json_body_never_signs_in(app):
    """Even a well-formed JSON sign-in with the right password is refused: forms are
    forms."""
    user = make_user("admin", "json-ok@example.org")
    client = app.test_client()
    token = hidden_fields(client.get("/staff/sign-in"))["csrf_token"]
    body = json.dumps({"email": user.email, "password": PASSWORD, "csrf_token": token})
    done = client.post("/staff/sign-in", data=body, content_type="application/json")
    assert done.status_code == 415
    assert client.get("/staff/").status_code == 302  # still signed out


# --- a multipart part without a name ---------------------------------------------------------

NAMELESS = (
    b"--x\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n"
    b'--x\r\nContent-Disposition: form-data; filename="a.csv"\r\n\r\nname,email\r\n'
    b"--x--\r\n"
)


@pytest.mark.parametrize(
    "path", ["/staff/sign-in", "/staff/organisations/upload", BASE, f"{BASE}/saved"]
)
def test_a_nameless_multipart_part_is_ignored(client, consultation, path):
    """Werkzeug gives a part with no ``name`` the key None; Flask-WTF's CSRF check then
    raised ``AttributeError`` on every staff POST, signed in or not."""
    done = client.post(path, data=NAMELESS, content_type="multipart/form-data; boundary=x")
    assert done.status_code in (200, 302, 400, 403)


def test_a_nameless_part_beside_a_real_form_signs_in(app):
    user = make_user("admin", "nameless@example.org")
    client = app.test_client()
    token = hidden_fields(client.get("/staff/sign-in"))["csrf_token"]
    fields = {"csrf_token": token, "email": user.email, "password": PASSWORD}
    body = b"".join(
        b'--x\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (name.encode(), value.encode())
        for name, value in fields.items()
    )
    body += b"--x\r\nContent-Disposition: form-data\r\n\r\nstray\r\n--x--\r\n"
    done = client.post("/staff/sign-in", data=body, content_type="multipart/form-data; boundary=x")
    assert done.status_code == 302
    assert client.get("/staff/").status_code == 200
