"""A staff form posted after the idle sign-out is not lost: what was typed is kept on the
server for that browser and that person, and after signing in again they are back on the
form with it filled in and a notice to check it and send it again (nothing is sent for
them). Never the CSRF token, a password or another person's typing; bounded; it expires.

With the app and its real database, and once through a real gunicorn server with a real
idle timeout (cookies and redirects over HTTP)."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from sqlalchemy import func, select

from consult import create_app
from consult.extensions import db
from consult.models import BrowserSession, Organisation, User
from consult.staff import kept_forms
from tests.helpers import hidden_fields, soup
from tests.reports_helpers import worker_environment
from tests.staff_helpers import PASSWORD, make_user
from tests.test_gunicorn import gunicorn_process, signed_in_browser

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]

TYPED = {
    "name": "Walsall Community Transport Trust",
    "partner_type": "vcse",
    "area": "walsall",
    "size_band": "",
    "contact_email": "hello@wctt.example",
}


class Person:
    """A member of staff's id and email, read while the row is at hand."""

    def __init__(self, role: str, email: str | None = None) -> None:
        user = make_user(role, email)
        self.id, self.email = user.id, user.email


def sign_in(client, email: str, next_url: str | None = None):
    page = client.get("/staff/sign-in")
    url = "/staff/sign-in" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={**hidden_fields(page), "email": email, "password": PASSWORD})


def idle(app, client) -> None:
    """Make the session look idle for longer than STAFF_IDLE_SECONDS."""
    with client.session_transaction() as session:
        session["staff_seen"] = time.time() - app.config["STAFF_IDLE_SECONDS"] - 1


def kept_records() -> list[dict]:
    db.session.remove()
    rows = db.session.scalars(select(BrowserSession.data)).all()
    return [json.loads(r)[kept_forms.SESSION_KEY] for r in rows if kept_forms.SESSION_KEY in r]


def post_after_idle(app, client, url: str, data: dict):
    page = client.get(url)
    assert page.status_code == 200
    idle(app, client)
    return client.post(url, data={**hidden_fields(page), **data})


def organisations() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count(Organisation.id)))


def test_typing_survives_the_idle_sign_out_and_is_put_back_not_sent(app):
    editor = Person("editor")
    client = app.test_client()
    assert sign_in(client, editor.email).status_code == 302
    posted = post_after_idle(app, client, "/staff/organisations/new", TYPED)
    assert posted.status_code == 302
    assert posted.headers["Location"].startswith("/staff/sign-in?next=/staff/organisations/new")
    assert organisations() == 0
    sign_in_page = client.get(posted.headers["Location"])
    assert kept_forms.SIGNED_OUT in sign_in_page.get_data(as_text=True)

    # Kept on the server, without the CSRF token.
    (record,) = kept_records()
    assert record["user_id"] == editor.id and record["page"] == "/staff/organisations/new"
    assert dict(record["fields"]) == TYPED

    back = sign_in(client, editor.email, "/staff/organisations/new")
    assert back.status_code == 302 and back.headers["Location"] == "/staff/organisations/new"
    form_page = client.get("/staff/organisations/new")
    page = soup(form_page)
    assert kept_forms.PUT_BACK in page.get_text(" ")
    assert page.find("input", attrs={"name": "name"})["value"] == TYPED["name"]
    assert page.find("input", attrs={"name": "contact_email"})["value"] == TYPED["contact_email"]
    chosen = page.find("select", attrs={"name": "area"}).find("option", selected=True)
    assert chosen["value"] == "walsall"
    assert organisations() == 0  # nothing was sent for them
    assert kept_records() == []  # put back once, then forgotten

    # Sending it again (the form's own fresh CSRF token) adds it.
    sent = client.post("/staff/organisations/new", data={**hidden_fields(form_page), **TYPED})
    assert sent.status_code == 302 and organisations() == 1
    again = soup(client.get("/staff/organisations/new"))
    assert not again.find("input", attrs={"name": "name"}).get("value")


def test_another_person_signing_in_on_that_browser_never_sees_it(app):
    first = Person("editor", "first@example.org")
    other = Person("editor", "other@example.org")
    client = app.test_client()
    sign_in(client, first.email)
    post_after_idle(app, client, "/staff/organisations/new", TYPED)
    assert len(kept_records()) == 1
    landed = sign_in(client, other.email, "/staff/organisations/new")
    assert landed.status_code == 302
    page = client.get("/staff/organisations/new").get_data(as_text=True)
    assert TYPED["name"] not in page and kept_forms.PUT_BACK not in page
    assert kept_records() == []  # dropped, not waiting for the first person
    client.post("/staff/sign-out", data=hidden_fields(client.get("/staff/")))
    sign_in(client, first.email)
    assert TYPED["name"] not in client.get("/staff/organisations/new").get_data(as_text=True)


def test_passwords_are_never_kept(app):
    admin = Person("admin")
    client = app.test_client()
    sign_in(client, admin.email)
    secret = "a brand new password for bo"
    post_after_idle(
        app,
        client,
        "/staff/users",
        {"email": "bo@example.org", "name": "Bo", "role": "analyst", "password": secret},
    )
    (record,) = kept_records()
    assert dict(record["fields"]) == {"email": "bo@example.org", "name": "Bo", "role": "analyst"}
    db.session.remove()
    assert not any(secret in row for row in db.session.scalars(select(BrowserSession.data)))
    sign_in(client, admin.email)
    page = soup(client.get("/staff/users"))
    assert page.find("input", attrs={"name": "email"})["value"] == "bo@example.org"
    assert not page.find("input", attrs={"name": "password"}).get("value")
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_kept_typing_expires(app):
    editor = Person("editor")
    client = app.test_client()
    sign_in(client, editor.email)
    post_after_idle(app, client, "/staff/organisations/new", TYPED)
    with client.session_transaction() as session:
        record = dict(session[kept_forms.SESSION_KEY])
        record["at"] -= app.config["STAFF_KEPT_FORM_SECONDS"] + 1
        session[kept_forms.SESSION_KEY] = record
    client.get("/staff/sign-in")  # the sign-in page forgets it
    assert kept_records() == []
    sign_in(client, editor.email)
    page = client.get("/staff/organisations/new").get_data(as_text=True)
    assert TYPED["name"] not in page and kept_forms.PUT_BACK not in page


def test_only_this_sessions_own_form_within_the_limits_is_kept(app):
    editor = Person("editor")
    client = app.test_client()
    sign_in(client, editor.email)
    # A post without this session's CSRF token (another site's form) keeps nothing.
    client.get("/staff/organisations/new")
    idle(app, client)
    forged = client.post("/staff/organisations/new", data={**TYPED, "csrf_token": "forged"})
    assert forged.status_code == 400 and kept_records() == []
    # Nor does one over the size limit.
    sign_in(client, editor.email)
    huge = {**TYPED, "name": "x" * (kept_forms.MAX_CHARACTERS + 1)}
    too_big = post_after_idle(app, client, "/staff/organisations/new", huge)
    assert too_big.status_code == 302 and kept_records() == []
    assert "Sign in to continue." in client.get(too_big.headers["Location"]).get_data(as_text=True)


def test_a_post_only_action_after_the_idle_sign_out_comes_back_to_its_page(app):
    editor = Person("editor")
    organisation = Organisation(name="Acme", partner_type="business", area="coventry")
    db.session.add(organisation)
    db.session.commit()
    organisation_id = organisation.id
    client = app.test_client()
    sign_in(client, editor.email)
    listing = "/staff/organisations?q=Acme"
    page = client.get(listing)
    idle(app, client)
    posted = client.post(
        f"/staff/organisations/{organisation_id}/bounced",
        data={**hidden_fields(page), "bounced": "yes", "back": listing},
        headers={"Referer": f"http://localhost{listing}"},
    )
    assert posted.status_code == 302 and kept_records() == []
    db.session.remove()
    assert db.session.get(Organisation, organisation_id).bounced is False  # nothing done
    back = sign_in(client, editor.email, posted.headers["Location"].split("next=", 1)[1])
    assert back.headers["Location"] == listing  # the page it was sent from, not a 405
    assert client.get(listing).status_code == 200


def test_a_page_open_longer_than_its_token_keeps_the_typing(app):
    editor = Person("editor")
    client = app.test_client()
    sign_in(client, editor.email)
    app.config["WTF_CSRF_TIME_LIMIT"] = 1
    page = client.get("/staff/organisations/new")
    time.sleep(2)
    # Still signed in (the session is fresh): straight back to the form, filled in.
    refused = client.post("/staff/organisations/new", data={**hidden_fields(page), **TYPED})
    assert refused.status_code == 302
    assert refused.headers["Location"] == "/staff/organisations/new"
    shown = soup(client.get("/staff/organisations/new"))
    assert kept_forms.OPEN_TOO_LONG in shown.get_text(" ")
    assert shown.find("input", attrs={"name": "name"})["value"] == TYPED["name"]
    assert organisations() == 0
    # Idle as well: by way of the sign-in page.
    page = client.get("/staff/organisations/new")
    time.sleep(2)
    idle(app, client)
    refused = client.post("/staff/organisations/new", data={**hidden_fields(page), **TYPED})
    assert "/staff/sign-in?next=/staff/organisations/new" in refused.headers["Location"]
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    sign_in(client, editor.email)
    shown = soup(client.get("/staff/organisations/new"))
    assert shown.find("input", attrs={"name": "name"})["value"] == TYPED["name"]


def test_a_changed_form_comes_back_with_the_typing_not_the_stored_values(app):
    editor = Person("editor")
    organisation = Organisation(
        name="Acme", partner_type="business", area="coventry", size_band="large"
    )
    db.session.add(organisation)
    db.session.commit()
    organisation_id = organisation.id
    client = app.test_client()
    sign_in(client, editor.email)
    url = f"/staff/organisations/{organisation_id}/edit"
    post_after_idle(app, client, url, {**TYPED, "partner_type": "business", "size_band": "micro"})
    sign_in(client, editor.email)
    page = soup(client.get(url))
    assert page.find("input", attrs={"name": "name"})["value"] == TYPED["name"]
    chosen = page.find("select", attrs={"name": "size_band"}).find("option", selected=True)
    assert chosen["value"] == "micro"
    db.session.remove()
    assert db.session.get(Organisation, organisation_id).name == "Acme"


def test_through_gunicorn_with_a_real_idle_timeout(database_url, tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(instance))
    app = create_app({"TESTING": True, "DATABASE_URL": database_url})
    with app.app_context():
        email = Person("editor", f"{uuid.uuid4().hex[:8]}@example.org").email
        db.session.remove()
        db.engine.dispose()
    env = worker_environment(database_url, instance, STAFF_IDLE_SECONDS=2, RATELIMIT_ENABLED=0)
    with gunicorn_process(env, tmp_path / "gunicorn.log", workers=2) as (base, _log):
        browser = signed_in_browser(base, email)
        form_page = browser.request("/staff/organisations/new")
        assert form_page.status == 200
        fields = {
            i["name"]: i.get("value", "")
            for i in form_page.soup().find("form", method="post").find_all("input", type="hidden")
        }
        time.sleep(3)  # longer than STAFF_IDLE_SECONDS
        posted = browser.request("/staff/organisations/new", {**fields, **TYPED})
        assert posted.status == 302
        to_sign_in = posted.headers["Location"]
        assert "/staff/sign-in?next=" in to_sign_in
        path = to_sign_in.split(base, 1)[-1]
        notice = browser.request(path)
        assert kept_forms.SIGNED_OUT in notice.soup().get_text(" ")
        again = browser.form(path, {"email": email, "password": PASSWORD})
        assert again.status == 302
        assert again.headers["Location"].endswith("/staff/organisations/new")
        back = browser.request("/staff/organisations/new").soup()
        assert kept_forms.PUT_BACK in back.get_text(" ")
        assert back.find("input", attrs={"name": "name"})["value"] == TYPED["name"]
    with app.app_context():
        assert organisations() == 0
        db.session.remove()
        db.engine.dispose()


def test_in_chromium_the_typing_comes_back_after_signing_in(database_url, tmp_path, monkeypatch):
    """A real browser: type, wait past the idle limit, send, sign in again, see it back."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from tests.test_browser import click_button, make_driver

    instance = tmp_path / "instance"
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(instance))
    app = create_app({"TESTING": True, "DATABASE_URL": database_url})
    with app.app_context():
        email = make_user("editor", f"{uuid.uuid4().hex[:8]}@example.org").email
        db.session.remove()
        db.engine.dispose()
    # No timeout warning (tests/test_browser_timeout_warning.py): 3 seconds leave no time to warn.
    env = worker_environment(
        database_url,
        instance,
        STAFF_IDLE_SECONDS=3,
        STAFF_TIMEOUT_WARNING_SECONDS=0,
        RATELIMIT_ENABLED=0,
    )
    with gunicorn_process(env, tmp_path / "gunicorn.log", workers=2) as (base, _log):
        driver = make_driver(tmp_path / "profile")
        try:

            def sign_in_here() -> None:
                driver.find_element(By.ID, "email").send_keys(email)
                driver.find_element(By.ID, "password").send_keys(PASSWORD)
                click_button(driver, "Sign in")

            driver.get(base + "/staff/sign-in")
            sign_in_here()
            driver.get(base + "/staff/organisations/new")
            driver.find_element(By.ID, "name").send_keys(TYPED["name"])
            driver.find_element(By.ID, "contact_email").send_keys(TYPED["contact_email"])
            Select(driver.find_element(By.ID, "partner_type")).select_by_value("vcse")
            Select(driver.find_element(By.ID, "area")).select_by_value("walsall")
            time.sleep(4)  # longer than STAFF_IDLE_SECONDS
            click_button(driver, "Add organisation")
            assert "/staff/sign-in" in driver.current_url
            assert kept_forms.SIGNED_OUT in driver.find_element(By.TAG_NAME, "main").text
            sign_in_here()
            assert driver.current_url == base + "/staff/organisations/new"
            assert kept_forms.PUT_BACK in driver.find_element(By.TAG_NAME, "body").text
            name = driver.find_element(By.ID, "name").get_attribute("value")
            assert name == TYPED["name"]
            address = driver.find_element(By.ID, "contact_email").get_attribute("value")
            assert address == TYPED["contact_email"]
            click_button(driver, "Add organisation")  # sent again by the person, once
            assert "/staff/organisations" in driver.current_url
        finally:
            driver.quit()
    with app.app_context():
        assert organisations() == 1
        db.session.remove()
        db.engine.dispose()
