"""Staff accounts: creating users, checking passwords and throttling guesses."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, text
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ROLES, SignInAttempt, User, utcnow

THROTTLE_WINDOW = timedelta(minutes=15)
# Defaults for SIGN_IN_MAX_FAILURES, ..._PER_ACCOUNT and ..._PER_ADDRESS (see config.py).
MAX_FAILURES = 5
MAX_FAILURES_PER_ACCOUNT = 100
MAX_FAILURES_PER_ADDRESS = 20
# Checked against when the email is unknown, so timing does not reveal which accounts exist:
# Werkzeug's scrypt hash of "not a real password" with the parameters hash_password uses,
# written out so that importing the app does not spend a scrypt run (about 0.1 s per process).
_DUMMY_HASH = (
    "scrypt:32768:8:1$HvQgyqxQD3eFP8KI$6ba8348c794cb9779c8abcee73e7d1f08ac2d9ef2a4ac7c6755b19a9a"
    "631e7512cf5cdd4ac27cecb4c511fa11c2d3e5345d28cb98ba00e90a893146eeb7de180"
)


def hash_password(password: str) -> str:
    """A salted scrypt hash (Werkzeug's default)."""
    return generate_password_hash(password, method="scrypt")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def create_user(email: str, role: str, password: str, name: str = "") -> User:
    """A new active user; raises ValueError for a bad role, short password or taken email."""
    email = normalise_email(email)
    if role not in ROLES:
        raise ValueError(f"role must be one of: {', '.join(ROLES)}")
    if "@" not in email:
        raise ValueError("enter a valid email address")
    if len(password) < 12:
        raise ValueError("the password must be at least 12 characters")
    if db.session.scalar(select(User).where(User.email == email)):
        raise ValueError(f"a user with email {email} already exists")
    user = User(email=email, role=role, name=name, password_hash=hash_password(password))
    db.session.add(user)
    return user


def new_password() -> str:
    """A random 20-character password."""
    return secrets.token_urlsafe(15)


def _serialise(email: str, address: str) -> None:
    """Make concurrent attempts on this account (and from this address) take turns.

    PostgreSQL: transaction-scoped advisory locks, always the account's before the
    address's so two attempts never wait on each other in a cycle. SQLite has one writer at
    a time: the attempt's INSERT (the transaction's first write) takes the database's write
    lock, and the counts that follow it in the same transaction see every earlier attempt.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for key in (f"sign-in account {email}", f"sign-in address {address}"):
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
        )


def _limits() -> tuple[int, int, int]:
    config = current_app.config
    return (
        config.get("SIGN_IN_MAX_FAILURES", MAX_FAILURES),
        config.get("SIGN_IN_MAX_FAILURES_PER_ACCOUNT", MAX_FAILURES_PER_ACCOUNT),
        config.get("SIGN_IN_MAX_FAILURES_PER_ADDRESS", MAX_FAILURES_PER_ADDRESS),
    )


def reserve_attempt(email: str, address: str) -> SignInAttempt | None:
    """Record a password check as failed *before* it is made, or ``None`` when throttled.

    Insert-then-count in one committed transaction, serialised per account and address
    (:func:`_serialise`), so 30 guesses sent at once still get at most
    ``SIGN_IN_MAX_FAILURES`` real checks. Limits, per 15 minutes: failures for this
    account from this address; failures for this account from anywhere (a much higher
    ceiling, so an attacker elsewhere cannot lock a member of staff out); failures from
    this address for any account. :func:`settle_attempt` marks a right password.
    """
    email = normalise_email(email)[:320]  # the column's size; longer is never an account
    address = address[:64]
    per_pair, per_account, per_address = _limits()
    db.session.commit()  # start a transaction of its own
    _serialise(email, address)
    attempt = SignInAttempt(email=email, address=address, succeeded=False)
    db.session.add(attempt)
    db.session.flush()
    since = utcnow() - THROTTLE_WINDOW
    failures = select(func.count(SignInAttempt.id)).where(
        SignInAttempt.succeeded.is_(False),
        SignInAttempt.at >= since,
        SignInAttempt.id != attempt.id,
    )
    by_pair = db.session.scalar(
        failures.where(SignInAttempt.email == email, SignInAttempt.address == address)
    )
    by_account = db.session.scalar(failures.where(SignInAttempt.email == email))
    by_address = db.session.scalar(failures.where(SignInAttempt.address == address))
    if by_pair >= per_pair or by_account >= per_account or by_address >= per_address:
        db.session.rollback()
        return None
    db.session.commit()
    return attempt


def check_password(user: User | None, password: str) -> bool:
    """Whether this is the active user's password (a dummy check for unknown accounts, so
    timing does not reveal which accounts exist)."""
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return bool(user.active and check_password_hash(user.password_hash, password))


class Throttled(Exception):
    """Too many recent failures: the password was not checked."""


def authenticate(email: str, password: str, address: str) -> User | None:
    """The active user with these credentials, or ``None``; raises :class:`Throttled`
    (without checking the password) after too many recent failures."""
    attempt = reserve_attempt(email, address)
    if attempt is None:
        raise Throttled(email)
    user = db.session.scalar(select(User).where(User.email == attempt.email))
    ok = check_password(user, password)
    if ok:
        attempt.succeeded = True  # reserved as a failure
        user.last_sign_in_at = utcnow()
    return user if ok else None
