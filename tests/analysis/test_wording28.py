"""The command line's report and the analysis's own words, as a policy officer read them on
the demo (wording28, smoke27's findings): the headline's base, the Size line saying its
counts once, stances in sentence case, keywords that are another theme's label, and the note
of a theme whose answers make no other point of their own."""

from __future__ import annotations

from analysis.keyword_owners import borrowed_keywords_left_out
from analysis.other_themes import (
    OLD_NOTE,
    OTHER_THEMES_NOTE,
    named_in,
    other_themes_note,
)
from analysis.report import (
    STANCE_WORDS_NOTE,
    _stance_summary,
    _theme_section,
    label_point_sentences,
    point_headline,
)


def test_the_headline_names_its_base_beside_the_theme_count():
    assert point_headline(84, 31, 222) == (
        "About 31 of the 222 answers (14%) make this point, fewer than half of the 84 "
        "mentioning this theme"
    )
    assert point_headline(6, 1, 1200).startswith("About 1 of the 1,200 answers (0.1%) makes ")
    assert point_headline(84, 42, 222) == "" and point_headline(84, None, 222) == ""


def test_after_the_headline_the_size_sentences_do_not_repeat_its_counts():
    alone = label_point_sentences(84, 31)
    assert alone[0] == (
        "Of the 84 answers mentioning it, about 31 make the label's own point, fewer than half."
    )
    after = label_point_sentences(84, 31, headline=True)
    assert after == alone[1:]
    # half or more: no headline, nothing left out
    assert label_point_sentences(84, 60, headline=True) == label_point_sentences(84, 60)


def _theme(**extra):
    return {
        "id": "T01",
        "label": "A formal role would give employers a real voice",
        "size": 64,
        "share": 0.29,
        "share_ci95": [0.23, 0.35],
        "mentions": 84,
        "label_point": 31,
        "stability": 0.6,
        "keywords": ["real voice"],
        "summary": [],
        "quotes": [],
        "stance": {"for": 63, "against": 7, "mixed": 14, "unclear": 0},
        **extra,
    }


def test_the_command_lines_theme_section_says_the_label_count_once():
    html = _theme_section(_theme(), 222)
    assert "About 31 of the 222 answers (14%) make this point" in html
    assert html.count("about 31") == 0 and html.count("About 31") == 1
    assert "fewer than half" in html and html.count("fewer than half") == 1


def test_stances_mid_sentence_are_in_lower_case():
    said = _stance_summary(_theme())
    assert said.endswith(
        "Of the 84 answers mentioning it: for 63, against 7, neither 14, unclear 0"
    )
    assert STANCE_WORDS_NOTE.startswith("Stance is for, against, neither (mixed) or unclear: ")


def test_a_keyword_that_is_another_themes_label_is_that_themes():
    """smoke27, the demo's Q6 (semantic T05): "Trade unions and community groups should sit
    beside employers on any such board" showed "elected members, spending decisions,
    unelected business leaders", the words of the next theme's label, which 11 of its 21
    answers also say and 26 of that theme's 32 do."""
    spending = "Spending decisions must stay with elected members, not unelected business leaders."
    unions = "Trade unions and community groups should sit beside employers on any such board."
    sole = "Only big employers have time to sit on boards, not sole traders."
    themes = [
        {
            "id": "T02",
            "label": "Spending decisions must stay with elected members, not unelected business "
            "leaders",
            "keywords": ["elected members", "spending decisions", "community sector"],
        },
        {
            "id": "T05",
            "label": "Trade unions and community groups should sit beside employers on any such "
            "board",
            "keywords": [
                "community groups",
                "trade unions",
                "board",
                "big employers",
                "elected members",
                "spending decisions",
                "unelected business leaders",
                "sole traders",
            ],
        },
    ]
    texts = [
        [spending] * 26 + ["The community sector needs a seat."] * 6,
        [f"{unions} {spending}"] * 11 + [f"{unions} {sole}"] * 10,
    ]
    left = borrowed_keywords_left_out(themes, texts)
    assert left == [
        ("T05", "elected members"),
        ("T05", "spending decisions"),
        ("T05", "unelected business leaders"),
    ]
    assert themes[1]["keywords"] == [
        "community groups",
        "trade unions",
        "board",
        "big employers",
        "sole traders",
    ]
    # the theme owning the phrase keeps it; a single word is left alone
    assert themes[0]["keywords"] == ["elected members", "spending decisions", "community sector"]


def test_a_keyword_said_as_another_themes_whole_label_is_that_themes_however_often():
    """The fast engine's version of the demo's Q6: the trade-unions theme (17 answers) says
    the spending theme's label in 11, a larger share than the spending theme's own answers
    (20 of 37, a theme holding other points too); the phrase is still the other theme's
    sentence, made as a second point."""
    spending = "Spending decisions must stay with elected members, not unelected business leaders."
    unions = "Trade unions and community groups should sit beside employers on any such board."
    themes = [
        {"id": "T03", "label": spending[:-1], "keywords": ["elected members", "large firms"]},
        {
            "id": "T06",
            "label": unions[:-1],
            "keywords": ["community groups", "trade unions", "board", "elected members"],
        },
    ]
    texts = [
        [spending] * 20 + ["Large firms would dominate."] * 17,
        [f"We think {spending[:1].lower()}{spending[1:]} {unions}"] * 11 + [unions] * 6,
    ]
    assert borrowed_keywords_left_out(themes, texts) == [("T06", "elected members")]
    # elected members said in passing, not as the other theme's sentence: kept
    themes[1]["keywords"] = ["community groups", "trade unions", "board", "elected members"]
    texts[1] = ["Elected members and trade unions should sit on any such board."] * 11
    assert borrowed_keywords_left_out(themes, texts) == []


def test_a_borrowed_keyword_stays_where_the_theme_uses_it_more_or_would_have_too_few():
    themes = [
        {"id": "T01", "label": "Run more evening buses", "keywords": ["evening buses", "fares"]},
        {
            "id": "T02",
            "label": "Cheaper fares for students",
            "keywords": ["evening buses", "students", "cheaper fares"],
        },
    ]
    texts = [["Run more evening buses."] * 4, ["Evening buses and cheaper fares."] * 5]
    # T02's answers say "evening buses" more than T01's: it is T02's too
    assert borrowed_keywords_left_out(themes, texts) == []
    themes[1]["keywords"] = ["evening buses", "students", "cheaper fares"]
    texts = [["Run more evening buses."] * 5, ["Evening buses, cheaper fares."] * 2 + ["x"] * 3]
    # left out only where the theme keeps more than two keywords (analysis.mixed)
    assert borrowed_keywords_left_out(themes, texts) == []


def test_the_other_themes_note_says_where_to_read_the_other_points():
    note = other_themes_note(["T03", "T07"])
    assert note == (
        "This theme makes one point of its own, its label's; for the other points its answers "
        "make, see T03 and T07."
    )
    assert named_in(note) == ["T03", "T07"] and named_in(OTHER_THEMES_NOTE) == []
    # runs stored before keep their names when a review edit renames them
    assert named_in(OLD_NOTE) == []
    assert named_in(f"{OLD_NOTE[:-1]}: T02, T01 and T04.") == ["T02", "T01", "T04"]
    assert named_in("Buses are late.") is None
