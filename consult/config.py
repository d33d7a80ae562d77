"""Default configuration; ``instance/config.py`` and ``CONSULT_*`` variables override it."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    # Flask's default is unlimited; a survey page never needs more than this.
    "MAX_CONTENT_LENGTH": 1 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 30,
    # A CSRF token lasts two hours; an expired one re-shows the page with the typed answers.
    "WTF_CSRF_TIME_LIMIT": 2 * 60 * 60,
    "WTF_CSRF_ENABLED": True,
    # Mail: unset means resume links are written to instance/outbox instead of being sent.
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": False,
    "MAIL_SENDER": "consultations@localhost",
    # Staff sessions end after 30 minutes idle or 12 hours in all; exporting and deleting
    # ask for the password again when it was last entered more than 5 minutes ago.
    "STAFF_IDLE_SECONDS": 30 * 60,
    "STAFF_MAX_SECONDS": 12 * 60 * 60,
    "STAFF_REAUTH_SECONDS": 5 * 60,
    # Staff pages warn this long before the idle sign-out, with a way to stay signed in
    # (0: no warning).
    "STAFF_TIMEOUT_WARNING_SECONDS": 5 * 60,
    # A form posted after the idle sign-out is kept (on the server, for the same person on
    # the same browser) this long, to be put back after signing in again.
    "STAFF_KEPT_FORM_SECONDS": 2 * 60 * 60,
    # The dashboard's counts ask the server for the latest this often while the page is
    # shown (collect29 #5; 0: they never update by themselves).
    "DASHBOARD_POLL_SECONDS": 30,
    # `flask purge` deletes drafts with nothing written in them after this many days
    # untouched (None: keep them).
    "EMPTY_DRAFT_DAYS": 7,
    # ... and the files in instance/outbox that hold invitation links (sending batches,
    # mail-merge CSVs, emails kept there with no mail server) after this many days (None:
    # keep them).
    "OUTBOX_DAYS": 30,
    # Staff sign-in and password confirmation: failed passwords allowed per 15 minutes for
    # one account from one address, for one account from all addresses together (a much
    # higher ceiling, so nobody elsewhere can lock a member of staff out), and from one
    # address for all accounts. The password is not even checked past a limit.
    "SIGN_IN_MAX_FAILURES": 5,
    "SIGN_IN_MAX_FAILURES_PER_ACCOUNT": 100,
    "SIGN_IN_MAX_FAILURES_PER_ADDRESS": 20,
    # Rate limits per client address (Flask-Limiter notation; see consult/limits.py). Counts
    # are kept in Redis when REDIS_URL is set, so all web processes share them.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_SIGN_IN": "30 per minute; 200 per hour",
    "RATELIMIT_LINKS": "30 per minute; 300 per hour",
    "RATELIMIT_SUBMIT": "10 per minute; 100 per hour",
    "RATELIMIT_EMAIL": "10 per hour",
    "SERVICE_NAME": "Partner consultations",
    # Production (see README "Running in production"). PROXY_COUNT: how many reverse proxies
    # stand in front of the app and set X-Forwarded-For/-Proto/-Host (0: none, trust none).
    "PROXY_COUNT": 0,
    # Host names the app answers to (a list, or one comma-separated string); None: any.
    "TRUSTED_HOSTS": None,
    # HTTPS: the site is served over HTTPS (by the proxy): Secure cookies and HSTS.
    "HTTPS": False,
    "HSTS_SECONDS": 365 * 24 * 60 * 60,
    # Logs: "plain" lines or "json" lines (one object a line, with the request id).
    "LOG_FORMAT": "plain",
    "LOG_LEVEL": "INFO",
    # SQLite only: how long a write waits for another process's lock before giving up
    # (the page then says the service is busy, with a 503).
    "SQLITE_BUSY_TIMEOUT": 30.0,
    # PostgreSQL only: the same for a row or table lock (lock_timeout), and how long to try
    # to reach the server.
    "POSTGRES_LOCK_TIMEOUT": 30.0,
    "POSTGRES_CONNECT_TIMEOUT": 10,
    # PostgreSQL only: a pooled connection idle longer than this many seconds is checked with
    # a round trip before use (one a restart broke is replaced); 0 checks it every time (see
    # consult/pool.py for what a restart quicker than this can do).
    "POSTGRES_PING_IDLE_SECONDS": 1.0,
    "ORGANISATION_NAME": "West Midlands Combined Authority",
    # A folder where each process keeps its compiled templates for the next one (None: each
    # process compiles its own); see consult.templating.CompiledTemplates. The tests set it.
    "COMPILED_TEMPLATES_FOLDER": None,
}


def load_secret_key(instance_path: str | os.PathLike[str]) -> str:
    """Return this instance's secret key, generating and keeping one on first use.

    The key lives in ``instance/secret_key`` with owner-only permissions, so every new
    instance has its own key and none is ever hard-coded.

    Several gunicorn workers start at once on a fresh instance, so the key is written to a
    private temporary file and then hard-linked into place: linking fails if the name exists,
    so exactly one worker's key wins and every worker returns that one (a plain create-and-
    write let each worker keep its own key, and a form made by one worker was refused by
    another).
    """
    path = Path(instance_path) / "secret_key"
    existing = _read_key(path)
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process won: use its key
            os.link(candidate, path)
    finally:
        candidate.unlink(missing_ok=True)
    key = _read_key(path)
    if not key:
        raise RuntimeError(f"{path} is empty: delete it and start again")
    return key


def _read_key(path: Path) -> str:
    """The key stored at ``path``, or an empty string when there is none yet."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def default_database_url(instance_path: str | os.PathLike[str]) -> str:
    """The embedded SQLite database inside the instance folder."""
    return "sqlite:///" + str(Path(instance_path) / "consult.sqlite")
