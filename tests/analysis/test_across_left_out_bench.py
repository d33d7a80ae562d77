"""count34: bench.label_point_rules' ``across_left_out``, the rows a whole-question count
leaves out when a point is made from one side (``stages.SPREAD_SIDES``), and how many of them
make the label's point by the demo's planted truth."""

from __future__ import annotations

import numpy as np

from analysis import stages
from bench.label_point_rules import across_left_out

# six rows, one distinct answer each, all making label 0's point by the vectors; rows 0-3 for
# (the point's side), rows 4-5 against: row 4 truly makes it (a wrong exclusion), row 5 not
MAKES = np.array([[True, False]] * 6)
STANCES = ["for"] * 4 + ["against"] * 2


def test_the_rows_left_out_and_those_making_the_point(monkeypatch):
    def label_spread(run):
        return stages.spread(MAKES, list(range(6)), [0, 0, 1, 1, 0, 1], [4, None], STANCES)

    monkeypatch.setattr(stages, "label_spread", label_spread)
    monkeypatch.setattr(stages, "SPREAD_SIDES", False)
    run = {
        "run": None,
        "name": "question",
        "labels": ["Fund the buses", "Build homes"],
        "planted": [{"buses"}, set()],
        "made": [{"buses"}] * 5 + [{"conditions"}],
    }
    lines = across_left_out([run])
    assert lines[0].endswith("Fund the buses (side for): 2 rows left out, 1 of them make its point")
    assert lines[-1] == "  rows left out: 2, making the label's point: 1"
    assert stages.SPREAD_SIDES is False  # put back as it was
