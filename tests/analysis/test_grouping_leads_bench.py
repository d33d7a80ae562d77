"""The grouping-leads benchmark (``bench/grouping_leads.py``, BENCHMARKS.md "nmi30"): "off"
is the engine's own grouping (``fit_partition``'s labels), and each family of leads gives a
partition into the themes asked for, the same on a rerun."""

from __future__ import annotations

import numpy as np

from analysis.api import ThemeModel
from bench import grouping_leads as bench

TOPICS = (
    "the buses are late and the bus timetable is never kept",
    "rents are too high and housing costs keep rising",
    "the park needs more trees and cleaner paths",
    "school classes are too big for the teachers",
    "hospital waiting lists for a doctor are far too long",
    "street lights are broken and the roads are dark at night",
)
TEXTS = [f"{TOPICS[i % len(TOPICS)]}, said resident {i} of ward {i % 7}" for i in range(90)]


def test_off_is_the_engines_own_grouping_and_leads_partition_into_k():
    run = bench.prepare(TEXTS, None, "fast", 0)
    own = ThemeModel(n_themes=6, engine="fast", seed=0).fit_partition(TEXTS).labels_
    off = bench.themes_of(run, 6, "fast", 0)
    assert np.array_equal(off.labels, own)
    families = ("G1 ratio r3", "G1b r3", "G2 ward 0.5", "G3 spectral 15", "G4 points")
    for name in (*families, "R1 dims 32", "R2 static common 1", "R3 neighbours 5"):
        variant = bench.VARIANTS[name]
        vectors = bench.reweighed(run, variant["vectors"]) if "vectors" in variant else None
        done = bench.themes_of(run, 6, "fast", 0, variant.get("find"), vectors)
        again = bench.themes_of(run, 6, "fast", 0, variant.get("find"), vectors)
        assert done.k == 6 and set(done.labels) <= set(range(6)), name
        assert np.array_equal(done.labels, again.labels), name
    # the module's patches are undone after each call
    assert bench.stages.find_themes is bench.ORIGINAL_FIND
    assert bench.stages._points is bench.ORIGINAL_POINTS


def test_consensus_graph_and_abtt_leads_partition_into_k_and_keep_their_groups():
    """nmis34's leads (G5 consensus, G6 mutual-neighbour graphs, R4 all-but-the-top) give k
    themes, the same on a rerun; with "keep" each answer's primary theme is the finder's
    group, not its nearest centre; the memberships patch is undone."""
    run = bench.prepare(TEXTS, None, "fast", 0)
    names = ("G5 consensus 10 keep", "G5 consensus 10 spectral keep", "G6 mutual 15 keep")
    others = ("G5 bagged ward 10 keep", "G6 two-view 15 keep", "G7 louvain 15 keep")
    others = (*others, "R4 abtt 3", "R5 neighbours 0")
    for name in (*names, "G5 consensus 10 refine", *others):
        variant = bench.VARIANTS[name]
        vectors = bench.reweighed(run, variant["vectors"]) if "vectors" in variant else None
        keep = variant.get("keep", False)
        done = bench.themes_of(run, 6, "fast", 0, variant.get("find"), vectors, keep)
        again = bench.themes_of(run, 6, "fast", 0, variant.get("find"), vectors, keep)
        assert done.k == 6 and set(done.labels) <= set(range(6)), name
        assert np.array_equal(done.labels, again.labels), name
    assert bench.stages.memberships is bench.ORIGINAL_MEMBERSHIPS
    # "keep": the primaries are the finder's own groups even where a centre is nearer
    vectors = run.vectors
    groups = (np.arange(len(vectors)) // 15) % 6  # not the topics (i % 6)
    centers = bench.normalize(bench._sums(vectors, np.ones(len(vectors)), groups, 6))
    bench.KEEP_NOW.append(groups)
    try:
        kept = bench._kept_memberships(vectors, centers)
    finally:
        bench.KEEP_NOW.clear()
    nearest = bench.ORIGINAL_MEMBERSHIPS(vectors, centers)
    assert np.array_equal(kept.primary, groups)
    assert not np.array_equal(nearest.primary, groups)
    assert bench._kept_memberships(vectors, centers).primary.tolist() == nearest.primary.tolist()
