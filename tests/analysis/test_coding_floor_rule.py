"""The floor rises while people have coded few answers (smoke8 #5): a model fitted on a
handful of codes is guessing, so its codes need more confidence to count."""

from __future__ import annotations

from analysis.coding_floor import (
    CONFIDENCE_FLOOR,
    EARLY_CODES,
    EARLY_FLOOR,
    few_codes,
    floor_for,
    floor_why,
    is_unsure,
)


def test_few_codes_raise_the_floor():
    assert floor_for(4, 9) == EARLY_FLOOR > CONFIDENCE_FLOOR
    assert floor_why(4, 9) == "the model has learnt from only 4 codes"
    assert floor_why(1, 3) == "the model has learnt from only 1 code"
    # the smoke walk's off-topic answer, coded at 0.1036 after 4 codes, is now unsure
    assert is_unsure(0.1036, floor_for(4, 9))


def test_the_floor_falls_to_the_base_as_coding_grows():
    assert few_codes(EARLY_CODES - 1, 3)
    assert not few_codes(EARLY_CODES, 3)
    assert few_codes(30, 20)  # fewer than 2 a theme
    assert floor_for(40, 20) == CONFIDENCE_FLOOR and floor_why(40, 20) == ""
    assert floor_for(200, 44) == CONFIDENCE_FLOOR


def test_a_higher_base_or_no_floor_is_kept():
    assert floor_for(4, 9, base=0.5) == 0.5 and floor_why(4, 9, base=0.5) == ""
    assert floor_for(4, 9, base=0.0) == 0.0  # 0 counts every guess
