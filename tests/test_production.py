"""Production settings through the app: hosts, proxies, HTTPS, caching, health, logs, and the
database unavailable or locked (a 503 page, nothing half written).

A real gunicorn process serving each kind of response is in ``tests/test_gunicorn.py``.
"""

from __future__ import annotations

import io
import json
import logging
import sqlite3
import time

import pytest
from sqlalchemy import func, select, text

from consult import create_app
from consult.extensions import db
from consult.logs import configure_logging
from consult.models import Answer, Response
from tests.helpers import make_consultation, post_form, section_two, soup
from tests.staff_helpers import signed_in
from tests.test_journey import BASE, answer_everything

LONG_LABEL = "a" * 64
# Nothing listens here (the last port of this project's test range): a database that is down.
CLOSED_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5119/consult"
CLOSED_REDIS = "redis://127.0.0.1:5119/0"


def make_app(database_url: str, tmp_path, monkeypatch, **config):
    """A separate app on the test's database with these settings."""
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app({"TESTING": True, "DATABASE_URL": database_url, **config})


def assert_plain_page(response, status: int, heading: str) -> None:
    """A GOV.UK-styled error page with this status and heading, and no traceback."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    page = soup(response)
    assert page.find("h1").get_text(strip=True) == heading
    assert page.find("link", rel="stylesheet")["href"].startswith("/static/")
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.fixture
def log_stream(app):
    """The ``consult`` loggers written to a string, as ``configure_logging`` sets them up in
    production; the loggers are put back afterwards."""
    logger = logging.getLogger("consult")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    stream = io.StringIO()

    def configure(log_format: str) -> io.StringIO:
        app.config["LOG_FORMAT"] = log_format
        configure_logging(app, stream)
        return stream

    yield configure
    logger.handlers[:] = saved[0]
    logger.setLevel(saved[1])
    logger.propagate = saved[2]


# --- Host headers --------------------------------------------------------------------------


@pytest.fixture
def hosted_app(database_url, tmp_path, monkeypatch):
    """An app with no SERVER_NAME, as in production: the Host header names the site."""
    app = make_app(database_url, tmp_path, monkeypatch)
    with app.app_context():
        make_consultation()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.mark.backends("sqlite", "postgresql")
@pytest.mark.parametrize("path", ["/", "/c/transport-test", "/staff/sign-in", "/healthz", "/x"])
def test_host_with_a_64_character_label_is_a_400_page_not_a_500(hosted_app, path):
    # Regression: werkzeug refuses the host (IDNA labels are at most 63 characters), so the
    # request has no URL adapter, and the error page's url_for() raised: a 500 on every URL.
    client = hosted_app.test_client()
    for host in (f"{LONG_LABEL}.example.org", LONG_LABEL, f"www.{'b' * 300}.example"):
        response = client.get(path, headers={"Host": host})
        assert_plain_page(response, 400, "Sorry, there is a problem with that request")


def test_a_63_character_label_is_still_served(hosted_app):
    response = hosted_app.test_client().get(BASE, headers={"Host": f"{'a' * 63}.example.org"})
    assert response.status_code == 200


def test_trusted_hosts_refuse_other_hosts_with_a_page(database_url, tmp_path, monkeypatch):
    app = make_app(
        database_url, tmp_path, monkeypatch, TRUSTED_HOSTS="consult.example.org, .wmca.example"
    )
    assert app.config["TRUSTED_HOSTS"] == ["consult.example.org", ".wmca.example"]
    client = app.test_client()
    assert client.get("/", headers={"Host": "consult.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "staff.wmca.example"}).status_code == 200
    for host in ("evil.example", f"{LONG_LABEL}.wmca.example"):
        refused = client.get("/", headers={"Host": host})
        assert_plain_page(refused, 400, "Sorry, there is a problem with that request")


def test_trusted_hosts_from_the_environment(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_TRUSTED_HOSTS", "consult.example.org")
    app = make_app(database_url, tmp_path, monkeypatch)
    client = app.test_client()
    assert client.get("/", headers={"Host": "consult.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 400


# --- Proxies ---------------------------------------------------------------------------------


def logged_requests(stream: io.StringIO) -> list[dict]:
    return [
        line
        for line in map(json.loads, stream.getvalue().splitlines())
        if line["logger"] == "consult.requests"
    ]


@pytest.mark.parametrize(("proxies", "seen"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_forwarded_address_is_believed_only_behind_a_configured_proxy(
    database_url, tmp_path, monkeypatch, proxies, seen
):
    app = make_app(database_url, tmp_path, monkeypatch, PROXY_COUNT=proxies)
    logger = logging.getLogger("consult")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    stream = io.StringIO()
    app.config["LOG_FORMAT"] = "json"
    configure_logging(app, stream)
    try:
        app.test_client().get(
            "/",
            headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
    finally:
        logger.handlers[:] = saved[0]
        logger.setLevel(saved[1])
        logger.propagate = saved[2]
    (line,) = logged_requests(stream)
    assert line["remote_addr"] == seen


def test_a_forwarded_host_is_checked_against_trusted_hosts(database_url, tmp_path, monkeypatch):
    app = make_app(
        database_url, tmp_path, monkeypatch, PROXY_COUNT=1, TRUSTED_HOSTS="consult.example.org"
    )
    client = app.test_client()
    good = {"Host": "10.0.0.5", "X-Forwarded-Host": "consult.example.org"}
    assert client.get("/", headers=good).status_code == 200
    bad = {"Host": "consult.example.org", "X-Forwarded-Host": "evil.example"}
    assert client.get("/", headers=bad).status_code == 400


def test_proxy_count_must_be_a_number(database_url, tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="PROXY_COUNT must be a whole number"):
        make_app(database_url, tmp_path, monkeypatch, PROXY_COUNT="two")


# --- HTTPS, cookies and caching ----------------------------------------------------------------


def test_https_makes_cookies_secure_and_sends_hsts(database_url, tmp_path, monkeypatch):
    app = make_app(database_url, tmp_path, monkeypatch, HTTPS=True)
    with app.app_context():
        make_consultation()
    client = app.test_client()
    page = client.get(BASE, base_url="https://localhost")
    started = client.post(BASE, data=_hidden(page), base_url="https://localhost")
    assert started.status_code == 302
    cookie = started.headers["Set-Cookie"]
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_without_https_no_hsts_and_cookies_are_still_httponly(client, app):
    make_consultation()
    page = client.get(BASE)
    started = client.post(BASE, data=_hidden(page))
    assert "Strict-Transport-Security" not in page.headers
    cookie = started.headers["Set-Cookie"]
    assert "; HttpOnly" in cookie and "SameSite=Lax" in cookie and "; Secure" not in cookie


def _hidden(page) -> dict[str, str]:
    form = soup(page).find("form", method="post")
    return {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}


@pytest.mark.backends("sqlite", "postgresql")
def test_no_store_on_everything_with_personal_data_and_no_server_header(client, app):
    consultation = make_consultation()
    answer_everything(client, consultation)
    staff = signed_in(app, "admin")
    urls = [
        (client, f"{BASE}/section/1"),  # a survey page showing answers
        (client, f"{BASE}/check"),
        (staff, "/staff/"),
        (staff, f"/staff/consultations/{consultation.id}/responses"),
        (staff, f"/staff/consultations/{consultation.id}/export.csv"),
        (staff, f"/staff/consultations/{consultation.id}/export.xlsx"),
        (client, "/no-such-page"),
    ]
    for who, url in urls:
        response = who.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        assert response.headers["Cache-Control"] == "no-store", url
        assert "Server" not in response.headers, url
        response.close()
    static = client.get("/static/css/consult.css")
    assert static.headers.get("Cache-Control") != "no-store"
    static.close()


# --- Health ----------------------------------------------------------------------------------


@pytest.mark.backends("sqlite", "postgresql")
def test_health_reports_the_database_and_the_queue(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "queue": "ok",
        "pending_jobs": 0,
        "worker_running": False,
    }
    assert client.get("/health").json["status"] == "ok"


def test_health_is_503_naming_a_database_that_is_down(tmp_path, monkeypatch):
    app = make_app(CLOSED_POSTGRES, tmp_path, monkeypatch)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["database"] == "unavailable"
    assert response.json["queue"] == "ok"
    assert "5119" not in response.get_data(as_text=True)  # no connection details shown


def test_health_is_503_naming_a_queue_that_is_down(database_url, tmp_path, monkeypatch):
    app = make_app(database_url, tmp_path, monkeypatch, REDIS_URL=CLOSED_REDIS)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "ok" and response.json["queue"] == "unavailable"


# --- The database unavailable or locked --------------------------------------------------------


@pytest.mark.parametrize("path", ["/", BASE, "/staff/sign-in"])
def test_database_down_is_a_503_page(tmp_path, monkeypatch, path):
    app = make_app(CLOSED_POSTGRES, tmp_path, monkeypatch)
    response = app.test_client().get(path)
    if path == "/staff/sign-in" and response.status_code == 200:
        # The sign-in form needs no database; signing in does.
        response = app.test_client().post(path, data={"email": "a@b.example", "password": "x"})
        if response.status_code == 400:  # the CSRF check comes first; turn it off
            app.config["WTF_CSRF_ENABLED"] = False
            response = app.test_client().post(path, data={"email": "a@b.example", "password": "x"})
    assert_plain_page(response, 503, "Sorry, the service is unavailable")
    assert response.headers["Retry-After"] == "30"
    assert "psycopg" not in response.get_data(as_text=True)


@pytest.fixture
def locked_app(database_url, tmp_path, monkeypatch):
    """An app on an SQLite file that waits at most half a second for another's lock."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite locks")
    app = make_app(database_url, tmp_path, monkeypatch, SQLITE_BUSY_TIMEOUT=0.5)
    with app.app_context():
        yield app, database_url.removeprefix("sqlite:///")
        db.session.remove()
        db.engine.dispose()


def hold_write_lock(path: str) -> sqlite3.Connection:
    """Another process's exclusive write lock on the database file."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    return other


def test_submit_while_the_database_is_locked_is_a_503_and_nothing_is_lost(locked_app):
    app, path = locked_app
    consultation = make_consultation()
    client = app.test_client()
    answer_everything(client, consultation)
    draft = db.session.scalar(select(Response))
    answers_before = {a.question_id: a.value for a in draft.answers}
    check = client.get(f"{BASE}/check")

    lock = hold_write_lock(path)
    try:
        started = time.monotonic()
        refused = client.post(f"{BASE}/check", data=_hidden(check))
        waited = time.monotonic() - started
        assert_plain_page(refused, 503, "Sorry, the service is unavailable")
        assert waited >= 0.45  # SQLITE_BUSY_TIMEOUT: it waited for the lock first
        # A section saved meanwhile is refused whole, too.
        changed = section_two(consultation, **{"action": "continue"})
        page = client.get(f"{BASE}/section/2")
        refused_save = post_form(client, f"{BASE}/section/2", changed, page=page)
        assert refused_save.status_code == 503
    finally:
        lock.rollback()
        lock.close()

    db.session.expire_all()
    draft = db.session.scalar(select(Response))
    assert draft.status == "draft" and draft.submitted_at is None
    assert {a.question_id: a.value for a in draft.answers} == answers_before
    # Once the lock is gone, the same page submits, once.
    done = client.post(f"{BASE}/check", data=_hidden(client.get(f"{BASE}/check")))
    assert done.status_code == 302 and done.headers["Location"].endswith("/confirmation")
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Response.id))) == 1
    assert db.session.scalar(select(Response.status)) == "submitted"
    assert db.session.scalar(select(func.count(Answer.id))) == len(answers_before)
    assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_busy_timeout_is_configurable(database_url, tmp_path, monkeypatch):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only")
    monkeypatch.setenv("CONSULT_SQLITE_BUSY_TIMEOUT", "2.5")
    app = make_app(database_url, tmp_path, monkeypatch)
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"timeout": 2.5}
    with app.app_context():
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 2500
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        db.engine.dispose()


# --- Logs ------------------------------------------------------------------------------------


def test_json_request_log_lines(client, app, log_stream):
    stream = log_stream("json")
    make_consultation()
    response = client.get(BASE, headers={"X-Request-ID": "proxy-given-id-1234"})
    missing = client.get("/nowhere")
    first, second = logged_requests(stream)
    assert first["request_id"] == "proxy-given-id-1234" == response.headers["X-Request-ID"]
    assert (first["method"], first["path"], first["status"]) == ("GET", BASE, 200)
    assert first["duration_ms"] >= 0 and first["level"] == "INFO" and first["time"]
    assert second["status"] == 404 and second["request_id"] == missing.headers["X-Request-ID"]
    assert len(second["request_id"]) == 32  # made here: the client sent none


def test_a_bad_request_id_is_replaced(client, app, log_stream):
    stream = log_stream("json")
    response = client.get("/", headers={"X-Request-ID": "evil id; with spaces <b>"})
    (line,) = logged_requests(stream)
    assert line["request_id"] == response.headers["X-Request-ID"] != "evil id; with spaces <b>"


def test_plain_request_log_lines(client, app, log_stream):
    stream = log_stream("plain")
    response = client.get("/")
    assert f"[{response.headers['X-Request-ID']}] GET / 200" in stream.getvalue()


def test_a_plain_log_line_cannot_be_forged_through_the_path(client, app, log_stream):
    """A newline in the path (``%0A``) began a line of the attacker's own in the plain log,
    such as a fake 200 for a staff page; control characters are written escaped."""
    stream = log_stream("plain")
    forged = "2026-12-03 16:00:00,000 INFO consult.requests [fake] GET /staff/ 200 1.0ms"
    client.get("/c/x%0D%0A" + forged.replace(" ", "%20") + "%1B[2J%E2%80%A8")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert not any(line.startswith("2026-12-03 16:00:00,000") for line in lines)
    assert "GET /c/x\\r\\n2026-12-03 16:00:00,000 INFO" in lines[0]
    assert "\\x1b[2J\\u2028 404 " in lines[0]


def test_an_unknown_log_format_is_refused(database_url, tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="LOG_FORMAT must be 'plain' or 'json'"):
        make_app(database_url, tmp_path, monkeypatch, TESTING=False, LOG_FORMAT="xml")


@pytest.mark.backends("postgresql")
def test_a_postgresql_lock_held_too_long_is_a_503_and_nothing_is_lost(
    database_url, tmp_path, monkeypatch
):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL locks")
    app = make_app(database_url, tmp_path, monkeypatch, POSTGRES_LOCK_TIMEOUT=0.5)
    with app.app_context():
        consultation = make_consultation()
        client = app.test_client()
        answer_everything(client, consultation)
        draft = db.session.scalar(select(Response))
        answers_before = {a.question_id: a.value for a in draft.answers}
        check = client.get(f"{BASE}/check")
        db.session.remove()

        other = db.engine.connect()
        transaction = other.begin()
        other.execute(text("LOCK TABLE response IN ACCESS EXCLUSIVE MODE"))
        try:
            started = time.monotonic()
            refused = client.post(f"{BASE}/check", data=_hidden(check))
            assert time.monotonic() - started >= 0.45
            assert_plain_page(refused, 503, "Sorry, the service is unavailable")
        finally:
            transaction.rollback()
            other.close()

        draft = db.session.scalar(select(Response))
        assert draft.status == "draft"
        assert {a.question_id: a.value for a in draft.answers} == answers_before
        done = client.post(f"{BASE}/check", data=_hidden(client.get(f"{BASE}/check")))
        assert done.headers["Location"].endswith("/confirmation")
        db.session.expire_all()
        assert db.session.scalar(select(Response.status)) == "submitted"
        db.session.remove()
        db.engine.dispose()
