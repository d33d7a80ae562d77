"""Invitation links left in instance/outbox (each sending batch's record, its mail-merge CSV,
emails kept there with no mail server) are deleted by ``flask purge`` once older than
``OUTBOX_DAYS``; nothing else in the outbox or the instance folder is touched."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, Organisation
from consult.retention import clean_outbox, outbox_due
from tests.helpers import make_consultation
from tests.staff_helpers import post, signed_in
from tests.test_staff_invitations import GOOD_CSV, upload

pytestmark = pytest.mark.backends("sqlite", "postgresql")

DAY = 24 * 60 * 60


def age(path: Path, days: float) -> None:
    """Make ``path`` look last changed ``days`` days ago."""
    then = time.time() - days * DAY
    os.utime(path, (then, then))


def test_only_old_files_holding_links_are_due(tmp_path):
    outbox = tmp_path / "outbox"
    assert outbox_due(outbox, 30) == []  # no outbox yet: nothing to do, no error
    outbox.mkdir()
    names = {
        "batch-" + "a" * 32 + ".json": 40,
        "batch-" + "b" * 32 + ".part": 31,
        "mail-merge-20260101T120000000000.csv": 35,
        "20260101T120000-1.eml": 60,
        "batch-" + "c" * 32 + ".json": 29,  # too recent
        "mail-merge-20261201T120000000000.csv": 1,  # too recent
        "notes.txt": 400,  # not a file holding links
    }
    for name, days in names.items():
        (outbox / name).write_text("link", encoding="utf-8")
        age(outbox / name, days)
    (outbox / "old.eml").mkdir()  # a folder is never deleted
    age(outbox / "old.eml", 90)
    due = [path.name for path in outbox_due(outbox, 30)]
    assert due == [  # oldest first
        "20260101T120000-1.eml",
        "batch-" + "a" * 32 + ".json",
        "mail-merge-20260101T120000000000.csv",
        "batch-" + "b" * 32 + ".part",
    ]
    assert [path.name for path in outbox_due(outbox, 45)] == ["20260101T120000-1.eml"]


def test_purge_deletes_old_batches_mail_merges_and_emails(app):
    consultation = make_consultation()
    client = signed_in(app, "editor")
    assert upload(client, GOOD_CSV).status_code == 302
    page_url = f"/staff/consultations/{consultation.id}/invitations"
    ids = [str(o.id) for o in db.session.scalars(select(Organisation))]
    sent = post(client, f"{page_url}/send", {"organisation": ids}, page_url=page_url)
    summary = sent.headers["Location"]
    assert client.get(summary).status_code == 200
    outbox = Path(app.instance_path) / "outbox"
    files = sorted(outbox.iterdir())
    kinds = sorted({path.suffix for path in files})
    assert kinds == [".csv", ".eml", ".json"] and len(files) == 4  # batch, CSV, two emails
    merge = next(path.name for path in files if path.suffix == ".csv")
    assert client.get(f"/staff/outbox/{merge}").status_code == 200
    (Path(app.instance_path) / "keep.txt").write_text("not in the outbox", encoding="utf-8")

    runner = app.test_cli_runner()
    recent = runner.invoke(args=["purge"])
    assert recent.exit_code == 0
    assert "0 outbox files holding invitation links" in recent.output
    assert sorted(outbox.iterdir()) == files

    for path in files:
        age(path, 31)
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert "4 outbox files holding invitation links" in dry.output
    assert "older than 30 days would be deleted" in dry.output
    assert sorted(outbox.iterdir()) == files

    kept = runner.invoke(args=["purge", "--outbox-days", "60"])
    assert "0 outbox files" in kept.output and sorted(outbox.iterdir()) == files

    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0
    assert "4 outbox files holding invitation links" in done.output
    assert "older than 30 days were deleted" in done.output
    assert list(outbox.iterdir()) == []
    assert (Path(app.instance_path) / "keep.txt").exists()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outbox_files_deleted"))
    assert event is not None and '"files": 4' in event.detail
    # The batch's summary and its mail-merge file are gone, as any unknown ones: not found.
    assert client.get(summary).status_code == 404
    assert client.get(f"/staff/outbox/{merge}").status_code == 404


def test_outbox_days_null_keeps_everything(app, tmp_path):
    outbox = Path(app.instance_path) / "outbox"
    outbox.mkdir(parents=True)
    old = outbox / "mail-merge-20200101T000000000000.csv"
    old.write_text("organisation,email,link\n", encoding="utf-8")
    age(old, 400)
    app.config["OUTBOX_DAYS"] = None
    done = app.test_cli_runner().invoke(args=["purge"])
    assert done.exit_code == 0 and "outbox" not in done.output and old.exists()
    assert clean_outbox(outbox, 365, dry_run=True) == [old] and old.exists()
    assert clean_outbox(outbox, 365) == [old] and not old.exists()


def test_the_summary_page_says_when_its_links_are_deleted(app):
    consultation = make_consultation()
    client = signed_in(app, "editor")
    assert upload(client, GOOD_CSV).status_code == 302
    page_url = f"/staff/consultations/{consultation.id}/invitations"
    ids = [str(o.id) for o in db.session.scalars(select(Organisation))][:1]
    summary = post(client, f"{page_url}/send", {"organisation": ids}, page_url=page_url)
    text = client.get(summary.headers["Location"]).get_data(as_text=True)
    assert "the file are deleted from the server 30 days after sending" in text
    app.config["OUTBOX_DAYS"] = None
    text = client.get(summary.headers["Location"]).get_data(as_text=True)
    assert "deleted from the server" not in text
