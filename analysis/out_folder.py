"""The CLI's output folder, checked before any work (and before anything heavy is imported:
words31, a refusal costs no scikit-learn import): it can be created and written to, and no
output's name in it is taken by a folder."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import InputError

THEMES_OUTPUTS = ("assignments.csv", "themes.json", "report.html", "run.json")


def check_out(out: Path, names: tuple[str, ...] = THEMES_OUTPUTS) -> None:
    """Stop before any work when the output folder cannot be created or written to, or
    an output's name in it is taken by a folder (or anything else not a file)."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder")
    for name in names:
        path = out / name
        if (path.exists() or path.is_symlink()) and not path.is_file():
            kind = "a folder" if path.is_dir() else "not a file"
            raise InputError(f"cannot write {path}: it is {kind}; move it or choose another --out")
    existing = out
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"cannot create the output folder {out}: {existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"cannot write to the output folder {out}: permission denied")
    _probe(out, existing)


def _probe(out: Path, existing: Path) -> None:
    """Make and remove an empty folder in ``existing`` (``out`` or its nearest existing
    parent), so a place that looks writable but is not (``/proc``, a read-only mount, root
    in ``/sys``) is refused before the input is read; nothing is left behind."""
    try:
        probe = tempfile.mkdtemp(prefix=".consult-out-check-", dir=existing)
    except OSError as error:
        verb = "write to" if existing == out else "create"
        raise InputError(f"cannot {verb} the output folder {out}: {error.strerror}") from None
    with contextlib.suppress(OSError):
        os.rmdir(probe)
