"""Stance, sentiment and the segment statistics."""

from __future__ import annotations

import pytest

from analysis.segments import holm, segment_breakdown, wilson
from analysis.segments import test_against_rest as against_rest
from analysis.stance import Sentiment, stance, stance_from_agreement, stance_from_text


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Strongly agree", "for"),
        ("agree", "for"),
        ("strongly_disagree", "against"),
        ("Disagree", "against"),
        ("Neither agree nor disagree", "mixed"),
        ("Yes", "for"),
        ("No", "against"),
        ("Don't know", "unclear"),
        ("", None),
        ("banana", None),
        # sides as exports code them (ArgKP's 1/-1; the code command's words)
        ("1", "for"),
        ("-1", "against"),
        ("+1", "for"),
        ("-1.0", "against"),
        ("for", "for"),
        ("Against", "against"),
        ("0", None),  # neutral on a -1/0/1 scale, "no" on a 0/1 one: left unread
    ],
)
def test_stance_from_agreement(answer, expected):
    assert stance_from_agreement(answer) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We strongly support the proposal.", "for"),
        ("I oppose this plan completely.", "against"),
        ("We do not support a mayoral precept.", "against"),
        ("We support the aim but object to the timetable.", "mixed"),
        ("Buses are late.", "unclear"),
    ],
)
def test_stance_from_text(text, expected):
    assert stance_from_text(text) == expected


def test_agreement_wins_over_text():
    assert stance("I oppose this", "Strongly agree") == "for"
    assert stance("I oppose this", "") == "against"


def test_vader_sentiment_without_download():
    sentiment = Sentiment()
    assert sentiment.score("The staff were wonderful and kind") > 0.5
    assert sentiment.score("Terrible, rude and dirty") < -0.5
    assert sentiment.score("") == 0.0


def test_wilson_interval():
    low, high = wilson(50, 100)
    assert low == pytest.approx(0.4038, abs=1e-4) and high == pytest.approx(0.5962, abs=1e-4)
    assert wilson(0, 0) == (0.0, 0.0)
    low, high = wilson(0, 10)
    assert low == 0.0 and 0.2 < high < 0.35


def test_holm():
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])


def test_fisher_for_small_counts_chi_square_for_large():
    assert against_rest(3, 5, 1, 20)[1] == "fisher"
    assert against_rest(60, 100, 20, 100)[1] == "chi-square"


def test_breakdown_flags_a_real_difference():
    segments = ["university"] * 100 + ["business"] * 100
    theme_rows = [{0} if i < 80 else {1} for i in range(100)] + [
        {0} if i < 20 else {1} for i in range(100)
    ]
    tokens = [["research", "funding"] if i < 100 else ["rates", "energy"] for i in range(200)]
    cells = segment_breakdown(theme_rows, segments, 2, tokens)
    university = cells[0]["university"]
    assert university["count"] == 80 and university["share"] == 0.8
    assert university["significant"] and university["p_adjusted"] < 0.001
    assert university["ci95"][0] < 0.8 < university["ci95"][1]
    assert "research" in university["distinctive_words"]


def test_rows_that_did_not_give_the_segment_are_counted_but_never_compared():
    from analysis.segments import segment_breakdown

    # A size band given by businesses only: 20 small, 20 large, 60 "not given". Theme 0 is
    # raised by every not-given row and by half of each band.
    segments = ["small"] * 20 + ["large"] * 20 + ["not_given"] * 60
    theme_rows = [{0} if i % 2 == 0 or i >= 40 else set() for i in range(100)]
    cells = segment_breakdown(theme_rows, segments, 1)[0]
    assert cells["not_given"]["count"] == 60
    assert cells["not_given"]["verdict"] == "not compared"
    assert cells["not_given"]["p_value"] is None
    # Each band is compared with the other band only: 10 of 20 against 10 of 20.
    assert cells["small"]["rest_count"] == 10 and cells["small"]["rest_share"] == 0.5
    assert cells["small"]["verdict"] == "no clear difference"


def test_a_reports_p_names_its_test_in_words():
    """A reviewer read "p=0.337, fisher" in the CLI report: the test is named as a reader
    would name it, and p is given to two figures."""
    from html import unescape

    from analysis.report import _verdict
    from analysis.segments import named_test

    cell = {"verdict": "higher", "p_adjusted": 0.01234, "test": "fisher"}
    said = unescape(_verdict(cell))
    assert said == (
        "<strong>higher than the rest (significant)</strong> "
        '<span class="meta">(p = 0.012, Fisher\'s exact test)</span>'
    )
    # beside no clear difference, no figures, as the workspace's report (smoke18r #12)
    cell = {"verdict": "no clear difference", "p_adjusted": 0.337, "test": "chi-square"}
    assert _verdict(cell) == "no clear difference"
    assert named_test("none") == "none"


def test_a_numbered_scale_is_not_read_as_sides():
    """A 1-to-5 agreement column (review19): its 1 can be "strongly disagree", so no number of
    it reads as a side; its words still do. A -1/0/1 or 0/1 column keeps its coded sides."""
    from analysis.stance import read_sides

    assert read_sides(["1", "5", "3", "Agree", None]) == [None, None, None, "Agree", None]
    assert [stance_from_agreement(v) for v in read_sides(["1", "2"])] == [None, None]
    assert read_sides(["1", "-1", "0", ""]) == ["1", "-1", "0", ""]
    assert [stance_from_agreement(v) for v in read_sides(["1", "0"])] == ["for", None]


def test_a_numbered_scale_measures_no_stance():
    """The analysis (stages.stances) and the CLI's --stance-column check use read_sides: a
    column of 1-to-5 numbers measures no stance, and the CLI refuses it naming what it holds."""
    from analysis.cli import check_stance_column
    from analysis.errors import InputError
    from analysis.stages import FitRun, stances

    run = FitRun(["We support it", "No comment"], ["a", "b"], {}, ["1", "4"], 2, "")
    run.texts = list(run.texts_in)
    stances(run)
    assert run.stance_measured is False
    assert run.stances == ["", ""]
    with pytest.raises(InputError, match="holds values such as '1', '4'"):
        check_stance_column("score", ["1", "4"])
    check_stance_column("side", ["1", "-1"])  # coded sides: accepted
