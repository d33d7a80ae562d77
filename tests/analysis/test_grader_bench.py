"""The grader replay (``bench/grader.py``) passes the question's wording when asked."""

from __future__ import annotations

import subprocess

import pytest

from analysis.codebook import Code, Codebook
from bench import grader


def _data(question: str | None) -> grader.Data:
    themes = [("bus", "The buses are late again"), ("rent", "Rents are far too high")]
    texts, truth = [], []
    for i in range(20):
        theme, text = themes[i % 2]
        texts.append(f"{text} in the town, number {i}")
        truth.append(frozenset({theme}))
    book = Codebook((Code(id="bus", name="Buses"), Code(id="rent", name="Rent")))
    return grader.Data("a motion", texts, truth, None, book, question)


def _commands(monkeypatch, tmp_path, question):
    seen, run = [], subprocess.run

    def spy(command, **kwargs):
        seen.append(command)
        return run(command, **kwargs)

    monkeypatch.setattr(grader.subprocess, "run", spy)
    result = grader.play(_data(question), 0, "fast", tmp_path, until=0.3, batch=2)
    assert result.rounds and all(0 <= r.f1_all <= 1 for r in result.rounds)
    return seen


def test_grader_passes_the_motion_as_question_only_when_asked(monkeypatch, tmp_path):
    asked = _commands(monkeypatch, tmp_path, "We should ban buses")
    assert all(c[c.index("--question") + 1] == "We should ban buses" for c in asked)
    plain = _commands(monkeypatch, tmp_path, None)
    assert all("--question" not in c for c in plain)


def test_question_from_motion_sets_each_motions_wording(monkeypatch):
    book = Codebook((Code(id="k", name="K"),))
    motions = {"We should ban x": (["a"], [frozenset()], ["for"], book)}
    monkeypatch.setattr(grader.bench, "argkp", lambda: motions)
    args = grader.argparse.Namespace(
        data="argkp", motions="1", themes_only=False, question_from_motion=True
    )
    assert [d.question for d in grader.datasets(args)] == ["We should ban x"]
    args.question_from_motion = False
    assert [d.question for d in grader.datasets(args)] == [None]


def test_in_process_calls_give_the_subprocess_loops_figures(tmp_path):
    """``--in-process`` (``analysis.cli.main`` called here) scores exactly as the subprocess
    loop does, round by round, so settings can be tried on it."""
    data = _data("We should ban buses")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    apart = grader.play(data, 0, "fast", tmp_path / "a", until=0.3, batch=2)
    here = grader.play(data, 0, "fast", tmp_path / "b", until=0.3, batch=2, in_process_cli=True)
    assert len(here.rounds) == len(apart.rounds) >= 2
    for ours, theirs in zip(here.rounds, apart.rounds, strict=True):
        assert (ours.coded, ours.f1_model, ours.f1_all) == (
            theirs.coded,
            theirs.f1_model,
            theirs.f1_all,
        )


def test_in_process_calls_report_a_refusal_as_its_exit_code(tmp_path):
    done = grader.run_command(["python", "-m", "analysis.cli", "code", str(tmp_path / "none.csv")])
    assert done.returncode == 2
    assert done.stderr.strip()


def test_v6_without_its_file_says_how_to_build_it(monkeypatch, tmp_path, capsys):
    """On a fresh machine there is no v6 CSV: the run stops with the command that builds it,
    not a traceback about a private path."""
    monkeypatch.setenv("CONSULT_DATA_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as stop:
        grader.main(["v6"])
    assert stop.value.code == 2
    message = capsys.readouterr().err
    assert f"no file at {tmp_path / 'v6.csv'}" in message
    assert "python -m bench.pxtextmining_v6 v6framework_230831.csv --out" in message
    (tmp_path / "v6.csv").write_text("text,labels\n", encoding="utf-8")
    assert grader.v6_file(None, None) == tmp_path / "v6.csv"  # found: no parser needed


def test_the_contract_check_names_changed_human_codes_and_a_wrong_order(tmp_path):
    """judge26: each call's ``coded.csv`` is checked against issue 13's contract."""
    data = _data(None)
    data.texts, data.truth = data.texts[:3], data.truth[:3]
    ids = ["r1", "r2", "r3"]
    head = "id,themes,source,confidence,stance,stance_source,stance_confidence,unsure\n"
    (tmp_path / "coded.csv").write_text(
        head + "r1,bus,human,1.0,,,,\nr2,rent,model,0.9,,,,\nr3,bus,model,0.4,,,,yes\n"
    )
    assert grader.contract_faults(data, ids, {0}, tmp_path) == []
    (tmp_path / "coded.csv").write_text(
        head + "r1,rent,human,1.0,,,,\nr2,rent,human,0.9,,,,\nr3,bus,model,0.4,,,,\n"
    )
    assert grader.contract_faults(data, ids, {0}, tmp_path) == [
        "1 human-coded rows whose themes changed",
        "1 rows with the wrong source",
    ]
    (tmp_path / "coded.csv").write_text("id,source,themes\nr2,model,bus\nr1,human,bus\n")
    faults = grader.contract_faults(data, ids, {0}, tmp_path)
    assert faults[0].startswith("coded.csv columns")
    assert faults[1] == "coded.csv is not one row per input row in input order"
