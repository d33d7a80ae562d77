"""A theme flagged mixed (a catch-all) is not also said to be one whose label most of its
answers make (smoke26r finding 2: the demo's fast "Simplify access to finance for start-ups
and small businesses", flagged "mixed: answers making several different points", had a Size
line "Of the 101 answers mentioning it, about 74 make the label's own point"; by hand 38 of
them make it). The command line's report follows the same rule as the workspace's."""

from __future__ import annotations

from bs4 import BeautifulSoup

from analysis.report import (
    FEW_MAKE_THE_LABEL,
    MIXED_LABEL_POINT,
    label_point_note,
    label_point_sentences,
    render_report,
)
from tests.analysis.test_cli_report_words import _document


def test_a_mixed_theme_whose_count_says_most_make_its_label_gives_no_such_count():
    said = " ".join(label_point_sentences(101, 74, [], mixed=True))
    assert "about 74" not in said and "74" not in said
    assert "answers mentioning it" not in said and "most" not in said
    assert said.startswith("Its answers make several different points (flagged mixed)")
    assert said == " ".join(label_point_sentences(101, 101, [], mixed=True))  # nor "All 101"
    for sentence in label_point_sentences(101, 74, [], " (see “Other points”)", mixed=True):
        assert len(sentence.split()) <= 30 and sentence.endswith(".")
    assert "(see" not in said  # no ``see`` given above
    assert label_point_sentences(101, 74, [], " (see “Other points”)", mixed=True)[-1].endswith(
        "(see “Other points”)."
    )


def test_a_mixed_theme_that_fewer_than_half_make_keeps_its_count_and_an_unflagged_one_too():
    fewer = label_point_sentences(88, 37, [], mixed=True)
    assert fewer == label_point_sentences(88, 37, [])  # the count agrees with the flag
    assert "about 37 make the label's own point, fewer than half" in fewer[0]
    assert FEW_MAKE_THE_LABEL.split(";")[0][1:] in " ".join(fewer)
    plain = label_point_sentences(101, 74, [])
    assert plain[0] == "Of the 101 answers mentioning it, about 74 make the label's own point."
    assert label_point_sentences(101, None, [], mixed=True) == []  # not counted: nothing said
    assert label_point_sentences(4, 3, [], mixed=True, few=True) == []  # too few answers


def test_the_command_lines_report_says_it_of_a_catch_all_only():
    document = _document()
    document["summary"] |= {"rows": 120, "answered": 120, "substantive": 120}
    themes = document["themes"]
    for theme, size, multi in zip(themes, (100, 12, 8), (0.8, 0.1, 0.1), strict=True):
        theme |= {"size": size, "mentions": size, "multi_point": multi, "share": size / 120}
        theme["label_point"] = int(size * 0.8)
        theme["keywords"] = ["apprenticeships", "colleges", "employers"]
    themes[0]["keywords"] = []  # large, few keywords, most answers making several points
    assert MIXED_LABEL_POINT in label_point_note(themes[0] | {"mixed": True})
    text = " ".join(BeautifulSoup(render_report(document), "html.parser").get_text(" ").split())
    assert "about 80 make the label's own point" not in text
    assert "Its answers make several different points (flagged mixed)" in text
    assert "Of the 12 answers mentioning it, about 9 make the label's own point." in text
