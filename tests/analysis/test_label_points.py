"""A theme's mentions are not all credited to its label: the report counts who make its point."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import ThemeModel
from analysis.embeddings import MiniLMEmbedder, available
from analysis.label_points import label_point_counts, statement_makers
from analysis.report import label_point_note

pytestmark = pytest.mark.coding_encoder

needs_semantic = pytest.mark.skipif(not available(), reason="the semantic extra is not installed")

AXES = {"buses": 0, "homes": 1, "skills": 2}


def word_embed(texts: list[str]) -> np.ndarray:
    """A stand-in sentence model: one axis per topic word a text contains, unit length."""
    rows = np.zeros((len(texts), len(AXES) + 1))
    for row, text in enumerate(texts):
        for word, axis in AXES.items():
            if word in text.lower():
                rows[row, axis] = 1.0
        if not rows[row].any():
            rows[row, -1] = 1.0
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_only_answers_making_the_labels_point_are_counted():
    texts = [
        "Run more buses.",
        "Buses are late. Build more homes.",  # the point is its first sentence
        "Build more homes.",
        "Fund skills courses.",
    ]
    labels = ["Run more buses", "Build more homes"]
    mentions = [[0, 1, 3], [1, 2]]  # theme 0 also mentioned by a skills answer
    assert label_point_counts(labels, mentions, texts, word_embed) == [2, 2]


def test_an_answer_given_by_several_rows_counts_as_often():
    texts = ["Run more buses.", "Fund skills courses."]
    counts = label_point_counts(["Run more buses"], [[0, 1]], texts, word_embed, weights=[5, 2])
    assert counts == [5]


def test_no_themes_no_counts():
    assert label_point_counts([], [], ["Run more buses."], word_embed) == []


def test_the_report_says_so_only_when_fewer_than_all_mentions_make_the_point():
    assert label_point_note({"mentions": 100, "label_point": 64}) == (
        ". Of the 100 answers mentioning it, about 64 make the label's own point. An answer "
        "can make several points, so the same answers can also make the other points"
    )
    assert label_point_note({"mentions": 20, "label_point": None}) == ""


def test_the_report_says_when_every_mention_makes_the_labels_point():
    """A theme whose every mention makes its label's point said nothing, and a reader could
    not tell "all of them" from "not counted" (textfix, issue 12): one rule
    (:func:`analysis.report.all_make_the_label`) for the command line's report, the page and
    Word; nothing below FEW_ANSWERS answers, as for the other counts."""
    from analysis.report import all_make_the_label

    assert label_point_note({"mentions": 20, "label_point": 20}) == (
        ". All 20 answers mentioning it make the label's own point"
    )
    assert label_point_note({"mentions": 1, "label_point": 1}) == (
        ". The one answer mentioning it makes the label's own point"
    )
    assert label_point_note({"mentions": 20, "label_point": 20}, few=True) == ""
    assert all_make_the_label(1_200, 1_200) == (
        "All 1,200 answers mentioning it make the label's own point"
    )
    assert all_make_the_label(20, 19) == ""
    assert all_make_the_label(20, None) == ""
    assert all_make_the_label(0, 0) == ""
    assert all_make_the_label(20, 20, few=True) == ""


def test_the_fast_engine_measures_it_with_its_static_vectors():
    """smoke18r finding 10: the fast engine counts who makes its labels' points too, with its
    static word-piece vectors (:data:`analysis.label_points.STATIC_CHECK`); without them
    (the MiniLM packages missing) it cannot, and says None."""
    from analysis import static_vectors

    texts = [f"We need more buses on route {i % 7} near the station." for i in range(30)]
    texts += [f"Build {i % 5} more affordable homes for key workers." for i in range(30)]
    model = ThemeModel(n_themes=2, engine="fast", seed=0).fit(texts)
    if static_vectors.unavailable_reason() is not None:
        assert all(theme["label_point"] is None for theme in model.themes_)
        return
    for theme in model.themes_:
        assert 0 < theme["label_point"] <= theme["mentions"]


def _table_embed(table: dict[str, list[float]]):
    """A stand-in sentence model reading each text's vector from ``table`` (unit length)."""

    def embed(texts: list[str]) -> np.ndarray:
        rows = np.array([table[text] for text in texts], dtype=np.float64)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    return embed


def test_a_summary_sentence_saying_the_label_takes_none_of_its_answers():
    """smoke18r finding 2: every answer of a theme said "Staff cannot rely on buses that
    often do not turn up", alone or beside another sentence, and the report said "about 10,
    fewer than half": a summary sentence in the label's words (cosine 0.93) was counted as
    another heading, and each answer saying it exactly was nearer to it than to the label.
    A rival saying a label's point is no rival (:func:`analysis.label_points.other_points`):
    an answer makes the label's point when any of its sentences does."""
    label = "Staff cannot rely on buses that often do not turn up"
    same = "Staff cannot rely on buses that often do not turn up."
    other = "Agree data-sharing rules once so every project does not have to negotiate its own."
    two = f"{same} {other}"
    table = {
        label: [0.93, 0.37, 0.0],
        same: [1.0, 0.0, 0.0],
        other: [0.0, 0.0, 1.0],
        two: [0.6, 0.0, 0.8],  # as a whole nearer the other point
    }
    embed = _table_embed(table)
    texts = [same, two]
    counts = label_point_counts([label], [[0, 1]], texts, embed, rivals=[same, other])
    assert counts == [2]
    # the two-sentence answer counts by its sentence saying the label
    assert label_point_counts([label], [[1]], texts, embed, rivals=[other]) == [1]


@needs_semantic
def test_the_demo_bus_theme_counts_every_answer_saying_its_label():
    """The demo's theme of smoke18r finding 2, in MiniLM: answers saying the label's sentence
    with an opener, or beside another sentence, all make its point, though a summary
    sentence of the run says the same words."""
    label = "Staff cannot rely on buses that often do not turn up"
    texts = [
        "Staff cannot rely on buses that often do not turn up.",
        "We believe staff cannot rely on buses that often do not turn up. Agree data-sharing "
        "rules once so every project does not have to negotiate its own.",
        "Give non-constituent authorities a proper vote on matters that affect their "
        "residents. Staff cannot rely on buses that often do not turn up.",
        "As a school, we think staff cannot rely on buses that often do not turn up.",
    ]
    rivals = [
        "Staff cannot rely on buses that often do not turn up.",
        "Bus services are unreliable and should be brought under public control across the region.",
        "Agree data-sharing rules once so every project does not have to negotiate its own.",
        "Give non-constituent authorities a proper vote on matters that affect their residents.",
    ]
    embed = MiniLMEmbedder().embed
    assert label_point_counts([label], [[0, 1, 2, 3]], texts, embed, rivals=rivals) == [4]


@needs_semantic
def test_the_semantic_engine_counts_at_most_the_mentions(tmp_path):
    buses = [
        "Bus services are unreliable and should run to time.",
        "The buses never turn up on time in the evening.",
        "Please make the buses reliable and frequent.",
    ]
    homes = [
        "We need affordable homes for key workers.",
        "Build more affordable housing near the stations.",
        "Rents are too high: build homes people can afford.",
    ]
    texts = [buses[i % 3] + f" Route {i}." for i in range(20)]
    texts += [homes[i % 3] + f" Ward {i}." for i in range(20)]
    model = ThemeModel(n_themes=2, engine="semantic", seed=0).fit(texts)
    for theme in model.themes_:
        assert 0 < theme["label_point"] <= theme["mentions"]
    # the counts agree with the library function on the same mentions
    mentions = [
        [row for row, themes in enumerate(model.memberships_) if index in themes]
        for index in range(len(model.themes_))
    ]
    labels = [theme["label"] for theme in model.themes_]
    # each answer under the run's statements it is nearest to: the labels and every summary
    # sentence (smoke17s finding 1)
    said = [s["text"] for t in model.themes_ for s in t["summary"] if not s.get("only_point")]
    # in the coding encoder's vectors where it is installed, MiniLM's otherwise (count27)
    from analysis.coding_encoder import encoder_embed

    embed = encoder_embed() or MiniLMEmbedder().embed
    expected = label_point_counts(labels, mentions, texts, embed, rivals=said)
    assert [theme["label_point"] for theme in model.themes_] == expected
    assert expected != label_point_counts(labels, mentions, texts, embed)


def test_the_report_warns_when_fewer_than_half_make_the_labels_point():
    """A label made by 8 of 27 answers read as the theme's view (the demo's "Housing
    affordability is the biggest issue", whose other answers ask to be kept informed)."""
    note = label_point_note({"mentions": 27, "label_point": 8})
    assert note == (
        ". Of the 27 answers mentioning it, about 8 make the label's own point, fewer than "
        "half. Either the label names one of its points, not what most of its answers say, or "
        "many make its point in other words, counted under its other points. Read "
        "them before quoting the label as the theme's view"
    )
    assert "fewer than half" not in label_point_note({"mentions": 20, "label_point": 10})
    # and names a clearly commoner point, as the web report does (smoke8 finding 2)
    split = {"text": "Split big contracts into lots.", "answers": 41}
    note = label_point_note({"mentions": 66, "label_point": 31, "summary": [split]})
    assert note.startswith(
        ". Of the 66 answers mentioning it, about 31 make the label's own point, fewer than "
        "half. About 41 make another (an answer can make both), “Split big contracts into "
        "lots.” Either the label names one"
    )


_OWN_AXIS: dict[str, int] = {}


def staff_embed(texts: list[str]) -> np.ndarray:
    """A stand-in sentence model where every text about staff is fairly close (cosine 0.5) to
    every other: a shared "staff" axis and an axis of its own per text."""
    rows = np.zeros((len(texts), 200))
    for row, text in enumerate(texts):
        rows[row, 0] = 1.0 if "staff" in text.lower() else 0.0
        rows[row, 1 + _OWN_AXIS.setdefault(text, len(_OWN_AXIS))] = 1.0
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_a_statement_with_rare_words_is_made_only_by_answers_that_use_them():
    """Every staff answer is within cosine 0.5 of "The male staff are horrible."; only those
    that also use one of its rare words ("male", "horrible") make its point. A statement in
    common words only is counted by closeness alone, as every one is without ``words``."""
    texts = [f"Staff were kind on ward {i}." for i in range(60)] + [
        "Male staff shout at patients.",
        "Some staff are horrible to us.",
    ]
    statements = ["The male staff are horrible.", "Staff"]
    makes = statement_makers(statements, texts, staff_embed)
    assert makes[:, 0].sum() == 2 and makes[-2:, 0].all()
    assert makes[:, 1].all()  # every answer uses "staff": no word is asked for
    plain = statement_makers(statements, texts, staff_embed, words=False)
    assert plain[:, 0].all()
    # Rarity is judged over the answers read: among four, "male" (one of them) is not rare.
    few = texts[:2] + texts[-2:]
    assert statement_makers(statements, few, staff_embed, vocabulary=few)[:, 0].all()


def near_embed(texts: list[str]) -> np.ndarray:
    """A stand-in sentence model for the nearest-sentence rule: "buses" and "trams" share
    an axis (cosine 0.6 between "Run more buses" and "Run more trams"), "homes" has its own,
    and a text with none of them (fares) another."""
    rows = np.zeros((len(texts), 4))
    for row, text in enumerate(texts):
        low = text.lower()
        if "buses" in low:
            rows[row] += [1.0, 0.75, 0.0, 0.0]
        if "trams" in low:
            rows[row] += [0.0, 1.0, 0.0, 0.0]
        if "homes" in low:
            rows[row] += [0.0, 0.0, 1.0, 0.0]
        if "fares" in low or not rows[row].any():
            rows[row] += [0.0, 0.0, 0.0, 1.0]
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_nearest_only_keeps_each_rows_highest_scores():
    from analysis.label_points import nearest_only

    scores = np.array([[0.7, 0.5, 0.7], [0.2, 0.9, 0.4]])
    assert nearest_only(scores).tolist() == [[0.7, -1.0, 0.7], [-1.0, 0.9, -1.0]]
    assert nearest_only(np.zeros((0, 2))).shape == (0, 2)


def test_with_nearest_an_answer_of_several_points_counts_under_each_ones_nearest():
    """A merged theme's answers about buses (and fares) are near a sentence about trams too
    (cosine 0.6 by their bus point, over the 0.45 threshold): with ``nearest`` they count for
    the bus sentence only; an answer making both points in separate clauses still counts for
    both, and an answer making one point is counted as without it (smoke8 finding 4)."""
    texts = [
        "Run more buses on every route. Fares are too high for us.",
        "Run more buses on every route. Fares are too high for us.",
        "Run more trams on every route. Fares are too high for us.",
        "Build more homes.",
    ]
    statements = ["Buses should run more often.", "Trams should run more often."]
    plain = statement_makers(statements, texts, near_embed)
    assert plain.sum(axis=0).tolist() == [3, 3]  # every transport answer counts for both
    nearest = statement_makers(statements, texts, near_embed, nearest=True)
    assert nearest.sum(axis=0).tolist() == [2, 1]
    both = ["We should run more buses, but also we should run more trams."]
    assert statement_makers(statements, both, near_embed, nearest=True).tolist() == [[True, True]]
    one = ["Run more buses.", "Run more trams."]
    assert (
        statement_makers(statements, one, near_embed, nearest=True).tolist()
        == statement_makers(statements, one, near_embed).tolist()
        == [[True, True], [True, True]]
    )


def test_nearest_only_keeps_scores_within_the_margin():
    from analysis.label_points import nearest_only

    scores = np.array([[0.7, 0.68, 0.5]])
    assert nearest_only(scores, 0.03).tolist() == [[0.7, 0.68, -1.0]]


def test_a_runs_counts_put_every_answer_under_its_nearest_statement():
    """smoke17s finding 1: a theme's answers about trams are near its sentence about buses
    too (cosine 0.6, over the 0.45 threshold), so closeness alone counted every transport
    answer for both ("about 58 of the 78", 12 say it). With the run's other statements as
    ``rivals`` and a margin, one-point answers count under their nearest statement only; a
    rival is never counted itself, and the label counts alike (``label_point_counts``)."""
    from analysis.label_points import NEAREST_MARGIN, label_point_counts

    texts = ["Run more buses.", "Run more buses.", "Run more trams.", "Build more homes."]
    buses, trams = ["Buses should run more often."], ["Trams should run more often."]
    assert statement_makers(buses, texts, near_embed)[:, 0].sum() == 3
    makes = statement_makers(buses, texts, near_embed, rivals=trams, margin=NEAREST_MARGIN)
    assert makes.shape == (4, 1) and makes[:, 0].tolist() == [True, True, False, False]
    # without a margin the rivals are ignored: closeness alone, as before
    assert statement_makers(buses, texts, near_embed, rivals=trams)[:, 0].sum() == 3
    both = ["We should run more buses, but also we should run more trams."]
    assert statement_makers(buses, both, near_embed, rivals=trams, margin=NEAREST_MARGIN)[0, 0]
    mentions = [[0, 1, 2, 3]]
    assert label_point_counts(buses, mentions, texts, near_embed, 0.5) == [3]
    assert label_point_counts(buses, mentions, texts, near_embed, 0.5, rivals=trams) == [2]
    assert label_point_counts(buses, mentions, texts, near_embed, 0.5, [2, 1, 1, 1], trams) == [3]


def test_the_cli_report_escapes_a_point_quoted_in_the_size_paragraph():
    """wordsum found the Size paragraph's quoted point went into report.html unescaped: an
    answer's own words are never markup."""
    from analysis.report import _theme_section

    point = "<script>alert(1)</script> buses are late"
    theme = {
        "id": "T01",
        "label": "Buses",
        "size": 40,
        "share": 0.4,
        "share_ci95": (0.3, 0.5),
        "mentions": 60,
        "label_point": 20,
        "stability": 0.9,
        "keywords": [],
        "quotes": [],
        "summary": [{"text": point, "answers": 45, "ids": ["a"], "id": "a"}],
        "stance": {},
        "sentiment": None,
    }
    html = _theme_section(theme, 100)
    assert "<script>" not in html
    assert (
        "About 45 make another (an answer can make both), "
        "“&lt;script&gt;alert(1)&lt;/script&gt; buses are late”" in html
    )


def test_the_headline_leads_with_the_labels_count_when_fewer_than_half_make_it():
    """smoke18r finding 1: "mentioned by 78 of the 191 answers (41%)" beside a label 20 make.
    Fewer than half: "About 20 of the 191 answers (10%) make this point, fewer than half of
    the 78 mentioning this theme", the share of the answered base, named (wording28); nothing
    when half or more make it, when not counted, or for a run of too few answers. The command
    line's report puts it under the theme's heading."""
    from analysis.report import _headline, point_headline

    assert point_headline(78, 20, 191) == (
        "About 20 of the 191 answers (10%) make this point, fewer than half of the 78 "
        "mentioning this theme"
    )
    assert point_headline(78, 39, 191) == ""  # half
    assert point_headline(78, None, 191) == ""  # not counted
    assert point_headline(78, 20, 191, few=True) == ""
    assert point_headline(0, 0, 191) == "" and point_headline(78, 20, 0) == ""
    theme = {"mentions": 1200, "label_point": 100}
    assert _headline(theme, 4000) == (
        '<p class="headline"><strong>About 100 of the 4,000 answers (2%) make this point, '
        "fewer than half of the 1,200 mentioning this theme.</strong></p>"
    )
