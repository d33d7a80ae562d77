"""The command line's report.html says at a glance what a reader must check before quoting a
theme, as the workspace's report does (smoke5 finding 6), and says what masking covers rather
than a count of names that reads as "names were dealt with" (finding 8)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from analysis.report import (
    CHECK_HEADING,
    NAMES_MASKED_ONLY,
    masked_sentence,
    render_report,
    theme_flags,
)
from tests.analysis.test_cli_report_words import _document


def _glance(html: str) -> dict[str, list[str]]:
    """The headline table ("Themes by number of answers"): each row's cells in words, by the
    row's header, and its column headings under "headers"."""
    soup = BeautifulSoup(html, "html.parser")
    table = next(
        t for t in soup.find_all("table") if t.caption.get_text().startswith("Themes by number")
    )
    rows = {"headers": [th.get_text(" ", strip=True) for th in table.thead.find_all("th")]}
    for row in table.tbody.find_all("tr"):
        rows[row.th.get_text(" ", strip=True)] = [
            " ".join(td.get_text(" ").split()) for td in row.find_all("td")
        ]
    return rows


def test_the_headline_table_names_each_themes_warnings_as_the_workspace_does():
    document = _document(stance_measured=True)
    document["summary"]["answered"] = 200  # enough answers for counts to mean something
    food, kept, lots = document["themes"]
    food |= {"label": "The food is very good", "mentions": 61, "label_point": 30}
    kept |= {"stability": 0.41, "mentions": 126, "label_point": 15}
    lots |= {"label_point": 5}  # all 5 mentions make it: nothing to check
    html = render_report(document)
    glance = _glance(html)
    assert glance["headers"][-1] == CHECK_HEADING == "Check before quoting"
    assert glance["T01 The food is very good"][-1] == "Label made by fewer than half"
    assert glance["T02 Theme 2"][-1] == "Unstable grouping; label made by fewer than half"
    assert glance["T03 Theme 3"][-1] == "Nothing flagged –"  # read aloud; the dash is hidden
    assert "NS No substantive answer" not in glance  # none in it: no empty row (smoke18r #13)
    # the mentions beside each main-theme count, as the workspace's table (smoke18r #12)
    assert glance["headers"][4] == "Mentioned by"
    assert glance["T01 The food is very good"][3] == "61 (30.5%)"
    document["non_substantive"]["size"] = 3
    glance = _glance(render_report(document))
    assert glance["NS No substantive answer"][3:] == ["–", "–", "–"]  # mentions, stance, check
    # the same rule as the workspace's column (one function, analysis.report.theme_flags)
    assert theme_flags(0.41, 126, 15) == ["unstable grouping", "label made by fewer than half"]
    assert theme_flags(0.9, 61, 31) == [] and theme_flags(0.9, 61, None) == []
    # a run of too few answers: that is the only flag, as no count of its points means
    # anything (smoke9 finding 17); a merge, which the command line never has
    assert theme_flags(0.41, 10, 2, few=True) == ["too few answers: do not quote"]
    assert theme_flags(None, 10, 9, merged=True) == ["stability not measured: read before quoting"]
    # the chart beside the table marks the same themes
    title = BeautifulSoup(html, "html.parser").find(id="chart-sizes").parent
    labels = " ".join(title.get_text(" ").split())
    assert "T01 The food is very good (check before quoting)" in labels
    assert "T03 Theme 3 (check before quoting)" not in labels


def test_a_blank_row_keeps_the_columns_in_line():
    document = _document()
    document["summary"]["not_answered"] = 4
    glance = _glance(render_report(document))
    blank = next(cells for name, cells in glance.items() if name.startswith("Not answered"))
    assert len(blank) == len(glance["headers"]) - 1 and blank[-1] == "–"


def test_the_report_says_what_masking_covers_beside_its_counts():
    document = _document()
    document["summary"]["personal_data_masked"] = {"name": 11}
    text = " ".join(BeautifulSoup(render_report(document), "html.parser").get_text(" ").split())
    assert "Personal data masked: name 11. Names are masked only where" in text
    assert "check quotes before publishing." in text
    assert masked_sentence({}) == f"Personal data masked: none. {NAMES_MASKED_ONLY}."


def test_a_run_of_too_few_answers_tells_one_story_about_its_points():
    """smoke9 finding 17: with 5 answers a theme said "about 2 make the label's own point,
    fewer than half: ... (see Other points)" and then "This theme makes one point only". Below
    FEW_ANSWERS no report counts the label's point; the only flag is "too few answers"."""
    from analysis.report import FEW_ANSWERS, label_point_note

    document = _document()
    theme = document["themes"][0] | {"label_point": 2, "mentions": 5}
    theme["summary"] = [{"text": "This theme makes one point only; ...", "only_point": True}]
    document["themes"][0] = theme
    document["summary"] |= {"rows": 5, "answered": 5}
    assert label_point_note(theme, few=True) == ""
    assert "make the label's own point" in label_point_note(theme)  # with enough answers
    html = render_report(document)
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    assert "label's own point" not in text and "fewer than half" not in text.lower()
    assert _glance(html)["T01 Theme 1"][-1] == "Too few answers: do not quote"
    document["summary"]["answered"] = FEW_ANSWERS  # enough: counted again
    html = render_report(document)
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    # the headline says it, once (wording28): "About 2 of the N answers ... fewer than half"
    assert "make this point, fewer than half of the 5 mentioning this theme" in text
    assert _glance(html)["T01 Theme 1"][-1] == "Label made by fewer than half"
