"""review17 #9: a failure while the staged outputs are renamed into place (the last step of
:func:`analysis.output.all_or_nothing`) is an InputError (the CLI's exit 2 with one line), and
no temporary file is left behind."""

from __future__ import annotations

import os

import pytest

from analysis import output
from analysis.errors import InputError


def test_a_failed_rename_is_an_input_error_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    real_replace = os.replace
    calls = []

    def replace_then_fail(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", replace_then_fail)
    with (
        pytest.raises(InputError, match="No space left on device"),
        output.all_or_nothing(tmp_path),
    ):
        for name in ("one.csv", "two.csv", "three.csv"):
            output._atomic_write(tmp_path / name, lambda handle: handle.write("x\n"))
    assert len(calls) == 2
    assert not [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
