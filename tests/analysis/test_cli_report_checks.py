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
    assert glance["NS No substantive answer"][-1] == "–"
    # the same rule as the workspace's column (one function, analysis.report.theme_flags)
    assert theme_flags(0.41, 126, 15) == ["unstable grouping", "label made by fewer than half"]
    assert theme_flags(0.9, 61, 31) == [] and theme_flags(0.9, 61, None) == []
    # the workspace's cases the command line never has: a run of too few answers, a merge
    assert theme_flags(0.41, 10, 2, few=True) == [
        "too few answers: do not quote",
        "label made by fewer than half",
    ]
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
