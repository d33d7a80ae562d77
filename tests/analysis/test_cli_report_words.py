"""The command line's report says its breakdowns by segment in words a policy officer reads
("higher than the rest (significant)", "no clear difference"), with p and its test kept in
brackets for those who want them; says once what stance not measured and the breakdowns
mean, not under every theme."""

from __future__ import annotations

from bs4 import BeautifulSoup

from analysis.report import (
    SIGNIFICANCE_NOTE,
    STANCE_NOT_MEASURED,
    _segment_table,
    _verdict,
    chance_gap,
    comparison_counts,
    difference_sentence,
    p_words,
    render_report,
)


def _cell(verdict: str, share: float, rest: float, p: float | None, **extra) -> dict:
    return {
        "count": round(100 * share),
        "of": 100,
        "share": share,
        "ci95": [max(0.0, share - 0.1), min(1.0, share + 0.1)],
        "rest_share": rest,
        "test": "chi-square" if p is not None else "too few",
        "p_value": p,
        "p_adjusted": p,
        "significant": verdict in ("higher", "lower"),
        "verdict": verdict,
        "distinctive_words": ["staff", "friendly"] if verdict in ("higher", "lower") else [],
        **extra,
    }


def _text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def test_verdicts_are_words_with_the_figures_in_brackets():
    higher = _text(_verdict(_cell("higher", 0.46, 0.08, 0.0)))
    assert higher == "higher than the rest (significant) (p < 0.001, chi-squared test)"
    lower = _text(_verdict(_cell("lower", 0.02, 0.10, 0.028)))
    assert lower == "lower than the rest (significant) (p = 0.028, chi-squared test)"
    # No figures beside "no clear difference", as the workspace's report: a corrected p capped
    # at 1 read "p = 1" on every row of the command line's tables (smoke18r #12).
    assert _text(_verdict(_cell("no clear difference", 0.1, 0.1, 1.0))) == "no clear difference"
    assert _text(_verdict(_cell("no clear difference", 0.1, 0.1, 0.3))) == "no clear difference"
    assert _verdict(_cell("too few to tell", 0.5, 0.1, None)) == "too few answers to tell"
    # Rows that did not give the segment are counted, never compared: not "no clear difference".
    not_given = _cell("not compared", 0.3, 0.0, None, test="not compared")
    assert _verdict(not_given, "Label") == "not compared: these answers did not give a label"
    assert _verdict(not_given, "Age band").endswith("did not give an age band")


def test_a_tiny_p_is_never_p_equals_0_and_its_sign_is_escaped():
    assert p_words(0.0) == "p < 0.001" and p_words(6.6e-05) == "p < 0.001"
    assert p_words(0.00123) == "p = 0.0012" and p_words(1.0) == "p = 1"
    html = _verdict(_cell("higher", 0.46, 0.08, 0.0))
    assert "p &lt; 0.001" in html and "p < 0.001" not in html
    assert "p = 0," not in html


def test_significant_differences_are_said_in_sentences_above_the_table():
    cells = {
        "Access": _cell("no clear difference", 0.04, 0.09, 0.34),
        "Staff": _cell("higher", 0.459, 0.082, 0.0),
        "Couldn't be improved": _cell("lower", 0.004, 0.14, 0.0),
        "Environment": _cell("lower", 0.0, 0.10, 0.0),
    }
    soup = BeautifulSoup(_segment_table("label", cells), "html.parser")
    items = [" ".join(li.get_text().split()) for li in soup.find_all("li")]
    assert items == [
        "Answers whose label is “Staff” mention this 5.6 times as often as everyone else's "
        "(46% against 8%).",
        "Answers whose label is “Couldn't be improved” mention this less often than everyone "
        "else's (0.4% against 14%): the others mention it 35 times as often.",
        "Answers whose label is “Environment” never mention this, against 10% of everyone else's.",
    ]
    headers = [th.get_text() for th in soup.find("thead").find_all("th")]
    assert "Share of everyone else's" in headers and "Difference from the rest" in headers
    staff = soup.find("th", string="Staff").find_parent("tr")
    cells_text = [td.get_text(" ") for td in staff.find_all("td")]
    assert cells_text[3] == "8.2%"  # everyone else's share, beside the row's own
    assert cells_text[5] == "staff, friendly"
    access = soup.find("th", string="Access").find_parent("tr")
    assert access.find_all("td")[5].get_text() == "–"  # no words beside no difference


def test_no_difference_and_too_few_are_said_once_per_table():
    none = {"A": _cell("no clear difference", 0.1, 0.1, 0.8)}
    assert "No label differs significantly from the rest on this theme." in _text(
        _segment_table("label", none)
    )
    few = {"A": _cell("too few to tell", 0.5, 0.1, None), "B": _cell("too few to tell", 0, 0, None)}
    said = _text(_segment_table("label", few))
    assert "Too few answers to tell whether any label differs" in said
    assert "differs significantly" not in said


def test_a_large_gap_lost_to_the_correction_is_said_as_the_workspace_says_it():
    cell = _cell("no clear difference", 0.65, 0.42, 0.2, p_value=0.01)
    assert chance_gap(cell, 27) == (
        "65% against 42%: a large gap, but with 27 comparisons it could be chance"
    )
    assert chance_gap(_cell("no clear difference", 0.45, 0.42, 0.2, p_value=0.01), 27) == ""
    assert chance_gap(_cell("no clear difference", 0.65, 0.42, 0.2, p_value=0.2), 27) == ""
    assert "a large gap, but with 27 comparisons" in _text(_verdict(cell, "Label", 27))
    themes = [{"segments": {"label": {"A": cell, "B": _cell("too few to tell", 0, 0, None)}}}] * 3
    assert comparison_counts(themes) == {"label": 3}


def test_difference_sentence_of_a_value_only_its_answers_mention():
    said = difference_sentence("Partner type", "fe_college", _cell("higher", 0.3, 0.0, 0.0))
    assert said == "Only answers whose partner type is “FE college” mention this (30% against 0%)."


def _document(stance_measured: bool = False) -> dict:
    cells = {"Staff": _cell("higher", 0.46, 0.08, 0.0), "Other": _cell("lower", 0.08, 0.46, 0.0)}
    themes = [
        {
            "id": f"T0{n}",
            "label": f"Theme {n}",
            "size": 5,
            "share": 0.5,
            "share_ci95": [0.2, 0.8],
            "mentions": 5,
            "stability": 0.9,
            "keywords": ["staff"],
            "summary": [],
            "quotes": [],
            "stance": {"for": 3, "against": 2} if stance_measured else {},
            "segments": {"label": cells},
        }
        for n in (1, 2, 3)
    ]
    return {
        "summary": {
            "rows": 10,
            "answered": 10,
            "substantive": 10,
            "non_substantive": 0,
            "themes": 3,
            "personal_data_masked": {},
            "duplicates": {"campaigns": 0},
            "stance_measured": stance_measured,
        },
        "themes": themes,
        "non_substantive": {
            "id": "NS",
            "label": "No substantive answer",
            "size": 0,
            "share": 0.0,
            "share_ci95": [0.0, 0.3],
        },
    }


def test_stance_not_measured_and_how_to_read_are_said_once():
    html = render_report(_document())
    assert html.count(STANCE_NOT_MEASURED) == 1  # at the top, not under every theme
    assert "<h3>Stance</h3>" not in html
    assert html.count('id="significance-note"') == 1
    assert BeautifulSoup(html, "html.parser").find(id="significance-note").get_text() == (
        SIGNIFICANCE_NOTE
    )
    measured = render_report(_document(stance_measured=True))
    assert measured.count("<h3>Stance</h3>") == 3 and STANCE_NOT_MEASURED not in measured


def test_a_report_without_segments_has_no_note_on_reading_them():
    document = _document()
    for theme in document["themes"]:
        del theme["segments"]
    assert "significance-note" not in render_report(document)


def test_one_theme_is_not_one_themes():
    from analysis.report import counts_sentence, themes_count

    assert themes_count(1) == "1 theme" and themes_count(17) == "17 themes"
    summary = {"rows": 2395, "answered": 2395, "substantive": 1522, "non_substantive": 873}
    assert counts_sentence(summary).startswith("2,395 answered of 2,395 responses. Of the 2,395")


def test_what_the_answers_with_no_substantive_answer_said_is_shown():
    """To "What could we do better?", 873 of 2,395 answers were "Nothing", "No", "None": the
    report counted them as "no substantive answer" without saying what they were."""
    from analysis.report import non_substantive_sentence

    document = _document()
    document["non_substantive"] |= {"size": 873, "examples": ["Nothing", "No", "None", "Nothing."]}
    soup = BeautifulSoup(render_report(document), "html.parser")
    said = soup.find(id="non-substantive").get_text()
    assert said.startswith(
        "The 873 answers with no substantive answer (in no theme) said most often: “Nothing”, "
        "“No”, “None”. Such short answers can be a view in themselves"
    )
    assert non_substantive_sentence({"size": 0, "examples": []}) == ""
    assert non_substantive_sentence({"size": 3}) == ""  # a document without examples
    assert "more length" not in said  # no theme says nothing needs to change


def test_the_no_substantive_line_names_the_themes_saying_nothing_needs_to_change():
    """Smoke walk 9, finding 12: 1,100 bare "Nothing"s were "no substantive answer" while
    "Nothing could have been done better" was a theme of 197: a reader counting "nothing to
    improve" must be told to add them. The bucket keeps only answers with nothing else in
    them; the line names each theme that says the same at more length."""
    from analysis.report import non_substantive_sentence, says_nothing_to_change

    for label in (
        "Nothing could have been done better",
        "Nothing I can think of",
        "Cannot think of anything right now",
        "I can't think of anything to improve",
        "No improvements needed",
    ):
        assert says_nothing_to_change(label), label
    for label in (
        "No parking at night",
        "Not enough staff on nights",
        "I was looked after very well",
        "I don't know",
        "Nothing was explained to me",
        "",
    ):
        assert not says_nothing_to_change(label), label
    document = _document()
    document["non_substantive"] |= {"size": 1100, "examples": ["Nothing", "No", "None"]}
    document["themes"][1] |= {"label": "Nothing could have been done better", "size": 197}
    document["themes"][2] |= {"label": "Nothing I can think of", "size": 531, "label_point": 53}
    soup = BeautifulSoup(render_report(document), "html.parser")
    said = " ".join(soup.find(id="non-substantive").get_text().split())
    # a theme gathering other points too: the answers making its label's point, not its size
    assert said.endswith(
        "Answers saying so at more length are themed apart: T02 “Nothing could have been "
        "done better” (197 answers) and T03 “Nothing I can think of” (about 53 answers make "
        "its point); count them too when counting the answers saying nothing needs to change."
    )
    themes = document["themes"][1:2]
    assert "apart: T02 “Nothing could have been done better” (197 answers); count it too" in (
        non_substantive_sentence(document["non_substantive"], themes)
    )


def test_the_report_says_its_neither_is_the_files_mixed():
    """smoke9 finding 23: assignments.csv and themes.json write ``mixed`` (the contract)
    where the report and the web app say "Neither"; the report says so once, at the top."""
    from analysis.report import STANCE_WORDS_NOTE

    html = render_report(_document(stance_measured=True))
    note = BeautifulSoup(html, "html.parser").find(id="stance-words")
    assert note is not None and note.get_text() == STANCE_WORDS_NOTE
    assert "neither (mixed)" in STANCE_WORDS_NOTE and "assignments.csv" in STANCE_WORDS_NOTE
    assert 'id="stance-words"' not in render_report(_document(stance_measured=False))
