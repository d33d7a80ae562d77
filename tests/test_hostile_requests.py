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
    assert done.status_code in (200, 302, 303, 400, 403)


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


# --- two members of staff doing the same thing at once ---------------------------------------


def test_a_slug_taken_between_the_check_and_the_save_is_a_409(app, consultation, monkeypatch):
    """The page checks the web address name is free, but another editor's save can land in
    between (found with 12 simultaneous saves on gunicorn: 6 gave a 500 from the unique
    index). The change is rolled back whole and the page says why."""
    from sqlalchemy import func, select

    from consult.extensions import db
    from consult.models import AuditEvent, Consultation
    from consult.staff import builder
    from tests.staff_helpers import post, signed_in

    staff = signed_in(app, "admin")
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    monkeypatch.setattr(builder, "_slug_taken", lambda slug, consultation_id: False)
    page = post(
        staff,
        "/staff/consultations/new",
        {"title": "Another", "slug": consultation.slug, "minutes_to_complete": "10"},
    )
    assert page.status_code == 409
    text = page.get_data(as_text=True)
    assert "Someone else changed this at the same time" in text and "Traceback" not in text
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Consultation.id))) == 1
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events


def test_simultaneous_staff_changes_on_gunicorn_are_never_500s(database_url, tmp_path, backend):
    """Eight editors add a section to one consultation, then create one web address name,
    at the same moment, through gunicorn (two processes, four threads each): each gets its
    change or a 409 page, never a 500; nothing is half written."""
    import threading

    from sqlalchemy import func, select

    from consult import create_app
    from consult.extensions import db
    from consult.models import Consultation, Section
    from tests.reports_helpers import worker_environment
    from tests.test_gunicorn import gunicorn_process, signed_in_browser

    instance = tmp_path / "instance"
    app = create_app({"TESTING": True, "DATABASE_URL": database_url})
    with app.app_context():
        consultation_id = make_consultation().id
        emails = [make_user("editor", f"editor{i}@example.org").email for i in range(8)]
        db.session.remove()
        db.engine.dispose()
    env = worker_environment(database_url, instance, LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log", workers=2) as (base, log_path):
        browsers = []
        for email in emails:
            browser = signed_in_browser(base, email)
            browsers.append(browser)

        def at_once(path: str, data) -> list[int]:
            pages = [browser.request(path) for browser in browsers]
            forms = [form_values(page.text) for page in pages]
            barrier, statuses = threading.Barrier(len(browsers)), []

            def send(index: int) -> None:
                barrier.wait()
                reply = browsers[index].request(path, {**forms[index], **data(index)})
                statuses.append(reply.status)
                assert "Traceback" not in reply.text

            threads = [threading.Thread(target=send, args=(i,)) for i in range(len(browsers))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return statuses

        sections = at_once(
            f"/staff/consultations/{consultation_id}/sections/new",
            lambda i: {"title": f"Section by editor {i}", "intro": ""},
        )
        slugs = at_once(
            "/staff/consultations/new",
            lambda i: {"title": f"Race {i}", "slug": "race-2027", "minutes_to_complete": "10"},
        )
        log = log_path.read_text()
    assert set(sections) <= {302, 409} and 302 in sections, sections
    assert set(slugs) <= {200, 302, 409} and slugs.count(302) == 1, slugs
    assert "Traceback" not in log
    with app.app_context():
        added = db.session.scalars(
            select(Section).where(Section.title.like("Section by editor %"))
        ).all()
        assert len(added) == sections.count(302)
        raced = select(func.count(Consultation.id)).where(Consultation.slug == "race-2027")
        assert db.session.scalar(raced) == 1
        db.session.remove()
        db.engine.dispose()


def form_values(html: str) -> dict[str, str]:
    """What the page's main form would send untouched: hidden and typed inputs, checked
    boxes, text areas and chosen options."""
    from bs4 import BeautifulSoup

    form = BeautifulSoup(html, "html.parser").find_all("form", method="post")[-1]
    values = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name, kind = field.get("name"), field.get("type", "")
        if not name or (kind in ("checkbox", "radio") and not field.has_attr("checked")):
            continue
        if field.name == "textarea":
            values[name] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            values[name] = chosen.get("value", "") if chosen else ""
        else:
            values[name] = field.get("value", "")
    return values
