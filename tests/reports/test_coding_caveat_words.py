"""smoke27 findings on the coding page and its Word summary, with 15 responses coded over 7
themes by one person:

- "Too few coded responses to tell how good the model is: 15 coded, using 7 themes. A figure to
  go by needs at least 20, with at least 2 themes used." and, two sentences on, "it needs at
  least 20 coded responses, with at least 2 themes used": the themes condition was met (7
  used), so naming it read as if 7 themes were the trouble. It is named only when it is not met.
- The warning over "Apply the model to the rest", after the model had been measured at F1 0.78
  on those 15, went on "Its agreement is first measured once people have coded 10": it had been.
  That clause is left out once a figure is given.
- With nobody's codes yet it said "Code 20 more (20 in all)": "Code 20" says it.
"""

from __future__ import annotations

from consult.reports import coding
from consult.reports.coding_models import MachineCoding


def _themes(coded: int, used: int, f1: float | None = None) -> dict:
    """Sample-F1 metrics as the coding worker stores them: ``used`` themes with support."""
    per_theme = [{"support": 1 if n < used else 0} for n in range(9)]
    return {"coded": coded, "per_theme": per_theme, "sample_f1": f1}


def test_too_few_coded_over_enough_themes_does_not_name_the_themes_condition():
    said = coding.too_few_to_tell(_themes(15, 7))
    assert said == (
        "Too few coded responses to tell how good the model is: 15 coded. A figure to go by "
        f"needs at least {coding.F1_MIN_CODED}. Treat the F1 as a rough guide only: code "
        "more, then apply the model again."
    )
    assert "themes used" not in coding._not_yet_comparable(_themes(15, 7))
    assert coding._not_yet_comparable(_themes(15, 7)) == (
        " An F1 tested on only 15 coded responses cannot be compared with that yet: it needs "
        f"at least {coding.F1_MIN_CODED} coded responses."
    )


def test_too_few_themes_still_names_the_themes_condition():
    one = coding.too_few_to_tell(_themes(25, 1))
    assert one == (
        "Too few coded responses to tell how good the model is: 25 coded, using 1 theme. A "
        f"figure to go by needs at least {coding.F1_MIN_CODED}, with at least "
        f"{coding.F1_MIN_THEMES} themes used. Treat the F1 as a rough guide only: code more, "
        "then apply the model again."
    )
    both = coding.too_few_to_tell(_themes(12, 1))
    assert "12 coded, using 1 theme." in both and "with at least 2 themes used" in both
    assert coding._not_yet_comparable(_themes(25, 1)).endswith(
        f"it needs at least {coding.F1_MIN_CODED} coded responses, with at least "
        f"{coding.F1_MIN_THEMES} themes used."
    )
    assert coding.too_few_to_tell(_themes(20, 2)) == ""


def test_a_measured_figure_is_not_followed_by_when_it_is_first_measured():
    latest = MachineCoding(human_count=15, metrics={"themes": _themes(15, 7, 0.78)})
    said = coding.apply_warning(15, latest)
    assert said == (
        "People have coded 15 responses. That is too few to judge how good the model is. When "
        "it was last applied, it agreed with people at F1 0.78, tested on only 15 coded "
        f"responses. Code 5 more ({coding.F1_MIN_CODED} in all) before you rely on it. You "
        "can still apply it now, as a first look."
    )
    assert said.count(str(coding.F1_MIN_CODED)) == 1  # the 20 said once (smoke29)


def test_with_nothing_coded_it_says_how_many_to_code_once():
    said = coding.apply_warning(0, None)
    assert f"Code {coding.F1_MIN_CODED} before you rely on it." in said
    assert "in all)" not in said
    # Some coded, not yet measured: the old advice stands.
    assert "first measured once people have coded 10" in coding.apply_warning(8, None)
    assert f"Code 12 more ({coding.F1_MIN_CODED} in all)" in coding.apply_warning(8, None)
    # the 20 once in every state (smoke29): it was said again as "told reliably from 20"
    for coded in (0, 8, 10, 15):
        said = coding.apply_warning(coded, None)
        assert said.count(str(coding.F1_MIN_CODED)) == 1 and "told reliably" not in said
