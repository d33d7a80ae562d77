"""Staff accounts: creating users, checking passwords and throttling guesses."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ROLES, SignInAttempt, User, utcnow

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
# Checked against when the email is unknown, so timing does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not a real password")


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


def is_throttled(email: str, address: str) -> bool:
    """Too many recent failures for this account or from this address."""
    since = utcnow() - THROTTLE_WINDOW
    failures = select(func.count(SignInAttempt.id)).where(
        SignInAttempt.succeeded.is_(False), SignInAttempt.at >= since
    )
    by_account = db.session.scalar(failures.where(SignInAttempt.email == normalise_email(email)))
    by_address = db.session.scalar(failures.where(SignInAttempt.address == address))
    return by_account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS


def authenticate(email: str, password: str, address: str) -> User | None:
    """The active user with these credentials, recording the attempt either way."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        ok = False
    else:
        ok = user.active and check_password_hash(user.password_hash, password)
    db.session.add(SignInAttempt(email=email, address=address, succeeded=ok))
    if ok:
        user.last_sign_in_at = utcnow()
    return user if ok else None
