"""The static view's learned projection (``bench/static_projection.py``, BENCHMARKS.md
"nmif34"): at beta 0 the fast engine groups as it is; above 0 the projection changes the
vectors and reruns are identical."""

from __future__ import annotations

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

from analysis.static_vectors import StaticVectors
from bench import grouping_leads, static_projection
from bench import vector_leads as V

TOPICS = (
    "the buses are late and the bus timetable is never kept",
    "rents are too high and housing costs keep rising",
    "the park needs more trees and cleaner paths",
    "school classes are too big for the teachers",
)
TEXTS = [f"{TOPICS[i % len(TOPICS)]}, said resident {i} of ward {i % 7}" for i in range(60)]


def test_beta_zero_is_the_engine_and_beta_above_is_rerun_identical():
    run = grouping_leads.prepare(TEXTS, None, "fast", 0)
    lda = LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto").fit(
        StaticVectors().fit_transform(TEXTS), np.arange(60) % 4
    )
    off = V.rebuilt(run, V.fresh)
    zero = V.rebuilt(run, static_projection.joined(lda, 0.0))
    assert np.allclose(zero.vectors, off.vectors, atol=1e-5)
    assert np.allclose(off.vectors, run.vectors, atol=1e-6)
    on = V.rebuilt(run, static_projection.joined(lda, 0.5))
    again = V.rebuilt(run, static_projection.joined(lda, 0.5))
    assert not np.allclose(on.vectors, off.vectors, atol=1e-3)
    assert np.array_equal(on.vectors, again.vectors)
    first = grouping_leads.themes_of(on, 4, "fast", 0)
    assert np.array_equal(first.labels, grouping_leads.themes_of(again, 4, "fast", 0).labels)
