"""smoke30b #3: a cold start's suggestions cover the codebook's themes (analysis.suggest's
``COLD_ROUND_ROBIN``): a new codebook's first batch in the web app was 8 of 10 one theme's,
the spread of typical responses filling up with the largest theme."""

from __future__ import annotations

import random
from collections import Counter

import pytest

import analysis.suggest as suggest_module
from analysis.coding import CodingModel
from analysis.suggest import suggest
from tests.analysis.fixtures import TOPICS
from tests.analysis.test_coding import BOOK, FOR


def lopsided_rows(count: int = 120, seed: int = 5) -> list[dict]:
    """Synthetic answers written by the test, one topic each: three in four on buses."""
    rng = random.Random(seed)
    topics = sorted(TOPICS)
    rows = []
    for _ in range(count):
        theme = "buses" if rng.random() < 0.75 else rng.choice([t for t in topics if t != "buses"])
        text = f"{rng.choice(FOR)} {rng.choice(TOPICS[theme])}"
        rows.append({"text": text, "truth": theme})
    return rows


@pytest.fixture(scope="module")
def cold():
    rows = lopsided_rows()
    texts = [r["text"] for r in rows]
    return rows, CodingModel(engine="fast").fit(texts, [None] * len(rows), BOOK)


def _themes(rows, picks) -> list[str]:
    return [rows[p.row]["truth"] for p in picks]


def test_a_cold_start_batch_takes_the_themes_in_turn(cold):
    rows, model = cold
    picks = suggest(6, model.vectors_, coding=model)
    assert len(picks) == 6 and len({p.row for p in picks}) == 6
    assert all(p.reason == "a typical response not yet like any coded one" for p in picks)
    closest = [model.theme_ids_[model.proba_[p.row].argmax()] for p in picks]
    # every theme the model puts any response closest to, in its first three picks
    reached = {model.theme_ids_[j] for j in model.proba_.argmax(axis=1)}
    assert set(closest[: len(reached)]) == reached, closest
    shown = Counter(_themes(rows, picks))
    assert len(shown) >= 3 and max(shown.values()) <= 3, shown


def test_without_the_rule_the_largest_theme_fills_the_batch(cold, monkeypatch):
    """What the rule changes: the one spread of typical responses (the rule off) asks for
    more of the largest theme's answers than the turns do."""
    rows, model = cold
    turns = Counter(_themes(rows, suggest(6, model.vectors_, coding=model)))
    monkeypatch.setattr(suggest_module, "COLD_ROUND_ROBIN", False)
    spread = Counter(_themes(rows, suggest(6, model.vectors_, coding=model)))
    assert spread["buses"] > turns["buses"], (spread, turns)


def test_cold_suggestions_are_the_same_on_a_rerun(cold):
    rows, model = cold
    first = suggest(10, model.vectors_, coding=model)
    assert suggest(10, model.vectors_, coding=model) == first
    assert len({p.row for p in first}) == 10
