"""``kill -9`` of gunicorn, master and workers, in the middle of partners' journeys.

A real gunicorn serves a fresh SQLite database (migrated and loaded with the project's own
commands); 20 simulated partners walk the whole journey through ``bench/load.py``, some
leaving drafts part of the way. Two seconds in, every gunicorn process is killed with
SIGKILL and the server started again; partners retry what was lost, as a person pressing
the button again would. Then the database must hold every acknowledged submission exactly
once with every answer as sent, every acknowledged page of every draft, no page half
written, and pass ``PRAGMA integrity_check``.
"""

from __future__ import annotations

import json
import os

import pytest

from bench.load import main as load_main
from bench.load_server import port_open

pytest.importorskip("gunicorn")


def free_port() -> int:
    """A free port (and the one after it) in 5155-5159, the range this project's load tests
    use, or in ``CONSULT_TEST_PORTS`` (e.g. ``5300-5399``) when that is set."""
    low, _, high = (os.environ.get("CONSULT_TEST_PORTS") or "5155-5159").partition("-")
    for port in range(int(low), int(high or low)):
        if not port_open(port) and not port_open(port + 1):
            return port
    pytest.skip(f"no free port in {low}-{high}")


def test_kill_9_mid_load_loses_and_duplicates_nothing(tmp_path):
    figures = tmp_path / "figures.json"
    status = load_main(
        [
            "--backends",
            "sqlite",
            "--levels",
            "20",
            "--duration",
            "6",
            "--kill-after",
            "2",
            "--drafts-every",
            "4",
            "--demo-responses",
            "20",
            "--workers",
            "2",
            "--no-hello",
            "--warmup",
            "0",
            "--port",
            str(free_port()),
            "--workdir",
            str(tmp_path),
            "--json",
            str(figures),
        ]
    )
    (phase,) = json.loads(figures.read_text())["phases"]
    verdict = phase["verdict"]
    assert phase["killed_processes"] == 3  # the master and both workers
    assert phase["errors"] >= 1  # partners' requests were cut off or refused meanwhile
    assert verdict["problems"] == [] and verdict["ok"], verdict
    assert status == 0
    assert verdict["integrity"] == "ok"
    # Partners submitted both before and after the restart, and drafts were left and kept.
    assert verdict["acknowledged"] >= 10
    assert verdict["stored_once"] == verdict["acknowledged"]
    assert verdict["drafts_checked"] >= 1
    # Every journey ended as the partner meant: submitted, or a draft left on purpose.
    assert verdict["journeys_failed"] == {}, verdict["journeys_failed"]
