"""The embedded queue's file found locked while gunicorn's workers set it up at once (CI:
"database is locked" at boot stopped gunicorn) is tried again, and other errors are not."""

from __future__ import annotations

import sqlite3

import pytest

from consult.reports import queue


def test_a_locked_queue_file_is_tried_again(tmp_path, monkeypatch):
    real = queue.SqliteHuey
    calls = []

    def locked_twice(*args, **kwargs):
        calls.append(args)
        if len(calls) <= 2:  # as SQLite says it while another worker sets the file up
            raise sqlite3.OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(queue, "SqliteHuey", locked_twice)
    monkeypatch.setattr(queue, "LOCKED_WAIT_SECONDS", 0.01)
    huey = queue.sqlite_huey("jobs", str(tmp_path / "jobs.sqlite"))
    assert len(calls) == 3
    assert (tmp_path / "jobs.sqlite").exists() and huey.pending_count() == 0


def test_another_error_is_not_retried(tmp_path, monkeypatch):
    calls = []

    def broken(*args, **kwargs):
        calls.append(args)
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(queue, "SqliteHuey", broken)
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        queue.sqlite_huey("jobs", str(tmp_path / "jobs.sqlite"))
    assert len(calls) == 1
