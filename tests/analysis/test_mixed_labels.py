"""When most themes' labels are made by fewer than half of the answers mentioning them, the
per-theme flag no longer singles a theme out (smoke12 finding 10: 11 of 14 themes flagged): the
report says once, at the top, what that means for the whole run, and each row keeps its flag."""

from __future__ import annotations

from bs4 import BeautifulSoup

from analysis.report import LABEL_FEW_TAG, mostly_mixed_sentence, render_report
from tests.analysis.test_cli_report_checks import _glance
from tests.analysis.test_cli_report_words import _document

FEW = [LABEL_FEW_TAG]


def test_the_caution_is_said_only_when_more_than_half_the_labels_fail():
    sentence = mostly_mixed_sentence([FEW] * 11 + [[]] * 3)
    assert sentence == (
        "Most labels name one point of a mixed theme: read the answers before quoting a label "
        "(11 of the 14 themes are marked “label made by fewer than half”)."
    )
    # exactly half is not most; other flags do not count; no themes, nothing to say
    assert mostly_mixed_sentence([FEW, FEW, [], []]) == ""
    assert mostly_mixed_sentence([["unstable grouping"]] * 3 + [FEW]) == ""
    assert mostly_mixed_sentence([]) == ""
    # a theme flagged for two reasons still counts once as a failing label
    assert mostly_mixed_sentence([["unstable grouping", LABEL_FEW_TAG], FEW, []]).startswith(
        "Most labels name one point of a mixed theme"
    )


def _report(label_points: list[int]) -> str:
    document = _document(stance_measured=True)
    document["summary"]["answered"] = 200
    for theme, made in zip(document["themes"], label_points, strict=True):
        theme |= {"mentions": 60, "label_point": made, "stability": 0.9}
    return render_report(document)


def test_the_cli_report_heads_a_mostly_mixed_run_with_one_caution_and_keeps_each_flag():
    html = _report([20, 25, 50])  # 2 of the 3 labels made by fewer than half
    soup = BeautifulSoup(html, "html.parser")
    caution = soup.find(id="mixed-labels")
    assert caution is not None
    assert " ".join(caution.get_text(" ").split()) == (
        "Caution: Most labels name one point of a mixed theme: read the answers before quoting "
        "a label (2 of the 3 themes are marked “label made by fewer than half”)."
    )
    # said before the themes' table, once
    assert html.index('id="mixed-labels"') < html.index("Themes by number of answers")
    assert html.count("Most labels name one point") == 1
    glance = _glance(html)
    assert glance["T01 Theme 1"][-1] == "Label made by fewer than half"
    assert glance["T02 Theme 2"][-1] == "Label made by fewer than half"
    assert glance["T03 Theme 3"][-1] == "Nothing flagged –"


def test_a_run_where_the_flag_still_singles_a_theme_out_has_no_caution():
    html = _report([20, 50, 50])  # 1 of the 3: the row's flag says it
    assert BeautifulSoup(html, "html.parser").find(id="mixed-labels") is None
    assert _glance(html)["T01 Theme 1"][-1] == "Label made by fewer than half"
