"""A request body over the size limit (``MAX_CONTENT_LENGTH``, 1 MB) gets the 413 page
through a real gunicorn process, even while the client is still sending it: the app reads
and discards the rest of a body of bounded size before answering, so the server does not
close the connection on unread data (which the client sees as a connection reset)."""

from __future__ import annotations

import http.client
import shutil

import pytest

from tests.reports_helpers import worker_environment
from tests.test_gunicorn import gunicorn_process


@pytest.fixture(scope="module")
def gunicorn_base(migrated_template, tmp_path_factory):
    """The app under gunicorn (``gunicorn.conf.py``) on an SQLite database of its own; its
    host:port. One server for the module (BENCHMARKS.md "ci34"): its tests post only bodies
    the app refuses (too large, or a sign-in form without its token), so neither leaves
    anything the other reads."""
    folder = tmp_path_factory.mktemp("upload-limit")
    database = folder / "consult.sqlite"
    shutil.copy(migrated_template, database)
    env = worker_environment(f"sqlite:///{database}", folder / "instance", LOG_LEVEL="WARNING")
    with gunicorn_process(env, folder / "gunicorn.log") as (base, _):
        yield base.removeprefix("http://")


def _post(base: str, path: str, body: bytes) -> tuple[int, str, str]:
    """POST ``body`` in full (sent in pieces, as a slow upload would be), then read the
    answer: status, body and the Connection header."""
    host, port = base.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        for start in range(0, len(body), 64 * 1024):
            connection.send(body[start : start + 64 * 1024])
        answer = connection.getresponse()
        return answer.status, answer.read().decode("utf-8"), answer.getheader("Connection", "")
    finally:
        connection.close()


@pytest.mark.parametrize("size", [2 * 1024 * 1024, 6 * 1024 * 1024])
def test_a_body_over_the_limit_gets_the_413_page_not_a_reset(gunicorn_base, size):
    body = b"email=a%40example.com&password=" + b"x" * size
    status, page, _ = _post(gunicorn_base, "/staff/sign-in", body)
    assert status == 413
    assert "What you sent is too large" in page
    # The same connection is still usable afterwards: nothing of the body was left unread.
    status, page, _ = _post(gunicorn_base, "/staff/sign-in", b"email=x&password=y")
    assert status in (200, 400)


def test_draining_reads_the_declared_body_and_no_further(app):
    from consult.errors import DRAIN_LIMIT, drain_request_body

    body = b"x" * 300_000
    with app.test_request_context(
        "/",
        method="POST",
        data=body + b"next request",
        environ_overrides={"CONTENT_LENGTH": str(len(body))},
    ):
        assert drain_request_body() == len(body)
    too_big = str(DRAIN_LIMIT + 1)
    with app.test_request_context(
        "/", method="POST", data=b"y" * 10, environ_overrides={"CONTENT_LENGTH": too_big}
    ):
        assert drain_request_body() == 0  # refused unread: never waits for 16 MB


def test_a_staff_upload_too_large_leads_back_to_its_page(app):
    """smoke3 finding 15: a 1.4 MB organisations file got a 413 page whose only link led to
    the consultations; it now leads back to the page the file was sent from as well (when
    that address shows a page), and a partner's page keeps its own advice."""
    import io

    from tests.helpers import soup
    from tests.staff_helpers import signed_in

    client = signed_in(app, "editor")
    big = b"name,partner_type,area,contact_email\n" + b"x" * (1_400_000)
    page = client.post(
        "/staff/organisations/upload",
        data={"file": (io.BytesIO(big), "orgs.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 413
    links = [(a.get_text(strip=True), a["href"]) for a in soup(page).find("main").find_all("a")]
    assert links == [
        ("Go back to the page you sent it from", "/staff/organisations/upload"),
        ("Go to your consultations", "/staff/"),
    ]
    # A button's address that shows no page of its own: only the consultations.
    button = client.post("/staff/sign-out", data={"x": "y" * 1_100_000})
    assert button.status_code == 413
    links = [a.get_text(strip=True) for a in soup(button).find("main").find_all("a")]
    assert links == ["Go to your consultations"]
