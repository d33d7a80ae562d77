"""gunicorn settings for consult (``gunicorn -c gunicorn.conf.py wsgi:app``; ``make serve``).

Each setting can be overridden by an environment variable, named beside it:

``GUNICORN_BIND`` (``127.0.0.1:8000``)
    Where to listen. Keep it on loopback behind a reverse proxy that terminates HTTPS;
    ``0.0.0.0:8000`` listens on every interface (only behind a firewall or load balancer).
``GUNICORN_WORKERS`` (one a CPU, at least 2, at most 8; ``WEB_CONCURRENCY`` is honoured too)
    Web processes. Python runs one thread of a process at a time, so one process a CPU
    uses the machine; more processes only add memory, database connections and copies of
    each consultation. Each holds its own database connection pool (up to 15 connections
    on PostgreSQL), so workers x machines x 15 must stay under ``max_connections``.
``GUNICORN_THREADS`` (4)
    Threads per process; above 1 gunicorn uses its ``gthread`` worker, which keeps browsers'
    connections open between pages (keep-alive) without holding a thread, and lets a
    process serve other requests while one waits for the database. 1 gives sync workers
    (a connection closed after every response; raise ``GUNICORN_WORKERS`` then).
``GUNICORN_TIMEOUT`` (60)
    Seconds a request may take before its process is killed and replaced. Above the SQLite
    busy timeout (``CONSULT_SQLITE_BUSY_TIMEOUT``, 30 s), so a request waiting for a lock
    gets the 503 page, not a killed process.
``GUNICORN_GRACEFUL_TIMEOUT`` (30)
    Seconds to finish the requests under way on a stop or restart.
``GUNICORN_KEEPALIVE`` (5)
    Seconds to hold an idle keep-alive connection (above the proxy's idle timeout is wrong;
    keep it below).
``GUNICORN_MAX_REQUESTS`` (0: never)
    Replace a process after this many requests (with 10 % jitter), a guard against leaks.
``FORWARDED_ALLOW_IPS`` (``127.0.0.1,::1``)
    Addresses of the proxies whose ``X-Forwarded-Proto`` gunicorn believes. The app's own
    ``CONSULT_PROXY_COUNT`` decides which forwarded addresses it believes.
``GUNICORN_CONTROL_SOCKET`` (unset: no control socket)
    A path for gunicorn's control socket (``gunicornc``); off by default so that several
    servers on one machine do not fight over ``~/.gunicorn/gunicorn.ctl``.
``GUNICORN_ACCESS_LOG`` (unset: off)
    gunicorn's access log (``-`` for standard output). Off by default because the app logs
    every request itself, with its request id (``CONSULT_LOG_FORMAT=json`` for JSON lines).

gunicorn's ``Server`` header is reduced to ``consult``: no server name, no version. With
``CONSULT_LOG_FORMAT=json`` gunicorn's own messages are JSON lines too, like the app's.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _default_workers() -> int:
    return min(max(multiprocessing.cpu_count(), 2), 8)


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", _default_workers()))
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# One JSON object a line, like the app's own request log.
access_log_format = (
    '{"time": "%(t)s", "remote_addr": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s"}'
)
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "consult-web"
# Each process builds its own app (and database pool): nothing is shared across a fork.
preload_app = False
# Request line and header limits (gunicorn's defaults, stated): longer gets a 4xx.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190


def _hide_server_header() -> None:
    """gunicorn writes ``Server: gunicorn`` itself; say only ``consult``."""
    try:
        import gunicorn.http.wsgi as gunicorn_wsgi
    except ImportError:  # pragma: no cover - gunicorn is what reads this file
        return
    gunicorn_wsgi.SERVER = "consult"


_hide_server_header()


def _json_logs(server) -> None:
    """With ``CONSULT_LOG_FORMAT=json``, write gunicorn's own messages as JSON lines too."""
    if os.environ.get("CONSULT_LOG_FORMAT", "").strip().strip('"').lower() != "json":
        return
    from consult.logs import JsonFormatter

    for handler in server.log.error_log.handlers:
        handler.setFormatter(JsonFormatter())


def on_starting(server) -> None:
    """gunicorn hook: the master is starting (its logging is set up)."""
    _json_logs(server)


def on_reload(server) -> None:
    """gunicorn hook: a HUP re-read the settings and set logging up again."""
    _json_logs(server)
