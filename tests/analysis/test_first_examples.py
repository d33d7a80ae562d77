"""Themes nobody has coded yet: the command line's summary line and ``metrics.json`` name
them, and suggestions can ask for a first example of each (``FIRST_SHARE``, off by default)
(smoke walk 3, finding 12)."""

from __future__ import annotations

import csv
import json
import random

import numpy as np
import pytest

from analysis.agreement import coding_metrics
from analysis.cli import main
from analysis.coding import CodingModel
from analysis.coverage import no_example, no_example_note
from analysis.suggest import suggest
from tests.analysis.test_coding import BOOK, _book, coded_rows

FIRST = "may be the first example of theme skills, which has no coded example"
# as suggest.csv words it for a person: the codebook's name beside the id (smoke9 22)
FIRST_NAMED = (
    "may be the first example of theme skills (Skills and colleges), which has no coded example"
)


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return coded_rows(count=160, seed=8)


@pytest.fixture
def first_share(monkeypatch):
    """First examples asked for in a quarter of each batch (the option measured)."""
    import analysis.suggest as module

    assert module.FIRST_SHARE == 0.0  # off by default
    monkeypatch.setattr(module, "FIRST_SHARE", 0.25)


def _without_skills(rows, share: float = 0.25, seed: int = 0) -> list:
    """Labels for a seeded share of the rows that have no 'skills' theme; the rest uncoded."""
    rng = random.Random(seed)
    return [
        r["truth"] if "skills" not in r["truth"] and rng.random() < share else None for r in rows
    ]


def test_a_theme_nobody_coded_gets_a_suggestion_naming_it(rows, first_share):
    labels = _without_skills(rows)
    texts = [r["text"] for r in rows]
    model = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert no_example(model) == ["skills"]
    assert not any("skills" in model.coded_[i] for i in range(len(rows)) if labels[i] is None)
    picks = suggest(8, model.vectors_, coding=model)
    assert len({p.row for p in picks}) == 8
    assert all(labels[p.row] is None for p in picks)
    # two places of eight (a quarter), but only one theme lacks an example: one place
    assert [p.reason for p in picks].count(FIRST) == 1
    assert picks[0].reason == FIRST
    assert "skills" in rows[picks[0].row]["truth"]  # the codebook entry found a real example
    # the doubt-based picks could not reach it: the model never gives the theme
    assert not any(p.reason.endswith("skills applies") for p in picks[1:])


def test_first_examples_are_an_option(rows, monkeypatch):
    import analysis.suggest as module

    labels = _without_skills(rows)
    model = CodingModel(engine="fast").fit([r["text"] for r in rows], labels, BOOK)
    assert not [p for p in suggest(8, model.vectors_, coding=model) if p.reason == FIRST]
    # once every theme has an example, no place is reserved
    covered = list(labels)
    skills = next(i for i, r in enumerate(rows) if "skills" in r["truth"])
    covered[skills] = rows[skills]["truth"]
    monkeypatch.setattr(module, "FIRST_SHARE", 0.25)
    model = CodingModel(engine="fast").fit([r["text"] for r in rows], covered, BOOK)
    assert no_example(model) == []
    assert not [p for p in suggest(8, model.vectors_, coding=model) if "first" in p.reason]


def test_several_themes_without_examples_share_the_places_and_stay_diverse(rows, first_share):
    labels = [
        r["truth"] if r["truth"] == frozenset({"buses"}) and i % 3 == 0 else None
        for i, r in enumerate(rows)
    ]
    model = CodingModel(engine="fast").fit([r["text"] for r in rows], labels, BOOK)
    assert no_example(model) == ["housing", "skills"]
    picks = suggest(8, model.vectors_, coding=model)
    first = [p for p in picks if p.reason.startswith("may be the first example")]
    named = sorted(p.reason.split()[7].rstrip(",") for p in first)
    assert named == ["housing", "skills"]  # one place each, within a quarter of eight
    found = [frozenset(rows[p.row]["truth"]) for p in first]
    assert any("housing" in t for t in found) and any("skills" in t for t in found)
    assert picks[:2] == first  # at the head of the batch
    assert len(suggest(1, model.vectors_, coding=model)) == 1  # at least one place


def test_metrics_name_the_themes_without_an_example(rows):
    labels = _without_skills(rows)
    model = CodingModel(engine="fast").fit([r["text"] for r in rows], labels, BOOK)
    metrics = coding_metrics(model, curve=False)
    assert metrics["no_example"] == ["skills"]
    assert metrics["no_example_note"] == (
        "1 of 3 themes has no coded example yet: skills (Skills and colleges); the model "
        "cannot give it until "
        "people code a response with it: find and code one"
    )
    cold = CodingModel(engine="fast").fit([r["text"] for r in rows], [None] * len(rows), BOOK)
    assert coding_metrics(cold, curve=False)["no_example"] == []  # coded by similarity
    many = no_example_note([f"t{k}" for k in range(10)], 12)
    assert many.startswith("10 of 12 themes have no coded example yet: t0, t1,")
    assert many.endswith(
        "t7 and 2 more; the model cannot give them until people code a response with each: "
        "find and code one for each"
    )


def test_cli_summary_and_metrics_name_the_themes_without_an_example(rows, tmp_path, capsys):
    labels = _without_skills(rows)
    data = tmp_path / "in.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rid", "answer", "codes"])
        for r, themes in zip(rows, labels, strict=True):
            cell = "" if themes is None else (";".join(sorted(themes)) or "-")
            writer.writerow([r["id"], r["text"], cell])
    out = tmp_path / "out"
    args = ["code", str(data), "--text-column", "answer", "--labels-column", "codes"]
    args += ["--id-column", "rid", "--codebook", str(_book(tmp_path / "book.csv"))]
    code = main([*args, "--engine", "fast", "--suggest", "6", "--out", str(tmp_path / "off")])
    assert code == 0, capsys.readouterr().err
    line = capsys.readouterr().out
    assert "1 of 3 themes has no coded example yet: skills (Skills and colleges);" in line
    assert "find and code one (--first-examples suggests the responses most like them);" in line
    off = list(csv.DictReader((tmp_path / "off" / "suggest.csv").open(encoding="utf-8")))
    assert not [s for s in off if s["reason"] == FIRST_NAMED]  # off by default
    code = main(
        [*args, "--engine", "fast", "--suggest", "6", "--first-examples", "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    line = capsys.readouterr().out
    assert "1 of 3 themes has no coded example yet: skills (Skills and colleges);" in line
    assert "find and code one;" in line
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["themes"]["no_example"] == ["skills"]
    suggested = list(csv.DictReader((out / "suggest.csv").open(encoding="utf-8")))
    assert suggested[0]["reason"] == FIRST_NAMED
    texts = {r["id"]: r["truth"] for r in rows}
    assert "skills" in texts[suggested[0]["id"]]
    assert np.sum([s["reason"] == FIRST_NAMED for s in suggested]) == 1


def test_a_theme_given_from_its_codebook_examples_is_not_called_ungivable(rows):
    """The workspace's codebook from a run carries each theme's quotes as examples: the model
    gave such themes to dozens of responses while the page said it "cannot give" them
    (smoke walk 4, finding 12). Only a theme the model gave to no response is named."""
    from analysis.codebook import Code, Codebook

    labels = _without_skills(rows)
    texts = [r["text"] for r in rows]
    examples = tuple(r["text"] for r in rows if "skills" in r["truth"])[:8]
    skills = BOOK.codes[2]
    book = Codebook(
        (
            *BOOK.codes[:2],
            Code(skills.id, skills.name, skills.description, skills.keywords, examples),
        )
    )
    model = CodingModel(engine="fast").fit(texts, labels, book)
    given = [i for i in range(len(rows)) if labels[i] is None and "skills" in model.coded_[i]]
    assert given, "the codebook's examples let the model give the theme"
    assert no_example(model) == []
    assert coding_metrics(model)["no_example_note"] == ""


def test_the_default_share_waits_for_enough_coded_rows(rows, first_share, monkeypatch):
    """``FIRST_FROM``: the default share gives places only from that many coded rows; a share
    the caller asks for (the command line's ``--first-examples``) applies at once."""
    import analysis.suggest as module

    labels = _without_skills(rows)
    coded = sum(label is not None for label in labels)
    model = CodingModel(engine="fast").fit([r["text"] for r in rows], labels, BOOK)
    monkeypatch.setattr(module, "FIRST_FROM", coded + 1)
    assert not [p for p in suggest(8, model.vectors_, coding=model) if p.reason == FIRST]
    asked = suggest(8, model.vectors_, coding=model, first_share=0.25)
    assert asked[0].reason == FIRST
    monkeypatch.setattr(module, "FIRST_FROM", coded)
    assert suggest(8, model.vectors_, coding=model)[0].reason == FIRST
