"""The CLI's report.html says how many of a theme's answers make each summary point, when the
run counted it; an older themes.json without the count still renders, with none shown."""

from __future__ import annotations

from bs4 import BeautifulSoup

from analysis.report import render_report, summary_point_words
from tests.analysis.test_report_reading import _document


def _items(document: dict) -> list[str]:
    soup = BeautifulSoup(render_report(document), "html.parser")
    section = soup.find("section", attrs={"aria-labelledby": "h-T01"})
    return [" ".join(li.get_text(" ").split()) for li in section.find_all("li")]


def test_the_words():
    assert summary_point_words(3, 88) == "about 3 of the 88 answers mentioning it make this point"
    assert summary_point_words(1, 88) == "about 1 of the 88 answers mentioning it makes this point"
    assert summary_point_words(1200, 1500).startswith("about 1,200 of the 1,500 answers")
    assert summary_point_words(None, 88) == ""
    assert summary_point_words(3, None) == ""
    assert summary_point_words(90, 88) == ""  # a stale count is never shown


def test_each_counted_point_says_how_many_make_it():
    document = _document()
    document["themes"][0]["summary"][0]["answers"] = 3  # the other point was not counted
    items = _items(document)
    assert items[0] == (
        "Buses are late. [R2; about 3 of the 5 answers mentioning it make this point]"
    )
    assert items[1] == "Fares are too high. [R3]"


def test_an_older_run_without_counts_renders_as_before():
    assert _items(_document()) == ["Buses are late. [R2]", "Fares are too high. [R3]"]


def test_a_quote_others_say_word_for_word_says_how_many():
    """A quote whose words other answers give (openers aside) says how many; one without
    ``same`` (an older themes.json) says nothing more."""
    document = _document()
    quotes = document["themes"][0]["quotes"]
    quotes[0]["same"] = 4
    soup = BeautifulSoup(render_report(document), "html.parser")
    section = soup.find("section", attrs={"aria-labelledby": "h-T01"})
    footers = [" ".join(f.get_text(" ").split()) for f in section.find_all("footer")]
    assert footers[0].endswith("; 4 other answers say the same")
    assert all("say the same" not in f for f in footers[1:])
    quotes[0]["same"] = 1
    soup = BeautifulSoup(render_report(document), "html.parser")
    footer = soup.find("section", attrs={"aria-labelledby": "h-T01"}).find("footer")
    assert footer.get_text().endswith("; 1 other answer says the same")
