"""The consensus-leads benchmark (``bench/consensus_leads.py``, BENCHMARKS.md "nmif34"): short
answers' head words, the pull towards their group, and each family of leads giving a partition
into the themes asked for, the same on a rerun."""

from __future__ import annotations

import numpy as np

from bench import consensus_leads as bench
from bench import grouping_leads

TOPICS = (
    "the buses are late and the bus timetable is never kept",
    "rents are too high and housing costs keep rising",
    "the park needs more trees and cleaner paths",
    "school classes are too big for the teachers",
    "hospital waiting lists for a doctor are far too long",
    "street lights are broken and the roads are dark at night",
)
TEXTS = [f"{TOPICS[i % len(TOPICS)]}, said resident {i} of ward {i % 7}" for i in range(90)]
TEXTS += ["Buses.", "Late buses.", "Rents.", "High rents", "Parks"]


def test_heads_of_short_answers_only():
    tokens = [["food"], ["good", "food", "good_food"], ["staff", "friendli"], list("abcd")]
    assert bench.heads(tokens, "last") == ["food", "food", "friendli", None]
    assert bench.heads(tokens, "common") == ["food", "food", "staff", None]


def test_short_pull_moves_short_answers_sharing_a_head_together():
    rng = np.random.default_rng(0)
    vectors = bench.normalize(rng.normal(size=(4, 8))).astype(np.float32)
    tokens = [["food"], ["good", "food"], ["staff"], ["long", "answer", "here", "and", "more"]]
    moved = bench.short_pull(vectors, np.ones(4), tokens, 1.0, "last")
    assert np.allclose(moved[0], moved[1]) and not np.allclose(vectors[0], vectors[1])
    assert np.allclose(moved[2:], vectors[2:])  # alone under its head, or not short
    half = bench.short_pull(vectors, np.ones(4), tokens, 0.5, "last")
    assert half[0] @ half[1] > vectors[0] @ vectors[1]


def test_each_lead_partitions_into_k_and_reruns_identically():
    run = grouping_leads.prepare(TEXTS, None, "fast", 0)
    sets = [("toy", "single", run, [("toy", [i % 6 for i in range(90)] + [0, 0, 1, 1, 2])])]
    for name in (
        "off",
        "E1 4",
        "E2 views",
        "E3 nmf",
        "N1 nmf start",
        "A1 ward 10",
        "O1 over 3",
        "S1 last 1",
    ):
        first = bench.score(sets, "fast", 0, bench.VARIANTS[name])
        again = bench.score(sets, "fast", 0, bench.VARIANTS[name])
        assert first == again and 0 <= first["toy"] <= 100, name
        variant = bench.VARIANTS[name]
        bench.RUN_NOW.append(run)
        try:
            vectors = variant["prep"](run) if "prep" in variant else None
            done = grouping_leads.themes_of(run, 6, "fast", 0, variant.get("find"), vectors)
        finally:
            bench.RUN_NOW.clear()
        assert done.k == 6 and set(done.labels) <= set(range(6)), name
    assert grouping_leads.themes_of.__module__ == "bench.grouping_leads"  # patch undone
    assert grouping_leads.stages.find_themes is grouping_leads.ORIGINAL_FIND
