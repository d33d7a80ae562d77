"""Agreement figures say how many scored responses had no theme (each scores 1.0) and give
sample F1 over the responses with a theme (review finding 3)."""

from __future__ import annotations

import pytest

from analysis.agreement import intercoder, no_theme_figures
from analysis.coding import sample_f1


def test_no_theme_responses_are_counted_and_left_out_of_the_themed_f1():
    truth = [frozenset()] * 15 + [frozenset({"T1"})] * 10 + [frozenset({"T2"}), frozenset()]
    predicted = [frozenset()] * 15 + [frozenset({"T2"})] * 10 + [frozenset({"T2"})] * 2
    figures = no_theme_figures(truth, predicted)
    assert sample_f1(truth, predicted).mean() == pytest.approx(16 / 27)  # the headline
    assert figures["no_theme_by_people"] == 16 and figures["no_theme_by_both"] == 15
    assert figures["themed"] == 12
    assert figures["sample_f1_themed"] == pytest.approx(1 / 12, abs=1e-4)
    low, high = figures["sample_f1_themed_interval"]
    assert low <= figures["sample_f1_themed"] <= high
    assert figures["fair_to_compare"] is False


def test_a_comparison_is_fair_when_few_are_no_theme_on_both_sides():
    truth = [frozenset({"T1"})] * 19 + [frozenset()]
    figures = no_theme_figures(truth, list(truth))
    assert figures["fair_to_compare"] is True and figures["sample_f1_themed"] == 1.0
    nothing = no_theme_figures([frozenset()] * 3, [frozenset()] * 3)
    assert nothing["themed"] == 0 and nothing["sample_f1_themed"] is None
    assert nothing["fair_to_compare"] is False


def test_coders_agreement_carries_the_same_counts():
    first = [frozenset({"T1"}), frozenset(), frozenset(), frozenset({"T2"})]
    second = [frozenset({"T1"}), frozenset(), frozenset({"T1"}), frozenset({"T1"})]
    figures = intercoder(first, second, ["T1", "T2"])
    assert figures["sample_f1"] == 0.5 and figures["no_theme_by_both"] == 1
    assert figures["sample_f1_themed"] == pytest.approx(1 / 3, abs=1e-4)
