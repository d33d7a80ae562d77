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


# Fixtures that start a process (a server, gunicorn, a job worker, Chromium): a test using one
# costs seconds of start-up and waiting where a page test costs a fraction of a second. Any
# fixture named ``*server`` or ``*driver`` counts too (``export_server``, ``reports_server``).
STARTS_PROCESSES = frozenset({"served", "browser", "jobs_app"})
# Names a test module imports to start processes itself (the CLI, gunicorn, a browser, a
# server for a load run).
PROCESS_NAMES = (
    "subprocess",
    "Popen",
    "gunicorn_process",
    "make_driver",
    "running_server",
    "port_open",
)
# A test starting processes is counted as this many plain tests (a rough ratio of their
# costs in BENCHMARKS "cifast": 8-24 CPU seconds a served test, 0.2-0.7 a page test).
PROCESS_WEIGHT = 20


def starts_processes(item) -> bool:
    """Whether a collected test starts a process, as far as its fixtures and its module's
    imports tell (a module importing :data:`PROCESS_NAMES` counts for all its tests)."""
    for name in getattr(item, "fixturenames", ()):
        if name in STARTS_PROCESSES or name.endswith(("server", "driver")):
            return True
    module = getattr(item, "module", None)
    return module is not None and any(name in vars(module) for name in PROCESS_NAMES)


def estimated_cost(items: list) -> int:
    """A test file's estimated cost, in plain tests: its tests, with each one that
    :func:`starts_processes` counted :data:`PROCESS_WEIGHT` times."""
    return sum(PROCESS_WEIGHT if starts_processes(item) else 1 for item in items)


def dearest_files_first(items: list) -> list:
    """``items`` grouped by file, the files in order of :func:`estimated_cost` (dearest
    first, ties in collection order), each file's tests in their own order.

    With ``--dist loadfile`` each worker takes the next whole file when it runs short, so
    the run ends when the last file handed out ends. xdist's own order (most tests first)
    left the files of one or two tests to the end, and those are the browser, gunicorn and
    command-line files that start processes, the dearest of all: one worker ran them while
    the other had nothing left. Handed out first, the long files are spread between the
    workers and the cheap ones fill in at the end (longest-first scheduling).
    """
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    ordered = sorted(files.values(), key=estimated_cost, reverse=True)  # stable for ties
    return [item for group in ordered for item in group]


def order_for_workers(config, items: list) -> None:
    """On an xdist worker, put ``items`` in :func:`dearest_files_first` order (every worker
    collects the same files, so they all agree); a serial run keeps its order."""
    if worker_index(config) is not None:
        items[:] = dearest_files_first(items)


def keep_our_order(config) -> None:
    """Tell xdist's file scheduler (``--dist loadfile``) to hand files out in the collected
    order (:func:`order_for_workers`) rather than re-sort them by their number of tests."""
    if getattr(config.option, "dist", "no") in ("loadfile", "loadscope"):
        config.option.loadscopereorder = False
