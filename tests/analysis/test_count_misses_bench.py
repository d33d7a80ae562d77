"""The count-misses benchmark (``bench/count_misses.py``): the counts within 25 % of the
experts' and the best a count driven by the number of answers alone could do."""

from __future__ import annotations

from bench import count_misses as bench


def test_window_is_the_whole_counts_within_a_quarter():
    assert bench.window(7) == (6, 8)  # 5.25-8.75
    assert bench.window(8) == (6, 10)  # 6-10, both edges counted
    assert bench.window(11) == (9, 13)


def test_monotone_ceiling_counts_what_a_rising_rule_can_reach():
    # Sizes in order with k 11 then 7: no count rising with n fits both (9-13, then 6-8).
    assert bench.monotone_ceiling([(150, 11), (160, 7)]) == 1
    # k 7 then 11: 8 then 9 fits both.
    assert bench.monotone_ceiling([(150, 7), (160, 11)]) == 2
    # One size, k 7 and 11: one count for both, which no count can fit.
    assert bench.monotone_ceiling([(167, 7), (167, 11)]) == 1
    # k 7 and 9 at one size: 7 or 8 fits both.
    assert bench.monotone_ceiling([(167, 7), (167, 9)]) == 2
