"""One press of "Send invitations" or "Send reminders" as a batch with its own id, kept as a
small JSON file beside the mail-merge files in instance/outbox.

The form carries a new batch id each time it is drawn. Sending first claims the id (a file
created only if it does not exist yet, which is atomic across web processes), so a
double-click, a reload or Back then Resend finds the batch already claimed and shows its
summary instead of emailing everyone again. The summary page (reached by GET after a
redirect) reads the batch's file.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import asdict
from pathlib import Path
from typing import Any

from flask import current_app

from ..invitations import IssuedLink

BATCH_ID = re.compile(r"[0-9a-f]{32}")


def new_id() -> str:
    """A fresh batch id for a form."""
    return secrets.token_hex(16)


def valid_id(value: str | None) -> str | None:
    """The batch id a form sent, or None when it is not one."""
    return value if value and BATCH_ID.fullmatch(value) else None


def _path(batch_id: str) -> Path:
    return Path(current_app.instance_path) / "outbox" / f"batch-{batch_id}.json"


def read(batch_id: str) -> dict[str, Any] | None:
    """What was recorded for this batch, or None when there is no such batch."""
    if not valid_id(batch_id):
        return None
    try:
        return json.loads(_path(batch_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def claim(batch_id: str, consultation_id: int, reminder: bool, back: str) -> bool:
    """Mark the batch as being sent; False when it was claimed already (sent, or sending)."""
    path = _path(batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "consultation_id": consultation_id,
        "reminder": reminder,
        "back": back,
        "state": "sending",
    }
    try:
        with open(path, "x", encoding="utf-8") as handle:
            json.dump(record, handle)
    except FileExistsError:
        return False
    return True


def release(batch_id: str) -> None:
    """Give up a claim when sending failed before anything was recorded."""
    _path(batch_id).unlink(missing_ok=True)


def finish(batch_id: str, issued: list[IssuedLink], merge_file: str) -> None:
    """Record what was sent (every link and what happened to its email)."""
    path = _path(batch_id)
    record = json.loads(path.read_text(encoding="utf-8"))
    record.update(state="sent", merge_file=merge_file, issued=[asdict(item) for item in issued])
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(record), encoding="utf-8")
    os.replace(partial, path)


__all__ = ["claim", "finish", "new_id", "read", "release", "valid_id"]
