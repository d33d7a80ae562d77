"""An answer that fits no theme is counted in its nearest theme, but its words do not drive
that theme's keywords (smoke10 #5: "Coventry" among a climate theme's keywords, from an
answer on housing flagged as fitting no theme)."""

from __future__ import annotations

import numpy as np

from analysis.fit import FIT_FLOOR
from analysis.stages import keyword_members


def test_outliers_are_left_out_of_the_keywords_unless_a_theme_has_nothing_else():
    primary = np.array([0, 0, 0, 1, 1, 2])
    fit = np.array([0.0, FIT_FLOOR - 1, 1.0, FIT_FLOOR - 2, 0.5, FIT_FLOOR - 1])
    assert keyword_members(primary, fit, 3).tolist() == [0, -1, 0, -1, 1, 2]
    assert keyword_members(primary, None, 3).tolist() == primary.tolist()
    assert keyword_members(primary, np.zeros(6), 3).tolist() == primary.tolist()
