"""The count-grid benchmark (``bench/count_grid.py``): a set's row holds the count rule's
pieces, and the automatic fit scores as the fit given its count (what lets a count rule be
scored from the table without refitting)."""

from __future__ import annotations

from bench import count_grid as bench

TOPICS = (
    "the buses are late and the bus timetable is never kept",
    "rents are too high and housing costs keep rising",
    "the park needs more trees and cleaner paths",
    "school classes are too big for the teachers",
    "hospital waiting lists for a doctor are far too long",
    "street lights are broken and the roads are dark at night",
)


def test_grid_row_scores_auto_as_the_fit_given_its_count():
    texts = [f"{TOPICS[i % len(TOPICS)]}, said resident {i} of ward {i % 7}" for i in range(90)]
    row = bench.grid("toy", texts, lambda model: int(model.n_themes_), range(5, 8), k=6)
    assert row["distinct"] == 90 and row["weight"] == 90.0 and row["k"] == 6
    assert set(row["merge"]) == {str(t) for t in bench.THRESHOLDS}
    assert row["auto_k"] == row["rule"] == row["auto"]
    assert row["given"] == {"5": 5, "6": 6, "7": 7}
