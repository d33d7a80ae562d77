"""words31 #2: ``consult-analyse`` refuses bad input (a missing file, an unknown column, a bad
option value) with exit 2 and its one-line message before importing scikit-learn, SciPy, NLTK
or numpy: the models are imported inside the commands once the input is checked (a refusal
cost 1.5 CPU-s of imports before; BENCHMARKS.md "words31")."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sklearn", "scipy", "nltk", "numpy")

# Runs main() in a fresh interpreter, then says its exit code, stderr's last line and which
# heavy modules were imported.
PROBE = f"""
import contextlib, io, json, sys
from analysis.cli import main
err = io.StringIO()
with contextlib.redirect_stderr(err):
    try:
        code = main(json.loads(sys.argv[1]))
    except SystemExit as stop:
        code = stop.code
heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)
print(json.dumps([code, err.getvalue().strip().splitlines()[-1], heavy]))
"""


def refuse(args: list[str]) -> tuple[int, str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    code, message, heavy = json.loads(done.stdout)
    return code, message, heavy


@pytest.fixture
def survey(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("id,answer\n1,More buses please\n2,Cheaper fares\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["themes", "code"])
def test_refusals_import_nothing_heavy(command, survey, tmp_path):
    out = str(tmp_path / "out")
    cases = [
        ([str(tmp_path / "missing.csv"), "--text-column", "answer"], "missing.csv"),
        ([str(survey), "--text-column", "nope"], "nope"),
        ([str(survey), "--text-column", "answer", "--engine", "quick"], "--engine"),
    ]
    if command == "themes":
        cases += [
            ([str(survey), "--text-column", "answer", "--tone-weight", "2"], "tone"),
            ([str(survey), "--text-column", "answer", "--themes", "1"], "themes"),
        ]
    else:
        cases += [([str(survey), "--text-column", "answer", "--confidence-floor", "2"], "floor")]
    for args, named in cases:
        code, message, heavy = refuse([command, *args, "--out", out])
        assert code == 2, (args, message)
        assert message.startswith("consult-analyse") and named in message, message
        assert heavy == [], (args, heavy)


def test_the_light_names_agree_with_the_library():
    from analysis import options, represent, stance_cells, stance_model, tone

    assert sorted(options.ENGINE_NAMES) == sorted(represent.ENGINES)
    assert represent.ENCODERS == options.ENCODERS
    assert tone.check_tone_weight is options.check_tone_weight
    assert stance_model.parse_stance is stance_cells.parse_stance
