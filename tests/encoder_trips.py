"""Find which test files read the installed coding encoder (BENCHMARKS.md "ci32a").

A pytest plugin, off unless named: ``.venv/bin/python -m pytest -p tests.encoder_trips FILES``
(``python -m``, so the project is on the path before the plugin loads) runs every test of
FILES as ``make test`` runs the files not marked ``pytest.mark.coding_encoder`` (with
``CONSULT_CODING_ENCODER`` at the watched stand-in of :class:`tests.workers.EncoderGuard`, and
no waiting for a build), marks or not. A test that reads the encoder (in its own process or a
server, job worker or command it started) fails with the guard's message; the plugin then
writes ``TRIP <file> <test> <phase>`` to the file named by :data:`OUTPUT` and skips the rest
of that file. Every test that ends is written ``DONE <test>``, any other failure
``FAIL <file> <test> <phase>``. A file whose collected tests are all DONE with no TRIP can do
without the marker; a TRIP means it needs it.

Files are handed out cheapest first (:func:`tests.workers.estimated_cost`), so a run stopped
early has settled the most files. A run through pytest-xdist (``-n 2 --dist loadfile``) works:
every line is written by the worker that ran the test.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests import workers

OUTPUT = "CONSULT_TEST_ENCODER_TRIPS"  # where the lines go (default encoder-trips.txt)
_tripped: set[str] = set()


def _write(line: str) -> None:
    with Path(os.environ.get(OUTPUT) or "encoder-trips.txt").open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def pytest_configure(config):
    # A build folder with no build in it: `make test`'s guard without its waiting.
    os.environ[workers.ENCODER_BUILD] = tempfile.mkdtemp(prefix="consult-no-build-")
    workers.item_uses_coding_encoder = lambda item: False  # every file guarded


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(workers.file_of(item), []).append(item)
    items[:] = [i for group in sorted(files.values(), key=workers.estimated_cost) for i in group]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if workers.file_of(item) in _tripped:
        pytest.skip("encoder_trips: this file has read the coding encoder already")


def pytest_runtest_logreport(report):
    if os.environ.get("PYTEST_XDIST_WORKER") is None and hasattr(report, "node"):
        return  # the controller of an xdist run: its worker wrote this report's line
    path = report.nodeid.split("::", 1)[0]
    if report.failed and "read the installed coding encoder" in report.longreprtext:
        if path not in _tripped:
            _tripped.add(path)
            _write(f"TRIP {path} {report.nodeid} {report.when}")
    elif report.failed:
        _write(f"FAIL {path} {report.nodeid} {report.when}")
    if report.when == "teardown":
        _write(f"DONE {report.nodeid}")
