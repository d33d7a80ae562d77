"""A theme labelled with a point few of its answers make gets the point most of them make
(issue 12, smoke7 finding 1: "Build more social housing ...", made by about 6 of 36 answers,
over a theme of which about 32 ask to be told what changed), in clear cases only; the
flags then speak of the label shown."""

from __future__ import annotations

from analysis.describe import Quote, label_first
from analysis.label_points import majority_point
from analysis.relabel import (
    commonest_wording,
    label_from_sentence,
    label_quote_first,
    old_label_point,
    relabel_themes,
)
from analysis.report import LABEL_FEW_TAG, theme_flags
from tests.analysis.test_label_points import word_embed


def test_only_a_clear_majority_point_replaces_a_minority_label():
    assert majority_point(6, [3, 32], 36) == 1  # the smoke7 case
    assert majority_point(6, [17, 16], 36) == -1  # no point made by half
    assert majority_point(12, [32], 36) == -1  # the label's point made by a third or more
    assert majority_point(11, [32], 36) == 0
    assert majority_point(14, [26], 44) == -1  # "Shire districts ...": not twice as many
    assert majority_point(5, [9, 12], 20) == 1  # 12 >= half of 20 and >= 2 * 5
    assert majority_point(None, [30], 36) == -1 and majority_point(6, [None], 36) == -1
    assert majority_point(0, [1], 0) == -1


def test_a_sentence_becomes_a_label_whole_or_not_at_all():
    sentence = "In our view, publish a summary of what partners said and what changed as a result."
    assert label_from_sentence(sentence, []) == (
        "Publish a summary of what partners said and what changed as a result"
    )
    long = (
        "Too many conditions remain attached to the money, so it is not real control over "
        "funding for the councils of the region."
    )
    assert label_from_sentence(long, []) is None  # over 14 words: never a fragment of it
    assert label_from_sentence("Call me on [phone] about the buses.", []) is None
    shouted = "PUBLISH WHAT CHANGED AS A RESULT."
    assert label_from_sentence(shouted, [shouted]) == "Publish what changed as a result"


def _theme(label: str, label_point: int, mentions: int, summary: list[dict]) -> dict:
    quotes = [
        {"id": "A1", "text": "Build more homes for young people."},
        {"id": "A2", "text": "Run more buses at night.", "same": 3},
    ]
    return {
        "id": "T01",
        "label": label,
        "mentions": mentions,
        "label_point": label_point,
        "summary": summary,
        "quotes": quotes,
    }


def test_a_theme_is_relabelled_and_its_flags_follow_the_new_label():
    texts = ["Build more homes for young people."] + ["Run more buses at night."] * 8
    texts += ["Fund skills courses."]
    bus = {"id": "A2", "text": "Run more buses at night.", "ids": ["A2"], "answers_as_label": 8}
    skills = {"id": "A3", "text": "Fund skills courses.", "ids": ["A3"], "answers_as_label": 1}
    theme = _theme("Build more homes for young people", 1, 10, [bus, skills])
    assert theme_flags(0.9, 10, 1, summary=theme["summary"]) == [LABEL_FEW_TAG]

    ids = [f"A{i}" for i in range(10)]
    stances = ["for"] * 10
    changed = relabel_themes(
        [theme], [list(range(10))], texts, word_embed, [1] * 10, ids=ids, stances=stances
    )

    assert changed == [("Build more homes for young people", "Run more buses at night")]
    assert theme["label"] == "Run more buses at night"
    assert theme["label_point"] == 8  # counted again, as the old label's point was
    # the sentence is the label now; the old label one of the other points, with its count
    old = {
        "id": "A0",
        "text": "Build more homes for young people.",
        "ids": ["A0"],
        "stance": "for",
        "answers": 1,
        "answers_as_label": 1,
    }
    assert theme["summary"] == [old, skills]
    assert theme["quotes"][0]["id"] == "A2"  # the quote making the label's point first
    assert theme["quotes"][0]["same"] == 3
    assert theme_flags(0.9, 10, theme["label_point"], summary=theme["summary"]) == []


def test_no_relabel_in_a_close_case_nor_onto_another_themes_label():
    texts = ["Build more homes."] * 3 + ["Run more buses at night."] * 5 + ["Fund skills."] * 2
    bus = {"id": "A2", "text": "Run more buses at night.", "ids": ["A2"], "answers_as_label": 5}
    close = _theme("Build more homes", 3, 10, [dict(bus)])
    assert relabel_themes([close], [list(range(10))], texts, word_embed, [1] * 10) == []
    assert close["label"] == "Build more homes"
    assert theme_flags(0.9, 10, 3, summary=close["summary"]) == [LABEL_FEW_TAG]  # flagged still

    texts = ["Build more homes."] + ["Run more buses at night."] * 9
    few = _theme("Build more homes", 1, 10, [dict(bus, answers_as_label=9)])
    other = _theme("Run more buses at night", 9, 9, [])
    mentions = [list(range(10)), list(range(1, 10))]
    assert relabel_themes([few, other], mentions, texts, word_embed, [1] * 10) == []
    assert few["label"] == "Build more homes"


def test_the_new_label_is_the_wording_most_answers_say():
    """smoke8 finding 1: the point most answers make, in the words most of them use
    ("Please keep partners informed ..." said by 29 of 36), not a summary sentence's
    rarer wording of it ("Publish a summary ..." said by 3), and its quote goes first."""
    texts = ["Build more homes for young people."] + ["Publish what changed for buses."] * 2
    texts += ["Please keep us informed about buses."] * 6 + ["Fund skills courses."]
    bus = {"id": "A1", "text": "Publish what changed for buses.", "ids": ["A1"]}
    bus["answers_as_label"] = 8
    theme = _theme("Build more homes for young people", 1, 10, [bus])
    theme["quotes"] = [
        {"id": "A0", "text": "Build more homes for young people."},
        {"id": "A3", "text": "Please keep us informed about buses.", "same": 5},
    ]
    ids = [f"A{i}" for i in range(10)]

    changed = relabel_themes([theme], [list(range(10))], texts, word_embed, [1] * 10, ids=ids)

    assert changed == [("Build more homes for young people", "Please keep us informed about buses")]
    assert theme["label_point"] == 8
    assert theme["quotes"][0]["id"] == "A3"
    # each answer standing for several rows counts as often: the rarer wording wins then
    weights = [1, 5, 5] + [1] * 7
    theme = _theme("Build more homes for young people", 1, 10, [dict(bus)])
    relabel_themes([theme], [list(range(10))], texts, word_embed, weights, ids=ids)
    assert theme["label"] == "Publish what changed for buses"


def test_the_commonest_wording_is_among_those_making_the_point():
    texts = ["Fund skills courses now."] * 5 + ["Run more buses at night."] * 2
    found = commonest_wording("Run more buses at night.", range(7), texts, word_embed, [1] * 7)
    assert found == "Run more buses at night"  # the commoner skills sentence is another point
    assert commonest_wording("Fund skills.", [5, 6], texts, word_embed, [1] * 7) is None


def test_the_quote_saying_the_new_label_alone_goes_first():
    """smoke8 finding 1: the first quote said the old label's point and then the new one's,
    as close to the label as the quote saying it alone, so it stayed first."""
    both = Quote("A0", "Build more homes for young people. Please keep us informed about buses.")
    alone = Quote("A3", "In our view, please keep us informed about buses.", 5)
    other = Quote("A4", "Fund skills courses.")
    label = "Please keep us informed about buses"
    assert label_first([both, alone, other], label, word_embed)[0] is both  # the tie
    assert label_quote_first([both, alone, other], label, word_embed) == [alone, both, other]
    # no quote in the label's words: as under any label
    assert label_quote_first([other, both], "Run buses", word_embed) == [both, other]


def test_a_label_almost_none_of_the_theme_makes_gets_the_statement_most_make():
    """smoke9 finding 11: "Busy on nights so can't come straight way ..." labelled a theme of
    662 answers, about 3 of which make it, and no summary sentence was made by half (so the
    majority rule did not fire). Under LABEL_FLOOR of the mentions, the sentence of its answers
    whose point most of them make becomes the label; the old label joins the other points."""
    texts = ["Busy at night, so can't come straight away.", "Buses are fine."]
    texts += ["Nothing I can think of, buses are fine."] * 3 + ["Buses are fine."] * 3
    texts += ["Fund skills courses."] * 3 + ["Build more homes."] * 3
    rows = list(range(len(texts)))
    homes = {"id": "A10", "text": "Build more homes.", "ids": ["A10"], "answers": 3}
    homes["answers_as_label"] = 3
    old = "Busy at night, so can't come straight away"
    theme = _theme(old, 1, len(texts), [homes])
    ids = [f"A{i}" for i in rows]
    assert majority_point(1, [3], len(texts)) == -1  # no point made by half

    changed = relabel_themes([theme], [rows], texts, word_embed, [1] * len(texts), ids=ids)

    assert changed == [(old, "Buses are fine")]
    assert theme["label_point"] == 7
    said = [s["text"] for s in theme["summary"]]
    assert said == ["Build more homes.", "Busy at night, so can't come straight away."]
    # never onto another theme's label, nor nearly it: the next most made point instead
    theme = _theme(old, 1, len(texts), [dict(homes)])
    other = _theme("Buses are fine", 7, 7, [])
    relabel_themes([theme, other], [rows, rows[1:8]], texts, word_embed, [1] * len(texts))
    assert theme["label"] == "Fund skills courses"


def test_the_safety_net_fires_only_below_the_floor():
    """A label made by a tenth of its mentions or more keeps its label (and its flag): the
    net is for labels almost none of the theme makes, not for every mixed theme."""
    texts = ["Build more homes."] * 2 + ["Run more trams."] * 7 + ["Fund skills courses."] * 11
    rows = list(range(20))
    theme = _theme("Build more homes", 2, 20, [])
    assert relabel_themes([theme], [rows], texts, word_embed, [1] * 20) == []
    theme = _theme("Build more homes", 1, 20, [])
    assert relabel_themes([theme], [rows], texts, word_embed, [1] * 20) == [
        ("Build more homes", "Fund skills courses")
    ]
    # the fast engine counts no label point: nothing to judge
    theme = _theme("Build more homes", None, 20, [])
    assert relabel_themes([theme], [rows], texts, word_embed, [1] * 20) == []


def test_a_label_fewer_than_half_make_takes_a_clearly_commoner_point():
    """smoke17s finding 4: "Non-constituent authorities ..." said by 12 of its 64 answers
    kept its label beside a point 24 make (no majority). Counted nearest-only (a run's
    counts), a point the "another point is commoner" rule flags replaces a label fewer than
    half make; not a label half make, nor a point only a little commoner."""
    from analysis.relabel import minority_label_point

    assert minority_label_point(12, [24, 14, 13, 8], 64) == 0
    assert minority_label_point(12, [14], 64) == -1  # not clearly commoner
    assert minority_label_point(32, [50], 64) == -1  # half make the label's point
    assert minority_label_point(None, [24], 64) == -1 and minority_label_point(3, [9], 0) == -1

    texts = ["Build more homes."] * 3 + ["Run more buses at night."] * 5 + ["Fund skills."] * 2
    bus = {"id": "A3", "text": "Run more buses at night.", "ids": ["A3"], "answers_as_label": 5}
    close = _theme("Build more homes", 3, 10, [dict(bus)])
    ids = [f"A{i}" for i in range(10)]
    assert relabel_themes([close], [list(range(10))], texts, word_embed, [1] * 10) == []
    changed = relabel_themes(
        [close], [list(range(10))], texts, word_embed, [1] * 10, ids=ids, nearest=True
    )
    assert changed == [("Build more homes", "Run more buses at night")]
    assert close["label_point"] == 5
    # the old label is one of its points now, counted as the run counts (nearest-only)
    assert [(s["text"], s["answers"]) for s in close["summary"]] == [("Build more homes.", 3)]


def test_the_old_label_as_a_point_lists_only_answers_whose_main_theme_this_is():
    """ci5a: the old label, one of the theme's other points once relabelled, listed answers
    that only mention the theme (their main theme another), so a summary sentence cited an
    answer of another theme (test_describe's demo check)."""
    texts = ["Build more homes for young people."] * 3 + ["Run more buses at night."] * 3
    ids = [f"A{i}" for i in range(6)]
    label = "Build more homes for young people"
    every = old_label_point(label, 3, range(6), texts, word_embed, [1] * 6, ids)
    assert every is not None and every["ids"] == ["A0", "A1", "A2"]
    # A0 and A1 mention the theme but their main theme is another: not quoted nor listed,
    # still counted among the theme's answers making the point
    own = old_label_point(label, 3, range(6), texts, word_embed, [1] * 6, ids, own=[2, 3, 4, 5])
    assert own is not None and own["id"] == "A2" and own["ids"] == ["A2"]
    assert own["answers"] == 3 and own["answers_as_label"] == 3
    none = old_label_point(label, 3, range(6), texts, word_embed, [1] * 6, ids, own=[3, 4, 5])
    assert none is None  # no answer of its own says it
