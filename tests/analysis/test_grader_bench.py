"""The grader replay (``bench/grader.py``) passes the question's wording when asked."""

from __future__ import annotations

import subprocess

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
