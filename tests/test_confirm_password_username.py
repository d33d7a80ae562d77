"""Confirm your password works with a password manager (WCAG 2.2 3.3.8, smoke26p finding 6):
the page had one password field and no username, so a manager holding several accounts for
the site could not tell which password to fill. It now carries the signed-in user's email as
the username (``autocomplete="username"``, hidden, shown as "Signed in as"), which the
server never reads: the password is checked for the signed-in user whatever is posted."""

from __future__ import annotations

import pytest

from tests.helpers import hidden_fields, soup
from tests.staff_helpers import PASSWORD, make_user, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

URL = "/staff/confirm-password?next=/staff/"


def test_the_form_names_the_account_for_password_managers(app):
    client = signed_in(app, "analyst", "ana@example.org")
    form = soup(client.get(URL)).select_one("main form")
    username = form.find("input", attrs={"autocomplete": "username"})
    assert username is not None and username["value"] == "ana@example.org"
    # Not on view (the page says "Signed in as" instead) and never a tab stop.
    assert username.find_parent(class_="govuk-form-group").has_attr("hidden")
    password = form.find("input", attrs={"type": "password"})
    assert password["autocomplete"] == "current-password"
    # The username comes before the password, as password managers expect.
    inputs = [i for i in form.find_all("input") if i.get("type") != "hidden"]
    assert inputs.index(username) < inputs.index(password)
    said = " ".join(soup(client.get(URL)).find("main").get_text(" ").split())
    assert "Signed in as ana@example.org" in said


def test_a_posted_username_is_ignored(app):
    other = make_user("admin", "boss@example.org")
    assert other.email == "boss@example.org"
    client = signed_in(app, "analyst", "ana@example.org")
    page = client.get(URL)
    # Someone else's email with the signed-in user's password: confirmed as themselves.
    done = client.post(
        URL, data={**hidden_fields(page), "username": "boss@example.org", "password": PASSWORD}
    )
    assert done.status_code in (302, 303) and done.headers["Location"].endswith("/staff/")
    users = soup(client.get("/staff/users"))
    assert client.get("/staff/users").status_code == 403 or "Add a user" not in users.get_text()
