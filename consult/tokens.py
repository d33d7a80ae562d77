"""Random tokens for invitation and resume links, stored only as hashes, and references."""

from __future__ import annotations

import hashlib
import secrets

# 32 symbols without look-alikes (no 0/O, 1/I/L), so references can be read out on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_token() -> str:
    """A URL-safe random token carrying 192 bits of entropy."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in place of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_reference() -> str:
    """A response reference such as ``WM-7KQ2-H9XD``."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"WM-{body[:4]}-{body[4:]}"
