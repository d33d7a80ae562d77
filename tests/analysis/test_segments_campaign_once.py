"""A campaign counts once in the segment tests and the distinctive words (smoke18r #5): one
text sent 14 times by businesses made a "significant" Business difference and the words
"black, country, ask", though the report says to read it as one view."""

from __future__ import annotations

from types import SimpleNamespace

from analysis.segments import segment_breakdown
from analysis.stages import campaign_counted_once


def _rows():
    """40 business and 60 other answers; the theme is raised by 20 businesses, 15 of them one
    campaign's copies, and by 6 others."""
    segments = ["business"] * 40 + ["other"] * 60
    in_theme = [i < 20 for i in range(40)] + [i < 6 for i in range(60)]
    theme_rows = [{0} if hit else set() for hit in in_theme]
    campaign = [i < 15 for i in range(40)] + [False] * 60
    return segments, theme_rows, campaign


def test_the_first_copy_of_each_campaign_is_counted_and_the_rest_are_not():
    duplicates = SimpleNamespace(
        group=[0, 1, 0, -1, 0, 1, 2], campaign=[True, True, True, False, True, True, False]
    )
    assert campaign_counted_once(duplicates, [0, 1, 2, 3, 4, 5, 6]) == [
        True,
        True,
        False,
        True,
        False,
        False,
        True,
    ]
    # a plain duplicate (not a campaign) counts every time
    plain = SimpleNamespace(group=[0, 0], campaign=[False, False])
    assert campaign_counted_once(plain, [0, 1]) == [True, True]


def test_a_campaign_alone_no_longer_makes_a_significant_difference():
    segments, theme_rows, campaign = _rows()
    every = segment_breakdown(theme_rows, segments, 1)[0]["business"]
    assert every["verdict"] == "higher" and "campaign_copies" not in every
    tested = [not c for c in campaign]
    tested[0] = True  # the campaign's first copy counts
    once = segment_breakdown(theme_rows, segments, 1, tested=tested)[0]["business"]
    assert once["verdict"] == "no clear difference"
    assert once["campaign_copies"] == 14
    # what is shown still counts every answer
    assert (once["count"], once["of"], once["share"]) == (every["count"], every["of"], 0.5)
    assert once["rest_share"] == every["rest_share"]
