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
