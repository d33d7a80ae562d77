"""The praise cues the sentiment probe grades praise by."""

from __future__ import annotations

import numpy as np

from analysis.praise_intensity import NAMES, intensity_features, intensity_matrix


def cues(text: str) -> dict[str, float]:
    return dict(zip(NAMES, intensity_features(text), strict=True))


def test_warm_praise_has_more_of_every_cue_than_lukewarm_praise():
    warm = cues("Excellent care! All the staff were amazing and so kind. Thank you, 10/10.")
    lukewarm = cues("It was ok.")
    assert warm["superlatives"] == 3  # excellent, amazing, 10/10
    assert warm["everyone"] == 1 and warm["thanks"] == 1 and warm["exclamations"] == 1
    assert warm["intensifiers"] == 1  # "so"
    assert lukewarm["lukewarm"] == 1 and lukewarm["superlatives"] == 0
    assert warm["log words"] > lukewarm["log words"] and warm["parts"] > lukewarm["parts"]


def test_counts_are_capped_and_cant_fault_is_a_superlative():
    assert cues("Amazing amazing amazing amazing amazing!!!!!!")["superlatives"] == 3
    assert cues("Amazing amazing amazing amazing amazing!!!!!!")["exclamations"] == 3
    assert cues("Couldn't fault them.")["superlatives"] == 1
    assert cues("Can't fault the care")["superlatives"] == 1


def test_matrix_has_a_row_per_answer_even_when_empty():
    assert intensity_matrix([]).shape == (0, len(NAMES))
    matrix = intensity_matrix(["Fine", "", "Brilliant staff, thank you!"])
    assert matrix.shape == (3, len(NAMES)) and np.isfinite(matrix).all()
    assert (matrix[1] == 0).all()
