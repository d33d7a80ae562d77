"""Rate limits per address on sign-in, invitation and resume links, submissions and emailed
links: a GOV.UK 429 page with Retry-After; in memory by default, shared through Redis."""

from __future__ import annotations

import os
import socket
import uuid

import pytest

from consult import create_app
from tests.helpers import hidden_fields, soup

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _assert_too_many(answer) -> None:
    assert answer.status_code == 429
    assert 1 <= int(answer.headers["Retry-After"]) <= 60
    page = soup(answer)
    assert page.h1.get_text(strip=True) == "Too many attempts"
    assert "Wait a minute, then try again" in page.get_text()
    assert page.find(class_="govuk-footer") is not None  # the service's own GOV.UK page


def test_invitation_lookups_are_limited_per_address(app):
    app.config["RATELIMIT_LINKS"] = "3 per minute"
    guesser = app.test_client()
    for number in range(3):
        assert guesser.get(f"/i/guess-{number}").status_code == 404
    _assert_too_many(guesser.get("/i/guess-4"))
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert elsewhere.get("/i/guess-5").status_code == 404


def test_resume_links_submissions_and_sign_in_are_limited(app):
    app.config.update(
        RATELIMIT_LINKS="2 per minute",
        RATELIMIT_SUBMIT="2 per minute",
        RATELIMIT_SIGN_IN="2 per minute",
    )
    client = app.test_client()
    for _ in range(2):
        assert client.get("/c/nothing/resume/guess").status_code == 404
    _assert_too_many(client.get("/c/nothing/resume/guess"))
    for _ in range(2):
        assert client.post("/c/nothing/check").status_code == 404
    _assert_too_many(client.post("/c/nothing/check"))
    assert client.get("/c/nothing/check").status_code == 404  # reading is not limited
    page = client.get("/staff/sign-in")
    form = {**hidden_fields(page), "email": "someone@example.org", "password": "guess guess"}
    for _ in range(2):
        assert client.post("/staff/sign-in", data=form).status_code == 200
    _assert_too_many(client.post("/staff/sign-in", data=form))
    assert client.get("/staff/sign-in").status_code == 200


def test_limits_can_be_turned_off(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_LINKS": "1 per minute",
        }
    )
    client = app.test_client()
    with app.app_context():
        assert [client.get("/i/guess").status_code for _ in range(3)] == [404] * 3


def test_processes_share_one_count_in_redis(database_url, tmp_path, monkeypatch):
    url = os.environ.get("CONSULT_TEST_REDIS_URL")
    if not url:
        pytest.skip("CONSULT_TEST_REDIS_URL is not set: the shared Redis count is not tested")
    import redis

    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    prefix = f"consult-test-{uuid.uuid4().hex}"
    settings = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "REDIS_URL": url,
        "RATELIMIT_KEY_PREFIX": prefix,
        "RATELIMIT_LINKS": "3 per minute",
    }
    first, second = create_app(settings), create_app(settings)  # two web processes' apps
    assert first.config["RATELIMIT_STORAGE_URI"] == url
    try:
        with first.app_context():
            for _ in range(2):
                assert first.test_client().get("/i/guess").status_code == 404
        with second.app_context():
            assert second.test_client().get("/i/guess").status_code == 404
            _assert_too_many(second.test_client().get("/i/guess"))
        with first.app_context():
            _assert_too_many(first.test_client().get("/i/guess"))
        assert list(redis.Redis.from_url(url).scan_iter(f"*{prefix}*"))
    finally:
        store = redis.Redis.from_url(url)
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)


def test_limits_carry_on_in_memory_while_redis_is_down(database_url, tmp_path, monkeypatch):
    """Redis unreachable: the limited routes (invitation links, sign-in, submitting) still
    answer, counting in this process's memory, instead of a 500 from the limiter."""
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    with socket.socket() as sock:  # a port with nothing listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
            "RATELIMIT_LINKS": "3 per minute",
        }
    )
    client = app.test_client()
    with app.app_context():
        assert [client.get(f"/i/guess-{n}").status_code for n in range(3)] == [404] * 3
        _assert_too_many(client.get("/i/guess-4"))
        assert client.post("/c/nothing/check").status_code == 404
        page = client.get("/staff/sign-in")
        form = {**hidden_fields(page), "email": "someone@example.org", "password": "guess guess"}
        assert client.post("/staff/sign-in", data=form).status_code == 200
