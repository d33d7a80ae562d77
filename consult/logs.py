"""Logs: one line per request (request id, method, path, status, duration), as plain text or
JSON lines, on standard error.

``LOG_FORMAT`` chooses ``"plain"`` (the default, for people) or ``"json"`` (one object a line,
for a log collector); ``LOG_LEVEL`` the least severe level written (``INFO``). Every record
written by the ``consult`` loggers while a request is handled carries its request id, which
is also sent back in the ``X-Request-ID`` header. A request id that a proxy sets in
``X-Request-ID`` is kept when it is short and plain; otherwise a new one is made.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from datetime import UTC, datetime
from typing import IO, Any

from flask import Flask, has_request_context, request

REQUEST_LOGGER = "consult.requests"
HANDLER_MARK = "_consult_handler"
# Kept in the WSGI environ (not flask.g), so they last the whole request whatever clears g.
REQUEST_ID_KEY = "consult.request_id"
STARTED_KEY = "consult.request_started"
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
_GOOD_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Request fields copied into a JSON line when present on the record.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "remote_addr")


def current_request_id() -> str:
    """The id of the request being handled ('-' outside a request)."""
    if not has_request_context():
        return "-"
    request_id = request.environ.get(REQUEST_ID_KEY)
    if request_id is None:
        offered = request.headers.get("X-Request-ID", "")
        # 32 random hex digits (what ``uuid.uuid4().hex`` gave, without building a UUID)
        request_id = offered if _GOOD_REQUEST_ID.fullmatch(offered) else os.urandom(16).hex()
        request.environ[REQUEST_ID_KEY] = request_id
    return request_id


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            try:
                record.request_id = current_request_id()
            except RuntimeError:  # a request context without an app context
                record.request_id = "-"
        return True


# What a plain line writes escaped: C0 and C1 controls (newlines included) and the Unicode
# line and paragraph separators, so text from a request (a path with ``%0A``) can never begin
# a line of its own and pass for another record.
_UNSAFE_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escaped(match: re.Match) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class PlainFormatter(logging.Formatter):
    """The plain format, one line a record: the message's control characters escaped
    (a traceback after it keeps its own lines)."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        if _UNSAFE_IN_A_LINE.search(record.message):
            record.message = _UNSAFE_IN_A_LINE.sub(_escaped, record.message)
        return super().formatMessage(record)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request id,
    the request fields when present, and the traceback (as text) of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def make_handler(log_format: str, stream: IO[str] | None = None) -> logging.Handler:
    """A stream handler (standard error by default) with the chosen format."""
    if log_format not in ("plain", "json"):
        raise ValueError(f"LOG_FORMAT must be 'plain' or 'json', not {log_format!r}")
    handler = logging.StreamHandler(stream or sys.stderr)
    formatter = JsonFormatter() if log_format == "json" else PlainFormatter(PLAIN_FORMAT)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    setattr(handler, HANDLER_MARK, True)
    return handler


def configure_logging(app: Flask, stream: IO[str] | None = None) -> None:
    """Send the ``consult`` loggers (the app's, the worker's, the requests') to one handler
    with the app's ``LOG_FORMAT``, replacing any handler an earlier app installed."""
    logger = logging.getLogger("consult")
    for name, child in logging.root.manager.loggerDict.items():
        if name.startswith("consult.") and isinstance(child, logging.Logger):
            child.disabled = False  # a logging.config call may have switched it off
    for handler in list(logger.handlers):
        if getattr(handler, HANDLER_MARK, False):
            logger.removeHandler(handler)
    logger.addHandler(make_handler(str(app.config["LOG_FORMAT"]).lower(), stream))
    logger.setLevel(str(app.config["LOG_LEVEL"]).upper())
    logger.propagate = False


def register_request_log(app: Flask) -> None:
    """Log every request once it is answered, and send its id back as ``X-Request-ID``."""
    log = logging.getLogger(REQUEST_LOGGER)

    @app.before_request
    def start_clock() -> None:
        environ = request.environ
        environ[STARTED_KEY] = time.perf_counter()
        if REQUEST_ID_KEY not in environ:
            current_request_id()

    @app.after_request
    def log_request(response):
        req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup
        environ = req.environ
        started = environ.get(STARTED_KEY)
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
        request_id = environ.get(REQUEST_ID_KEY) or current_request_id()
        response.headers["X-Request-ID"] = request_id
        if req.endpoint == "static":
            return response
        if not log.isEnabledFor(logging.INFO):
            return response
        method, path, status = req.method, req.path, response.status_code
        fields = {
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "remote_addr": req.remote_addr,
            "request_id": request_id,
        }
        # The record is made here rather than by ``log.info``, which would first walk the
        # stack to find the calling line: a cost on every request for a field no format uses.
        log.handle(
            log.makeRecord(
                log.name,
                logging.INFO,
                __file__,
                0,
                "%s %s %s %sms",
                (method, path, status, duration_ms),
                None,
                "log_request",
                fields,
            )
        )
        return response
