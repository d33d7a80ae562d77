"""A theme another of whose points is made by clearly more of its answers than its label's,
counted alike, is flagged for checking before quoting (issue 12: "the label's point 30,
another 36" went unflagged while only under half was); small differences, within the counts'
error, are not."""

from __future__ import annotations

from analysis.label_points import commoner_point
from analysis.report import (
    ABOUT_AS_COMMON_TAG,
    COMMONER_TAG,
    LABEL_FEW_TAG,
    label_point_note,
    theme_flags,
)


def _said(*counts: int | None) -> list[dict]:
    return [
        {"id": f"R{i}", "text": f"Point {i}.", "ids": [], "answers": count}
        for i, count in enumerate(counts)
    ]


def test_a_clearly_commoner_point_is_found_and_a_near_tie_is_not():
    assert commoner_point(30, [39, 20], 60) == 0  # 39 >= 1.3 * 30, 9 more >= 10 % of 60
    assert commoner_point(30, [36], 60) == -1  # 1.2 times: within the counts' error
    assert commoner_point(30, [33, 35], 60) == -1  # within the counts' error
    assert commoner_point(32, [42], 63) == 0
    assert commoner_point(40, [42], 44) == -1
    assert commoner_point(6, [8, 32], 36) == 1  # the commonest of those clearly commoner
    assert commoner_point(None, [30], 60) == -1 and commoner_point(5, [None], 60) == -1


def test_the_flag_and_the_reports_words():
    summary = _said(39, 12)
    assert theme_flags(0.9, 60, 30, summary=summary) == [COMMONER_TAG]
    # more by the counts, within their error: its own flag (smoke11 finding 6)
    assert theme_flags(0.9, 60, 30, summary=_said(33)) == [ABOUT_AS_COMMON_TAG]
    assert theme_flags(0.9, 60, 30, summary=_said(30)) == []
    assert theme_flags(0.9, 60, 30) == []  # not counted (the fast engine, an older run)
    # under half: the one flag says it already
    assert theme_flags(0.9, 80, 30, summary=summary) == [LABEL_FEW_TAG]
    # the analysis's own "makes one point only" note is no point
    note = {"id": "", "text": "This theme makes one point only.", "ids": [], "only_point": True}
    assert theme_flags(0.9, 60, 30, summary=[note]) == []
    theme = {"mentions": 60, "label_point": 30, "summary": summary}
    said = label_point_note(theme)
    assert (
        "about 30 make the label's own point. About 39 make another (an answer can make "
        "both), “Point 0.”" in said
    )
    assert "Read the answers before quoting the label as the theme's view" in said


def test_one_number_per_point_and_the_flag_follows_it():
    """smoke9 finding 1: the Size line said "about 24 make another" (the sentence counted as
    the label's point is) while the list said "about 27 of the 45" for the same sentence, and
    a point shown as made by 27 of 33 beside a label made by 20 went unflagged."""
    from analysis.report import SHOWN_COUNT, commoner_sentence, summary_point_words

    assert SHOWN_COUNT == "answers"
    point = {"id": "R1", "text": "Too many conditions remain.", "ids": [], "answers": 27}
    theme = {"mentions": 45, "label_point": 14, "summary": [{**point, "answers_as_label": 24}]}
    said = label_point_note(theme)
    assert "About 27 make another, “Too many conditions remain.”" in said
    assert "24" not in said
    assert "about 27 of the 45" in summary_point_words(27, 45)
    t05 = [{**point, "answers": 27, "answers_as_label": 21}]
    assert theme_flags(0.9, 33, 20, summary=t05) == [COMMONER_TAG]
    assert commoner_sentence(20, 33, t05) is not None
    assert commoner_sentence(20, 33, t05, "answers_as_label") is None  # the rule before


def test_a_point_a_little_commoner_is_named_as_about_as_common():
    """smoke10 #6 and #14: "36" beside a point of "38" said nothing, and "fewer than half"
    beside an unnamed point of "about 41" (the label's 32): named, as about as common by
    counts within their error; neither flagged."""
    from analysis.report import ABOUT_AS_COMMON, leading_sentence

    near = _said(38, 14)
    assert leading_sentence(36, 53, near) == (near[0], False)
    assert leading_sentence(30, 60, _said(39, 12))[1] is True
    assert leading_sentence(36, 53, _said(30)) == (None, False)
    assert theme_flags(0.9, 53, 36, summary=near) == [ABOUT_AS_COMMON_TAG]
    said = label_point_note({"mentions": 53, "label_point": 36, "summary": near})
    assert (
        "about 36 make the label's own point. About 38 make another (an answer can make "
        f"both), “Point 0.” That point is {ABOUT_AS_COMMON}." in said
    )
    grab = _said(41, 33)
    assert theme_flags(0.9, 68, 32, summary=grab) == [LABEL_FEW_TAG]
    said = label_point_note({"mentions": 68, "label_point": 32, "summary": grab})
    assert (
        "fewer than half. About 41 make another (an answer can make both), “Point 0.” That "
        f"point is {ABOUT_AS_COMMON}" in said
    )


def test_a_point_about_as_common_as_the_labels_is_flagged_too():
    """smoke11 finding 6: "Nothing flagged" beside a Size paragraph naming a point "about as
    common as the label's" (run 4 T03: label about 32, another point about 38)."""
    near = [{"id": "R1", "text": "Firms stopped selling to Europe.", "ids": ["R1"], "answers": 33}]
    assert theme_flags(0.9, 60, 30, summary=near) == [ABOUT_AS_COMMON_TAG]
    assert theme_flags(0.9, 60, 34, summary=near) == []  # the label's point is the commoner
    assert theme_flags(0.9, 80, 30, summary=near) == [LABEL_FEW_TAG]
