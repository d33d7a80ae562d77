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
import sys
import tempfile
import time
from pathlib import Path
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
    collects the same files, so they all agree); a serial run keeps its order. Under
    ``make test`` (:data:`ENCODER_BUILD` set), :func:`encoder_files_last`, serial or not."""
    if encoder_build() is not None:  # serial or not: `make test`'s own order
        _encoder_files.clear()
        _encoder_files.update(encoder_files(items))  # for item_uses_coding_encoder
        items[:] = encoder_files_last(items, _encoder_files)
    elif worker_index(config) is not None:
        items[:] = dearest_files_first(items)


def keep_our_order(config) -> None:
    """Tell xdist's file scheduler (``--dist loadfile``) to hand files out in the collected
    order (:func:`order_for_workers`) rather than re-sort them by their number of tests."""
    if getattr(config.option, "dist", "no") in ("loadfile", "loadscope"):
        config.option.loadscopereorder = False


# The coding encoder's build beside the tests (``make test``, BENCHMARKS "ci28"). ``make test``
# starts the encoder's one-core build in the background and runs pytest at once, naming the
# build's folder (its ``pid``, ``log`` and, when it has ended, ``done``) in this variable. Test
# files that may use the installed encoder wait for the build before their first test and
# come last; the others run beside it, each with ``CONSULT_CODING_ENCODER`` set to a watched
# stand-in folder (:class:`EncoderGuard`), so a test of theirs that reads the installed
# encoder, in its own process or in a server, worker or command it started, fails and says
# so instead of quietly running on plain MiniLM. Without the variable nothing changes.
ENCODER_BUILD = "CONSULT_TEST_CODING_ENCODER_BUILD"
ENCODER_SETTING = "CONSULT_CODING_ENCODER"  # analysis.coding_encoder.ENVIRONMENT
# What marks a test file as one that may read the installed coding encoder: its own
# ``pytestmark`` carries ``pytest.mark.coding_encoder`` (:data:`ENCODER_MARKER`, registered in
# tests/conftest.py), because a test of it, or a server, job worker or command it starts, may
# fit or apply a model on the semantic engine (``analysis.coding_encoder.find``). Before, a
# broad rule (everything in tests/reports, any file importing consult.reports, the analysis
# library's models or command line, or naming a server, ``subprocess`` or ``semantic``)
# counted 275 of 374 files and left the workers idle while the encoder was built. BENCHMARKS.md
# "ci32a" ran those 275 under the guard, each file stopped at its first read: 87 ran whole
# without one and lost the rule; the other 188 are marked (4 seen reading the encoder, the
# rest not run whole in the time: each may lose its mark once a guarded run shows it never
# reads it). "ci33" ran 150 more (both backends, the shared data present): 120 never read
# it and lost the marker (the big page files, 82 of tests/analysis); 29 read it, and
# tests/analysis/test_label_aliases.py keeps it because one test reads the installed encoder
# itself (the variable unset), where the guard cannot see it. A file the marker misses is
# caught by the guard (:class:`EncoderGuard`), never silently run without the encoder: mark
# it. A test that unsets ``CONSULT_CODING_ENCODER`` to read the installed encoder is not
# caught: mark its file.
ENCODER_MARKER = "coding_encoder"


def file_of(item) -> str:
    """A collected test's file, relative to the project, with ``/`` (its node id's start)."""
    return item.nodeid.split("::", 1)[0]


def marked_coding_encoder(item) -> bool:
    """Whether the collected test carries :data:`ENCODER_MARKER` (from its module, class or
    itself)."""
    closest = getattr(item, "get_closest_marker", None)
    return closest is not None and closest(ENCODER_MARKER) is not None


# The files with at least one marked test (:func:`encoder_files`), as this process collected them.
_encoder_files: set[str] = set()


def encoder_files(items: list) -> set[str]:
    """The files of ``items`` that may read the coding encoder: those with a test carrying
    :data:`ENCODER_MARKER` (a marker on one test counts for its whole file, which
    ``--dist loadfile`` hands to one worker whole)."""
    return {file_of(item) for item in items if marked_coding_encoder(item)}


def item_uses_coding_encoder(item) -> bool:
    """Whether a collected test's file may read the installed coding encoder: it is one of the
    :func:`encoder_files` found at collection (:func:`order_for_workers`), or the test itself
    is marked."""
    return file_of(item) in _encoder_files or marked_coding_encoder(item)


def encoder_build() -> Path | None:
    """The background build's folder ``make test`` named, or None outside ``make test``."""
    folder = os.environ.get(ENCODER_BUILD)
    return Path(folder) if folder else None


def build_running(folder: Path) -> bool:
    """Whether the build in ``folder`` is still under way: it was started (``pid``), has not
    written ``done``, and its process is alive (a killed build counts as ended)."""
    try:
        pid = int((folder / "pid").read_text().strip())
    except (OSError, ValueError):
        return False
    if (folder / "done").exists():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_for_encoder_build(folder: Path | None, poll: float = 2.0) -> float:
    """Wait while the build in ``folder`` runs; the seconds waited."""
    started = time.monotonic()
    while folder is not None and build_running(folder):
        time.sleep(poll)
    return time.monotonic() - started


def encoder_files_last(items: list, files: set[str] | None = None) -> list:
    """``items`` with the files that may read the coding encoder (``files``, by default their
    :func:`encoder_files`) after the others, each group in :func:`dearest_files_first` order:
    the others run while the encoder is built."""
    files = encoder_files(items) if files is None else files
    ordered = dearest_files_first(items)
    return [i for i in ordered if file_of(i) not in files] + [
        i for i in ordered if file_of(i) in files
    ]


IN_OPEN = 0x20  # inotify(7): a file or directory was opened
IN_FLAGS = os.O_NONBLOCK | os.O_CLOEXEC  # inotify_init1's IN_NONBLOCK and IN_CLOEXEC


class EncoderGuard:
    """A folder holding only a stand-in ``manifest.json``, watched with inotify, to point
    ``CONSULT_CODING_ENCODER`` at for the tests that should not read the coding encoder.
    :func:`analysis.coding_encoder.find` reads the manifest of the folder it is given (the
    first time a process sees the folder in each state), so this process or any process a test
    started opens it; the stand-in is not a format 1 manifest, so such a test gets plain MiniLM
    and a warning. :meth:`opened` tells whether the manifest was opened since it was last
    asked, and then changes its time stamp, so every process reads it afresh at its next
    ``find()``. Only the manifest counts: something else listing the folder (a ``find /tmp``,
    say) does not."""

    def __init__(self) -> None:
        import ctypes

        self.folder = Path(tempfile.mkdtemp(prefix="consult-no-encoder-"))
        atexit.register(shutil.rmtree, self.folder, True)
        self.manifest = self.folder / "manifest.json"
        self.manifest.write_text('{"format": "none: tests/workers.py, EncoderGuard"}\n')
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(IN_FLAGS)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, bytes(self.folder), IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), "inotify is not available")

    def opened(self) -> bool:
        seen = False
        while True:
            try:
                events = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            if not events:
                break
            offset = 0
            while offset + 16 <= len(events):  # struct inotify_event: wd, mask, cookie, len
                length = int.from_bytes(events[offset + 12 : offset + 16], sys.byteorder)
                name = events[offset + 16 : offset + 16 + length].rstrip(b"\0")
                seen = seen or name == self.manifest.name.encode()
                offset += 16 + length
        if seen:
            stamp = time.time_ns()
            os.utime(self.manifest, ns=(stamp, stamp))
        return seen


_guard: EncoderGuard | None = None


def guard() -> EncoderGuard:
    """This process's :class:`EncoderGuard`, made on first use."""
    global _guard
    if _guard is None:
        _guard = EncoderGuard()
    return _guard


GUARD_MESSAGE = (
    "this test read the installed coding encoder (analysis.coding_encoder.find), though its "
    "file is run while `make test` builds the encoder: mark {path} "
    "`pytestmark = pytest.mark.coding_encoder` (tests/workers.py, ENCODER_MARKER)"
)
