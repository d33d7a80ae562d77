"""Honest reports: blank answers are not answered (not a theme, not 'no substantive answer'),
shares use the answered base with both counts shown, the question is stated, stance is
'not measured' when nothing measured it, segments have human names and say when the numbers
are too small to tell, and clear complaints read as negative."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.api import ThemeModel
from analysis.cli import main
from analysis.report import stance_lean, stance_name, stance_words
from analysis.segments import (
    benjamini_hochberg,
    most_extreme_p,
    readable,
    segment_breakdown,
    segment_heading,
    tarone_testable,
    value_label,
)
from analysis.sentiment import Sentiment
from tests.analysis.fixtures import responses, write_csv

QUESTION = "What should the plan do for transport, housing and skills?"


@pytest.fixture(scope="module")
def with_blanks(tmp_path_factory) -> tuple[Path, list[dict[str, str]]]:
    """150 answers, every fourth one left blank (an optional question)."""
    rows = responses(160, seed=4)
    for index, row in enumerate(rows):
        if index % 4 == 0:
            row["answer"] = ""
    path = tmp_path_factory.mktemp("blanks") / "survey.csv"
    return write_csv(path, rows), rows


def run(path: Path, out: Path, *extra: str) -> dict:
    args = ["themes", str(path), "--text-column", "answer", "--id-column", "response_id"]
    assert (
        main([*args, "--engine", "fast", "--themes", "3", "--quiet", *extra, "--out", str(out)])
        == 0
    )
    return json.loads((out / "themes.json").read_text())


def test_blank_is_not_answered_and_no_substantive_is_kept_apart(with_blanks, tmp_path):
    path, source = with_blanks
    document = run(path, tmp_path / "o", "--segment-column", "partner_type")
    blank = sum(1 for r in source if r["answer"] == "")
    filler = {"n/a", "No comment", "Nothing.", "see above"}
    non_substantive = sum(1 for r in source if r["answer"] in filler)
    summary = document["summary"]
    assert summary["not_answered"] == blank == document["not_answered"]["size"]
    assert summary["answered"] == len(source) - blank
    assert summary["non_substantive"] == non_substantive == document["non_substantive"]["size"]
    assert summary["substantive"] + summary["non_substantive"] + blank == summary["rows"]
    # the blank rows are in no theme and not in the 'no substantive answer' bucket
    rows = list(csv.DictReader((tmp_path / "o" / "assignments.csv").open(encoding="utf-8")))
    for row, original in zip(rows, source, strict=True):
        if original["answer"] == "":
            assert (row["theme_id"], row["themes"], row["flags"]) == ("", "", "not_answered")
        elif original["answer"] in filler:
            assert row["theme_id"] == "NS" and row["flags"].startswith("non_substantive")


def test_shares_use_the_answered_base_in_every_output(with_blanks, tmp_path):
    path, source = with_blanks
    document = run(path, tmp_path / "o", "--segment-column", "partner_type")
    answered, rows = document["summary"]["answered"], document["summary"]["rows"]
    assert answered < rows
    for theme in document["themes"]:
        assert theme["share"] == round(theme["size"] / answered, 4)
        cells = theme["segments"]["partner_type"]
        # a segment's base is its answered rows only
        assert sum(cell["of"] for cell in cells.values()) == answered
    ns = document["non_substantive"]
    assert ns["share"] == round(ns["size"] / answered, 4)
    report = (tmp_path / "o" / "report.html").read_text()
    assert f"{answered} answered of {rows} responses" in report
    assert f"Every share below is of the {answered} answered" in report
    text = BeautifulSoup(report, "html.parser").get_text(" ")
    assert "Not answered (blank, not in the base)" in text
    # the bar chart has the themes and the non-substantive bucket, never the blank answers
    chart = BeautifulSoup(report, "html.parser").find("svg")
    assert "Not answered" not in chart.get_text()


def test_cli_summary_line_shows_both_counts(with_blanks, tmp_path, capsys):
    path, source = with_blanks
    args = ["themes", str(path), "--text-column", "answer", "--engine", "fast", "--themes", "3"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 0
    blank = sum(1 for r in source if r["answer"] == "")
    line = capsys.readouterr().out
    assert f"{len(source) - blank} answered of {len(source)} ({blank} blank)" in line


def test_question_appears_in_the_outputs(with_blanks, tmp_path):
    path, _ = with_blanks
    document = run(path, tmp_path / "o", "--question", QUESTION)
    assert document["summary"]["question"] == QUESTION
    report = BeautifulSoup((tmp_path / "o" / "report.html").read_text(), "html.parser")
    assert QUESTION in report.find("h1").get_text() and QUESTION in report.title.get_text()
    assert "survey.csv" not in report.find("h1").get_text()  # not titled after the file
    run_record = json.loads((tmp_path / "o" / "run.json").read_text())
    assert run_record["settings"]["question"] == QUESTION


def test_without_a_question_the_report_says_so(with_blanks, tmp_path):
    path, _ = with_blanks
    document = run(path, tmp_path / "o")
    assert document["summary"]["question"] is None
    report = BeautifulSoup((tmp_path / "o" / "report.html").read_text(), "html.parser")
    assert "not given" in report.get_text() and "answer" in report.find("h1").get_text()
    assert "survey.csv" not in report.find("h1").get_text()


def test_question_in_the_api():
    texts = [row["answer"] for row in responses(60, seed=2)]
    model = ThemeModel(n_themes=2, engine="fast").fit(texts, question=f"  {QUESTION}\n")
    assert model.summary_["question"] == QUESTION


def test_stance_not_measured_without_an_agreement_answer(with_blanks, tmp_path):
    path, _ = with_blanks
    document = run(path, tmp_path / "o")
    assert document["summary"]["stance_measured"] is False
    assert all(theme["stance"] == {} for theme in document["themes"])
    rows = list(csv.DictReader((tmp_path / "o" / "assignments.csv").open(encoding="utf-8")))
    assert {row["stance"] for row in rows} == {""}
    report = BeautifulSoup((tmp_path / "o" / "report.html").read_text(), "html.parser")
    text = report.get_text(" ")
    assert "Stance not measured" in text and "unclear" not in text.lower()
    # no stance bar: the only charts left are the theme-size chart
    assert len(report.find_all("svg")) == 1


def test_stance_measured_with_an_agreement_answer(with_blanks, tmp_path):
    path, _ = with_blanks
    document = run(path, tmp_path / "o", "--stance-column", "agree")
    assert document["summary"]["stance_measured"] is True
    assert all(
        set(t["stance"]) == {"for", "against", "mixed", "unclear"} for t in document["themes"]
    )
    report = BeautifulSoup((tmp_path / "o" / "report.html").read_text(), "html.parser")
    assert "Stance not measured" not in report.get_text()
    stance_chart = report.find("svg", attrs={"aria-labelledby": "stance-T01"})
    assert stance_chart is not None
    assert all(rect.find("title") for rect in stance_chart.find_all("rect"))  # labelled bars
    # the counts say what they count: the answers mentioning the theme (it can exceed size)
    first = document["themes"][0]
    counts = ", ".join(f"{stance_name(n).lower()} {c}" for n, c in first["stance"].items())
    assert "mixed" not in counts  # "mixed" is named "neither", as the workspace names it
    # (lower case mid-sentence since wording28)
    said = f"Of the {first['mentions']} answers mentioning it: {counts}"
    assert said in report.get_text(" ")
    assert sum(first["stance"].values()) == first["mentions"]
    # Each theme's lean is said in words, in its section and in the headline table, so a
    # theme holding both sides reads "Divided", not as one view.
    lean = stance_words(first["stance"])
    assert lean and f"{lean[:1].upper()}{lean[1:]}. {said}" in report.get_text(" ")
    headline = report.find("table")
    headers = [th.get_text() for th in headline.find_all("th", scope="col")]
    assert headers[-2:] == ["Stance of the answers mentioning it", "Check before quoting"]
    first_row = headline.find("a", href="#h-T01").find_parent("tr")
    assert first_row.find_all("td")[-2].get_text() == f"{lean[:1].upper()}{lean[1:]}"


def test_a_theme_holding_both_sides_is_called_divided():
    assert stance_lean({"for": 21, "against": 24, "mixed": 0, "unclear": 0}) == "divided"
    assert stance_lean({"for": 3, "against": 40}) == "mostly against"
    assert stance_lean({}) == ""


def test_every_answer_on_one_side_is_all_not_mostly():
    """smoke10 finding 12: 20 of 20 against read "Mostly against" in report.html while the
    web app said "All against (20)"; one rule for both now."""
    from consult.reports.wording import stance_glance

    assert stance_words({"for": 0, "against": 20, "mixed": 0, "unclear": 0}) == ("all against (20)")
    assert stance_words({"for": 18}) == "all for (18)"
    assert stance_words({"mixed": 3, "for": 0}) == "all neither (3)"
    assert stance_words({"for": 3, "against": 40}) == "mostly against"
    assert stance_words({}) == ""
    for counts in ({"for": 0, "against": 20, "mixed": 0}, {"for": 18, "against": 0}):
        assert stance_glance(counts, True).lower() == stance_words(counts)


def test_report_html_says_all_against_in_the_section_and_the_table(with_blanks, tmp_path):
    from analysis.report import render_report

    path, _ = with_blanks
    document = run(path, tmp_path / "o", "--stance-column", "agree")
    first = document["themes"][0]
    first["stance"] = {"for": 0, "against": first["mentions"], "mixed": 0, "unclear": 0}
    report = BeautifulSoup(render_report(document), "html.parser")
    said = f"All against ({first['mentions']}). Of the {first['mentions']} answers mentioning"
    assert said in report.get_text(" ")
    row = report.find("table").find("a", href="#h-T01").find_parent("tr")
    assert row.find_all("td")[-2].get_text() == f"All against ({first['mentions']})"
    assert "Mostly against" not in str(row)


def test_segment_names_are_human(with_blanks, tmp_path):
    path, _ = with_blanks
    run(path, tmp_path / "o", "--segment-column", "partner_type")
    report = BeautifulSoup((tmp_path / "o" / "report.html").read_text(), "html.parser")
    captions = [c.get_text() for c in report.find_all("caption")]
    assert any(c.startswith("By partner type") for c in captions)
    assert not any("partner_type" in c for c in captions)
    headers = [th.get_text() for th in report.find_all("th", attrs={"scope": "row"})]
    assert "FE college" in headers and "fe_college" not in headers
    assert segment_heading("partner_type") == "Partner type"
    assert segment_heading("size-band") == "Size band"
    assert value_label("fe_college") == "FE college"
    assert value_label("Small business") == "Small business"
    assert value_label("") == "Not given"


def test_too_few_to_tell():
    # two answers in a segment: even both raising a theme could not be told from chance
    segments = ["big"] * 60 + ["tiny"] * 2
    theme_rows = [{i % 4} for i in range(62)]
    cells = segment_breakdown(theme_rows, segments, 4)
    for theme in cells:
        assert theme["tiny"]["verdict"] == "too few to tell"
        assert theme["tiny"]["p_adjusted"] is None and theme["tiny"]["test"] == "too few"
    from analysis.report import _segment_table

    html = _segment_table("partner_type", cells[0])
    assert "too few answers to tell" in html and "p=1" not in html


def test_a_real_difference_is_found_and_the_rest_are_no_clear_difference():
    # 200 answers, 5 segments x 8 themes: s0 raises theme 0 in 24 of 40 answers (60 %),
    # the other segments in 32 of 160 (20 %)
    segments = [f"s{i // 40}" for i in range(200)]
    theme_rows = []
    for i in range(200):
        position = i % 40
        raised = position < 24 if segments[i] == "s0" else position < 8
        theme_rows.append({0} if raised else {1 + position % 7})
    cells = segment_breakdown(theme_rows, segments, 8)
    assert cells[0]["s0"]["verdict"] == "higher" and cells[0]["s0"]["significant"]
    assert cells[0]["s0"]["p_adjusted"] < 0.05
    assert cells[0]["s1"]["verdict"] in ("lower", "no clear difference")
    assert cells[3]["s2"]["verdict"] == "no clear difference"


def test_tarone_and_benjamini_hochberg():
    assert most_extreme_p(3, 60, 15) > most_extreme_p(30, 60, 15)
    assert most_extreme_p(0, 10, 3) == 1.0
    assert tarone_testable([0.001, 0.2, 0.5]) == [True, False, False]
    assert benjamini_hochberg([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.04, 0.04])


def _apart(n_a: int, n_b: int, b_raising: int) -> tuple[list[set[int]], list[str]]:
    """Every answer of segment "a" raises theme 0, only ``b_raising`` of "b"'s (the rest
    raise theme 1): a real difference, so "a" gets distinctive words."""
    rows = [{0}] * n_a + [{0}] * b_raising + [{1}] * (n_b - b_raising)
    return rows, ["a"] * n_a + ["b"] * n_b


def test_distinctive_words_are_readable():
    assert readable("bus service") and readable("apprenticeships")
    assert not readable("think non") and not readable("lets") and not readable("fe")
    theme_rows, segments = _apart(40, 40, 8)
    tokens = [["think", "non", "research"] for _ in range(40)] + [["rates"] for _ in range(40)]
    cells = segment_breakdown(theme_rows, segments, 2, tokens)
    assert cells[0]["a"]["verdict"] == "higher"
    assert cells[0]["a"]["distinctive_words"] == ["research"]


def test_distinctive_words_only_where_the_difference_is_real():
    """A segment that raises a theme no more than the rest gets no distinctive words for it
    (it got some before: words found by chance over hundreds tested, shown beside "no clear
    difference"); one that really differs gets words a reader recognises."""
    # 200 answers, 5 segments x 8 themes: s0 raises theme 0 in 24 of 40 answers (60 %),
    # the other segments in 32 of 160 (20 %); s2 writes "trams" in every answer but
    # raises each theme as often as everyone else
    segments = [f"s{i // 40}" for i in range(200)]
    theme_rows, tokens = [], []
    for i in range(200):
        position = i % 40
        raised = position < 24 if segments[i] == "s0" else position < 8
        theme_rows.append({0} if raised else {1 + position % 7})
        words = ["apprenticeships", "colleges"] if segments[i] == "s0" and raised else ["buses"]
        tokens.append(words + (["trams", "interchange"] if segments[i] == "s2" else []))
    cells = segment_breakdown(theme_rows, segments, 8, tokens)
    real = cells[0]["s0"]
    assert real["verdict"] == "higher"
    assert real["distinctive_words"] and all(map(readable, real["distinctive_words"]))
    assert "apprenticeships" in real["distinctive_words"]
    for theme in cells:
        for cell in theme.values():
            if cell["verdict"] not in ("higher", "lower"):
                assert cell["distinctive_words"] == [], cell
    assert cells[3]["s2"]["verdict"] == "no clear difference"
    from analysis.report import _segment_table

    html = _segment_table("partner_type", cells[3])
    assert "trams" not in html


@pytest.mark.parametrize(
    "text",
    [
        "Bus services are unreliable and buses are often late, so we need better support.",
        "Bus services are unreliable and buses are often late in the morning.",
        "Waiting times are far too long and there are not enough staff.",
        "We need more funding for adult skills; the current budget is inadequate.",
        "Housing costs are rising faster than wages, so staff cannot afford to live nearby.",
    ],
)
def test_clear_complaints_are_negative(text):
    assert Sentiment().score(text) < -0.2


@pytest.mark.parametrize(
    "text",
    ["Nothing - perfect", "No complaints, the staff were wonderful.", "Can't fault the service."],
)
def test_satisfied_replies_are_positive(text):
    assert Sentiment().score(text) > 0.2


def test_bare_no_is_neutral_not_negative():
    sentiment = Sentiment()
    assert sentiment.score("No") == 0.0 and sentiment.vader("No") < 0
    assert sentiment.score("") == 0.0


def test_distinctive_phrases_are_written_as_such():
    theme_rows, segments = _apart(30, 30, 6)
    tokens = [["bus service", "bus", "region birmingham"] for _ in range(30)] + [
        ["rates"] for _ in range(30)
    ]
    texts = ["The bus service in the region of Birmingham is poor"] * 30 + ["Rates"] * 30
    cells = segment_breakdown(theme_rows, segments, 2, tokens, texts=texts)
    # "region birmingham" is never written so; "bus" is shown inside "bus service"
    assert cells[0]["a"]["distinctive_words"] == ["bus service"]


def test_distinctive_words_leave_out_openers_and_chance():
    theme_rows, segments = _apart(30, 30, 6)
    tokens = [["honestly", "apprenticeships"] for _ in range(30)] + [["rates"] for _ in range(30)]
    texts = ["Honestly, apprenticeships matter."] * 30 + ["Rates."] * 30
    cells = segment_breakdown(theme_rows, segments, 2, tokens, texts=texts)
    # "honestly" is over-used by segment a, but only ever as an opener that says nothing
    assert cells[0]["a"]["distinctive_words"] == ["apprenticeships"]
    # Two more uses of a word in a small segment is chance, not a distinctive word (z < 2.58)
    few = [["walsall", "walsall", "buses"]] + [["buses"]] * 5 + [["buses"]] * 30
    theme_rows, segments = _apart(6, 30, 3)
    cells = segment_breakdown(theme_rows, segments, 2, few)
    assert cells[0]["a"]["verdict"] == "higher"
    assert "walsall" not in cells[0]["a"]["distinctive_words"]


def test_bare_nothing_is_satisfied_only_when_the_question_asks_what_to_change():
    assert Sentiment("What could we do better?").score("Nothing.") > 0.2
    assert Sentiment("What should the plan change?").score("No") > 0.2
    assert Sentiment("Any other comments?").score("Nothing.") == 0.0
    assert Sentiment().score("Nothing.") == 0.0
