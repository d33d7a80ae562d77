"""A catch-all theme, whose answers mostly make several different points and whose label names
one of them, is flagged "mixed: answers making several different points" (smoke12 finding 8:
the walk's largest theme read as a real finding); an ordinary theme is not."""

from __future__ import annotations

from analysis.mixed import (
    CATCH_ALL_SIZE,
    FEW_KEYWORDS,
    MIXED_ABOVE_RUN,
    MIXED_MULTI,
    MIXED_TAG,
    RunMix,
    is_mixed,
    multi_point_share,
    run_mix,
)
from analysis.report import LABEL_FEW_TAG, render_report, theme_flags
from tests.analysis.test_cli_report_checks import _glance
from tests.analysis.test_cli_report_words import _document

SEVERAL = "The food was cold and tasteless. The staff were rude to my mother every night."
ONE = "Happy with the service"


def test_the_share_of_answers_making_several_points():
    assert multi_point_share([SEVERAL, SEVERAL, ONE, ONE]) == 0.5
    assert multi_point_share(["food could be better. Physio could be better", ONE]) == 0.5
    assert multi_point_share([ONE, "More quite and less lights."]) == 0.0
    assert multi_point_share([]) is None


def test_the_runs_mix_is_weighted_by_size_over_measured_themes():
    mix = run_mix([90, 10, 20], [0.6, 0.0, None])
    assert mix.multi_point == 0.54 and mix.mean_size == 40
    assert run_mix([5], [None]).multi_point is None


# the smoke12 walk (fast engine): 600 answers, 23 themes, 35 % of them making several points
WALK = RunMix(0.35, 600 / 23)


def test_a_large_theme_is_mixed_when_most_answers_make_several_points_well_above_the_runs():
    assert (MIXED_MULTI, MIXED_ABOVE_RUN) == (0.5, 0.2)
    # the walk's catch-all: 94 answers, 59 % making several points (fast: no label count)
    assert is_mixed(0.59, 94, WALK)
    assert not is_mixed(0.59, 20, WALK)  # smaller than the mean theme: not a catch-all
    assert not is_mixed(0.43, 94, WALK)  # T09's share: ordinary
    assert not is_mixed(None, 94, WALK)  # not measured
    # a run whose answers are mostly several points (the demo): 0.9 is not above it enough
    assert not is_mixed(0.9, 94, RunMix(0.79, 30))
    assert is_mixed(0.9, 94, RunMix(0.69, 30))
    # the semantic engine counted the label's point: only when fewer than half make it
    assert is_mixed(0.68, 71, WALK, 10, 93)
    assert not is_mixed(0.68, 71, WALK, 60, 93)


# the demo's "What opportunities should the deal unlock?" (fast engine, fastmix): 184 answers,
# 8 themes, 82 % of the run's answers making several points
DEMO_Q8 = RunMix(0.82, 184 / 8)


def test_a_fast_engine_catch_all_is_mixed_by_its_size_and_missing_keywords():
    """issue 12 (smoke14 finding 6): the demo's fast T01 "Simplify access to finance for
    start-ups and small businesses" held 97 answers, no distinctive words, 80 % of its answers
    making several points (below the run's 82 %), its commonest point made by 44 %."""
    assert (CATCH_ALL_SIZE, FEW_KEYWORDS) == (2.5, 2)
    assert not is_mixed(0.80, 97, DEMO_Q8)  # keywords not known: the earlier rule alone
    assert is_mixed(0.80, 97, DEMO_Q8, keywords=0)
    assert is_mixed(0.85, 72, RunMix(0.74, 191 / 9), keywords=2)  # the demo's Q3 T01
    # a large theme with words of its own (the demo's Q2 T01: 86 answers, ten keywords)
    assert not is_mixed(0.91, 86, RunMix(0.79, 32), keywords=10)
    assert not is_mixed(0.91, 86, RunMix(0.79, 32), keywords=3)
    # not large enough: twice the mean theme (the demo's Q14 T01: 26 answers of 110)
    assert not is_mixed(0.6, 26, RunMix(0.53, 110 / 8), keywords=0)
    # most of its answers make one point: not a catch-all however large
    assert not is_mixed(0.27, 97, DEMO_Q8, keywords=0)
    # the label's point counted (the fast engine too, count18): a large theme without words
    # of its own is a catch-all whatever the count (static vectors over-count its label)
    assert is_mixed(0.80, 97, DEMO_Q8, 74, 101, keywords=0)
    assert is_mixed(0.80, 97, DEMO_Q8, 30, 100, keywords=0)
    assert not is_mixed(0.80, 97, DEMO_Q8, 30, 100, keywords=5)  # multi below the run's


def test_the_flag_is_said_before_the_labels():
    assert theme_flags(0.9, 123, None, mixed=True) == [MIXED_TAG]
    assert theme_flags(0.9, 93, 10, mixed=True) == [MIXED_TAG, LABEL_FEW_TAG]
    assert theme_flags(0.9, 93, 10) == [LABEL_FEW_TAG]
    # too few answers: that is the only flag
    assert theme_flags(0.9, 12, None, few=True, mixed=True) == ["too few answers: do not quote"]


def test_the_cli_report_shows_the_flag_in_the_check_column():
    document = _document(stance_measured=True)
    document["summary"]["answered"] = 200
    catch_all, ordinary, short = document["themes"]
    catch_all |= {"label": "Need to communicate differently", "multi_point": 0.7}
    ordinary |= {"multi_point": 0.1}
    short |= {"multi_point": 0.2}
    sizes = [t["size"] for t in document["themes"]]
    assert catch_all["size"] >= sum(sizes) / 3  # as large as the mean theme
    glance = _glance(render_report(document))
    assert glance["T01 Need to communicate differently"][-1] == (
        "Mixed: answers making several different points"
    )
    assert glance["T02 Theme 2"][-1] == "Nothing flagged –"
    assert glance["T03 Theme 3"][-1] == "Nothing flagged –"
    # a document stored before the measure: nothing flagged
    for theme in document["themes"]:
        theme.pop("multi_point")
    assert _glance(render_report(document))["T01 Need to communicate differently"][-1] == (
        "Nothing flagged –"
    )


def test_the_cli_report_flags_a_fast_catch_all_without_keywords():
    document = _document(stance_measured=True)
    document["summary"]["answered"] = 200
    catch_all, ordinary, short = document["themes"]
    catch_all |= {"label": "Simplify access to finance", "multi_point": 0.8, "size": 150}
    ordinary |= {"multi_point": 0.9, "size": 15}
    short |= {"multi_point": 0.85, "size": 15}
    for theme in document["themes"]:
        theme["label_point"] = None  # the fast engine counts none
    catch_all["keywords"] = []
    glance = _glance(render_report(document))
    assert glance["T01 Simplify access to finance"][-1].startswith(
        "Mixed: answers making several different points"
    )
    assert "Mixed" not in glance["T02 Theme 2"][-1]
    catch_all["keywords"] = ["finance", "start-ups", "loans"]
    glance = _glance(render_report(document))
    assert "Mixed" not in glance["T01 Simplify access to finance"][-1]


def test_a_fitted_run_measures_each_themes_multi_point_share():
    from analysis import ThemeModel

    texts = (
        [SEVERAL] * 15
        + [ONE + f" number {i}" for i in range(15)]
        + [f"The parking at the hospital is too expensive for visitors, day {i}" for i in range(15)]
    )
    model = ThemeModel(engine="fast", n_themes=3, seed=0).fit(texts)
    shares = [theme["multi_point"] for theme in model.themes_]
    assert all(0.0 <= share <= 1.0 for share in shares)
    labels = list(model.labels_)
    for index, theme in enumerate(model.themes_):
        members = [texts[row] for row, label in enumerate(labels) if label == index]
        assert theme["multi_point"] == multi_point_share(members)
    assert max(shares) == 1.0  # the theme of the two-point answer
