"""``consult-analyse themes`` and the learned answer projection (BENCHMARKS.md "ship33"): off by
default, ``--projection`` turns it on for the semantic engine and run.json records it, and asked
for without an installed projection the run goes on as off with one warning line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis import answer_projection
from analysis.cli import main
from analysis.represent import semantic_available
from tests.analysis.fixtures import responses, write_csv

pytestmark = [
    pytest.mark.coding_encoder,
    pytest.mark.skipif(not semantic_available(), reason="the semantic engine is not installed"),
]

WARNING = "warning: the learned answer projection is not installed"


@pytest.fixture
def survey(tmp_path) -> Path:
    return write_csv(tmp_path / "survey.csv", responses())


@pytest.fixture
def table(tmp_path, monkeypatch) -> Path:
    """A stand-in projection (384 x 4), installed through ``CONSULT_ANSWER_PROJECTION``."""
    stored = tmp_path / "answer-projection.npz"
    np.savez(stored, scalings=np.random.default_rng(0).normal(size=(384, 4)))
    monkeypatch.setenv(answer_projection.ENVIRONMENT, str(stored))
    return stored


def themes(survey: Path, out: Path, capsys, *extra: str) -> tuple[dict, bytes, str]:
    """Run the command; run.json, themes.json's bytes and stderr."""
    capsys.readouterr()
    code = main(
        [
            "themes",
            str(survey),
            "--text-column",
            "answer",
            "--engine",
            "semantic",
            "--themes",
            "3",
            "--quiet",
            "--out",
            str(out),
            *extra,
        ]
    )
    assert code == 0
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return run, (out / "themes.json").read_bytes(), capsys.readouterr().err


def test_off_by_default_and_projection_turns_it_on_and_is_recorded(survey, tmp_path, table, capsys):
    on, on_themes, said = themes(survey, tmp_path / "on", capsys, "--projection")
    assert on["settings"]["projection_weight"] == 0.15
    assert on["answer_projection"]["weight"] == 0.15
    assert "Trust A" in on["answer_projection"]["learned_on"]
    assert said == ""
    off, off_themes, said = themes(survey, tmp_path / "off", capsys)
    assert off["settings"]["projection_weight"] == 0.0
    assert off["answer_projection"] is None
    assert said == ""
    again, again_themes, _said = themes(survey, tmp_path / "again", capsys, "--projection")
    assert again_themes == on_themes  # byte-identical rerun


def test_without_an_installed_projection_it_says_so_once_and_groups_as_off(
    survey, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(answer_projection.ENVIRONMENT, str(tmp_path / "none.npz"))
    answer_projection.warn_unavailable.cache_clear()
    run, missing, said = themes(survey, tmp_path / "missing", capsys, "--projection")
    assert said.count(WARNING) == 1 and said.count("\n") == 1, said
    assert "RuntimeWarning" not in said
    assert run["answer_projection"] is None
    _off, off, said = themes(survey, tmp_path / "off", capsys)
    assert said == ""
    assert missing == off
