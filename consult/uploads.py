"""How large a request may be: 1 MB (``MAX_CONTENT_LENGTH``) for every page, but an import of
responses takes a whole export, which for a few hundred responses is already over 1 MB as
JSON (smoke8: the demo's own JSON export, with its coding columns, got "What you sent is too
large"). Its upload may be as large as the importer reads (:data:`analysis.limits.MAX_FILE_BYTES`,
with room for the form around the file): ``IMPORT_MAX_CONTENT_LENGTH``."""

from __future__ import annotations

from flask import Flask, current_app, request

from analysis import limits

# The form around the file (its field names, CSRF token, multipart boundaries).
FORM_ROOM = 64 * 1024
IMPORT_MAX_CONTENT_LENGTH = limits.MAX_FILE_BYTES + FORM_ROOM
# The views whose POST is an upload of a responses export.
IMPORT_ENDPOINTS = frozenset({"staff.import_responses"})


def allow_large_imports() -> None:
    """Raise this request's body limit to ``IMPORT_MAX_CONTENT_LENGTH`` when it is an import
    upload. Runs before any other hook reads the form (CSRF checks parse it)."""
    if request.endpoint in IMPORT_ENDPOINTS:
        request.max_content_length = current_app.config["IMPORT_MAX_CONTENT_LENGTH"]


def init_app(app: Flask) -> None:
    """Register :func:`allow_large_imports`; call before any extension that reads forms."""
    app.config.setdefault("IMPORT_MAX_CONTENT_LENGTH", IMPORT_MAX_CONTENT_LENGTH)
    app.before_request(allow_large_imports)
