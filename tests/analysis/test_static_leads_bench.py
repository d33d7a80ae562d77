"""The static-vector leads benchmark (``bench/static_leads.py``, BENCHMARKS.md "vec34"):
its PCA remakes the shipped table's recipe, names parse into (dimensions, smoothing, share),
and each variant gives k themes, the same on a rerun, leaving the representation module as
it was."""

from __future__ import annotations

import numpy as np

from analysis import represent, static_vectors
from analysis.static_vectors import StaticVectors
from bench import grouping_leads
from bench import static_leads as bench

TOPICS = (
    "the buses are late and the bus timetable is never kept",
    "rents are too high and housing costs keep rising",
    "the park needs more trees and cleaner paths, lovely staff",
    "school classes are too big for the teachers",
    "hospital waiting lists for a doctor are far too long and terrible",
    "street lights are broken and the roads are dark at night",
)
TEXTS = [f"{TOPICS[i % len(TOPICS)]}, said resident {i} of ward {i % 7}" for i in range(90)]


def test_names_parse():
    assert bench.parse("off") == (static_vectors.DIMENSIONS, static_vectors.SMOOTHING, None)
    assert bench.parse("pca 256 smooth 1e-4 share 0.6") == (256, 1e-4, 0.6)
    assert bench.parse("raw share 0.4")[0] is None


def test_reduced_keeps_leading_components_and_all_is_a_rotation():
    pieces = np.random.default_rng(0).normal(size=(500, 384)) * np.linspace(3, 0.1, 384)
    small, full = bench.reduced(pieces, 16), bench.reduced(pieces, 384)
    assert small.shape == (500, 16) and full.shape == (500, 384)
    assert np.allclose(small, full[:, :16], atol=1e-4)
    centred = pieces - pieces.mean(axis=0)
    gram = centred @ centred.T
    assert np.allclose(full.astype(np.float64) @ full.T, gram, rtol=1e-4, atol=1e-2)
    assert np.array_equal(bench.reduced(pieces, None), pieces.astype(np.float32))


def test_variants_partition_into_k_and_rerun_identically(monkeypatch):
    size = static_vectors._tokenizer().get_vocab_size()
    fake = np.random.default_rng(1).normal(size=(size, 384))
    monkeypatch.setattr(bench, "pooled", lambda: fake)
    monkeypatch.setattr(bench, "_TABLES", {})
    run = grouping_leads.prepare(TEXTS, None, "fast", 0)
    for name in ("pca 256", "raw", "pca 384 smooth 1e-4", "share 0.7"):
        done = bench.rebuilt(run, name)
        assert not np.array_equal(done.vectors, run.vectors), name
        first = grouping_leads.themes_of(done, 6, "fast", 0)
        again = grouping_leads.themes_of(bench.rebuilt(run, name), 6, "fast", 0)
        assert first.k == 6 and set(first.labels) <= set(range(6)), name
        assert np.array_equal(first.labels, again.labels), name
    assert represent.StaticVectors is StaticVectors
