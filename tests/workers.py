"""Each pytest-xdist worker's own PostgreSQL database, Redis db, instance folder and ports.

``make test`` runs the suite on several workers (``pytest -n N --dist loadfile``). Every
worker is its own process, so at start-up (``pytest_configure``) this module rewrites that
process's settings before any test reads them:

- ``CONSULT_TEST_DATABASE_URL``: the database name gets the worker's id as a suffix
  (``.../test`` -> ``.../test_gw0``, ``.../test_gw1``, ...); the database is created, through
  the server's ``postgres`` database, the first time a test asks for it
  (:func:`ensure_database`), and its schema is then dropped and migrated as in a serial run.
- ``CONSULT_TEST_REDIS_URL``: worker N uses db ``base - N`` (CI's 15 -> 15, 14, 13, ...), or
  the N-th db of ``CONSULT_TEST_REDIS_DBS`` (``first-last``, e.g. ``8-12``, counting up) when
  that is set. A worker past the end of the allowed dbs (below 0, or past ``last``) stops the
  run with a clear message rather than sharing one.
- ``CONSULT_TEST_PORTS`` (``first-last``), when set, is split into one equal slice per
  worker, so the tests that take "the first free port of the range" never race for one.
- ``CONSULT_INSTANCE_PATH``: a throwaway folder per worker, so a test that makes an app
  without its own instance folder never shares the project's ``instance/`` (its SQLite
  queue, secret key, outbox) with another worker.

A serial run (no ``-n``, or ``-n 0``) is left exactly as it was.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def worker_index(config) -> int | None:
    """This process's xdist worker number (``gw3`` -> 3), or None in a serial run."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        return None
    return int(re.sub(r"\D", "", workerinput["workerid"]))


def worker_count(config) -> int:
    """How many xdist workers this run has (1 in a serial run)."""
    workerinput = getattr(config, "workerinput", None)
    return int(workerinput["workercount"]) if workerinput else 1


def database_url(base: str, index: int) -> str:
    """The worker's own database: the base database's name with ``_gw<index>`` added."""
    url = make_url(base)
    return url.set(database=f"{url.database}_gw{index}").render_as_string(hide_password=False)


def redis_url(base: str, index: int, allowed: str | None = None) -> str:
    """The worker's own Redis db: ``base - index``, or the index-th of ``allowed``
    (``first-last``); raises ``ValueError`` when that leaves the allowed dbs."""
    parts = urlsplit(base)
    base_db = int(parts.path.strip("/") or 0)
    if allowed:
        first, _, last = allowed.partition("-")
        db_number = int(first) + index
        if db_number > int(last or first):
            raise ValueError(f"worker {index} has no Redis db left in CONSULT_TEST_REDIS_DBS")
    else:
        db_number = base_db - index
        if db_number < 0:
            raise ValueError(
                f"worker {index} has no Redis db below {base_db}: set CONSULT_TEST_REDIS_DBS"
            )
    if not 0 <= db_number <= 15:
        raise ValueError(f"Redis db {db_number} is outside 0-15")
    return urlunsplit(parts._replace(path=f"/{db_number}"))


def port_slice(ports: str, index: int, count: int) -> str:
    """The index-th of ``count`` equal slices of the ``first-last`` port range."""
    first, _, last = ports.partition("-")
    low, high = int(first), int(last or first)
    size = (high - low + 1) // count
    if size < 1:
        raise ValueError(f"CONSULT_TEST_PORTS={ports} has fewer ports than {count} workers")
    start = low + index * size
    return f"{start}-{start + size - 1}"


def isolate(config) -> None:
    """Give this xdist worker its own database, Redis db, ports and instance folder (see the
    module's docstring); does nothing in a serial run."""
    index = worker_index(config)
    if index is None:
        return
    try:
        _isolate(index, worker_count(config))
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None


def _isolate(index: int, count: int) -> None:
    env = os.environ
    if env.get("CONSULT_TEST_DATABASE_URL"):
        env["CONSULT_TEST_DATABASE_URL"] = database_url(env["CONSULT_TEST_DATABASE_URL"], index)
    if env.get("CONSULT_TEST_REDIS_URL"):
        env["CONSULT_TEST_REDIS_URL"] = redis_url(
            env["CONSULT_TEST_REDIS_URL"], index, env.get("CONSULT_TEST_REDIS_DBS")
        )
    if env.get("CONSULT_TEST_PORTS"):
        env["CONSULT_TEST_PORTS"] = port_slice(env["CONSULT_TEST_PORTS"], index, count)
    instance = tempfile.mkdtemp(prefix=f"consult-instance-gw{index}-")
    atexit.register(shutil.rmtree, instance, True)
    env["CONSULT_INSTANCE_PATH"] = instance


_ensured: set[str] = set()


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named by ``url`` if it is missing (connecting to the
    same server's ``postgres`` database); once per process and database."""
    if url in _ensured:
        return
    target = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = target.database
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                quoted = '"' + name.replace('"', '""') + '"'
                connection.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        server.dispose()
    _ensured.add(url)
