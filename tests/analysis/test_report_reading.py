"""The CLI's report reads as the workspace's does: the analysis's own "makes one point only"
statement is marked as a note and cites no respondent, summary points are a list, and an
unstable theme is tagged and explained."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from analysis.report import (
    SUMMARY_HEADING,
    render_report,
    stability_verdict,
    stability_words,
    unstable_sentence,
)


def _document() -> dict:
    def theme(key: str, stability: float, summary: list[dict]) -> dict:
        return {
            "id": key,
            "label": f"Label of {key}",
            "size": 5,
            "share": 0.5,
            "share_ci95": [0.2, 0.8],
            "mentions": 5,
            "stability": stability,
            "keywords": ["buses"],
            "summary": summary,
            "quotes": [{"id": "R1", "text": "The buses are late."}],
            "stance": {},
        }

    only = {
        "id": "R9",
        "text": "This theme makes one point only; no other is made by two or more of its answers.",
        "ids": ["R9"],
        "only_point": True,
    }
    points = [
        {"id": "R2", "text": "Buses are late.", "ids": ["R2"]},
        {"id": "R3", "text": "Fares are too high.", "ids": ["R3"]},
    ]
    return {
        "summary": {
            "rows": 10,
            "answered": 10,
            "substantive": 10,
            "non_substantive": 0,
            "themes": 2,
            "personal_data_masked": {},
            "duplicates": {"campaigns": 0},
            "stance_measured": False,
        },
        "themes": [theme("T01", 0.45, points), theme("T02", 0.9, [only])],
        "non_substantive": {
            "id": "NS",
            "label": "No substantive answer",
            "size": 0,
            "share": 0.0,
            "share_ci95": [0.0, 0.3],
        },
    }


def test_the_one_point_note_is_the_analysis_not_a_respondent():
    soup = BeautifulSoup(render_report(_document()), "html.parser")
    t02 = soup.find("section", attrs={"aria-labelledby": "h-T02"})
    note = t02.find("h3", string=SUMMARY_HEADING).find_next("ul").find("li")
    assert note.get_text().startswith("Note from the analysis, not a respondent's words:")
    assert "R9" not in note.get_text() and not note.find(class_="id")


def test_summary_points_are_a_list_each_with_its_response():
    soup = BeautifulSoup(render_report(_document()), "html.parser")
    t01 = soup.find("section", attrs={"aria-labelledby": "h-T01"})
    items = [
        " ".join(li.get_text(" ").split())
        for li in t01.find("h3", string=SUMMARY_HEADING).find_next("ul")("li")
    ]
    assert items == ["Buses are late. [R2]", "Fares are too high. [R3]"]


def test_unstable_themes_are_tagged_and_explained_once():
    html = render_report(_document())
    soup = BeautifulSoup(html, "html.parser")
    assert "Stability 0.45 (unstable grouping)." in soup.find(id="h-T01").find_next("p").get_text()
    assert "Stability 0.90 (stable)." in soup.find(id="h-T02").find_next("p").get_text()
    assert html.count("Unstable grouping: another run") == 1
    assert stability_words(0.7) == "0.70 (fairly stable)"
    assert unstable_sentence([{"stability": 0.9}]) == ""
    assert unstable_sentence([{"stability": 0.45}, {"stability": 0.9}]).startswith(
        "1 of the 2 themes is marked “unstable grouping” (stability below 0.5)."
    )


def test_sentiment_is_worded_as_the_workspace_words_it():
    document = _document()
    document["themes"][0]["sentiment"] = -0.661
    document["themes"][1]["sentiment"] = 0.05
    text = " ".join(BeautifulSoup(render_report(document), "html.parser").get_text(" ").split())
    assert (
        "Mean sentiment over the answers mentioning it: negative (\u22120.66 on a scale from "
        "\u22121 to +1)."
    ) in text
    assert "neutral (+0.05 on a scale from \u22121 to +1)" in text
    assert "-0.66" not in text


def test_stance_is_named_as_the_summary_and_the_workspace_name_it():
    """The summary's sides said "Neither:" while the stance counts below said "Mixed"."""
    document = _document()
    document["themes"][0]["stance"] = {"for": 3, "against": 1, "mixed": 1, "unclear": 0}
    soup = BeautifulSoup(render_report(document), "html.parser")
    section = soup.find("section", attrs={"aria-labelledby": "h-T01"})
    text = " ".join(section.get_text(" ").split())
    # in lower case mid-sentence, the table's headings capitalised (wording28)
    assert "Of the 5 answers mentioning it: for 3, against 1, neither 1, unclear 0" in text
    headers = [th.get_text() for th in section.find_all("table")[0].find_all("th")]
    assert headers == ["For", "Against", "Neither", "Unclear"]
    assert "Mixed" not in text and "mixed" not in text


@pytest.mark.parametrize(
    "value, verdict",
    [(0.95, "stable"), (0.795, "stable"), (0.7949, "fairly stable"), (0.4979, "fairly stable")]
    + [(0.4949, "unstable grouping"), (0.0, "unstable grouping")],
)
def test_one_stability_verdict_for_the_command_line_and_the_workspace(value, verdict):
    """The verdict follows the figure as shown (two places), and the command line's report and
    the workspace's reports (consult.reports.wording) give the same one."""
    from consult.reports.wording import stability_words as workspace_words

    assert stability_verdict(value) == verdict
    assert stability_words(value) == f"{value:.2f} ({verdict})" == workspace_words(value)
    assert workspace_words(value, merged=True).startswith(f"{value:.2f} ({verdict}; ")
