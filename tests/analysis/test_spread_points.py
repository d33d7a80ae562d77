"""Points raised across themes (spread26, issue 12): a theme label's point counted over the
whole question, listed when it is split among several themes and clearly bigger than its own
theme's count shows."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.spread_points import (
    HOLD,
    MIN_THEMES,
    across_sentence,
    current_points,
    point_side,
    points_across_themes,
    raised_across,
    spread,
)

pytestmark = pytest.mark.coding_encoder


def _semantic() -> bool:
    from analysis.embeddings import available

    return available()


def _spread_case():
    """Four distinct answers: 0 and 1 make label 0's point, 2 and 3 label 1's; rows map to
    answers several times over, their main themes spread for label 0."""
    makes = np.array([[True, False], [True, False], [False, True], [False, True]])
    row_rep = [0, 0, 1, 1, 0, 1, 0, 1, 2, 3, -1]
    row_theme = [0, 0, 1, 1, 2, 2, 3, 3, 1, 1, -1]
    return makes, row_rep, row_theme


def test_spread_counts_rows_over_the_whole_question_by_their_main_theme():
    makes, row_rep, row_theme = _spread_case()
    found = spread(makes, row_rep, row_theme, [2, 2])
    assert found[0]["answers"] == 8  # every row of answers 0 and 1, in four main themes
    assert found[0]["themes"] == [0, 1, 2, 3] and found[0]["held"] == [2, 2, 2, 2]
    assert found[0]["in_theme"] == 2
    assert found[1] == {"theme": 1, "answers": 2, "in_theme": 2, "themes": [1], "held": [2]}


def test_a_theme_holding_fewer_than_hold_answers_does_not_count_as_holding_it():
    makes = np.array([[True]])
    found = spread(makes, [0, 0, 0, 0], [0, 0, 1, 2], [2])
    assert HOLD == 2 and found[0]["themes"] == [0] and found[0]["answers"] == 4


def test_listed_only_when_spread_over_enough_themes_and_clearly_bigger():
    entry = {"theme": 0, "answers": 40, "in_theme": 10, "themes": [0, 1, 2], "held": [10, 5, 5]}
    assert MIN_THEMES == 3 and raised_across(entry)
    assert not raised_across({**entry, "themes": [0, 1]})  # two themes: not spread
    assert not raised_across({**entry, "in_theme": 30})  # its theme shows most of it
    assert not raised_across({**entry, "answers": 18, "in_theme": 10})  # 8 more: no news
    assert raised_across({**entry, "in_theme": None})  # not counted in its theme: 0


def test_points_across_themes_most_answers_first_with_ids_and_labels():
    entries = [
        {"theme": 0, "answers": 30, "in_theme": 5, "themes": [0, 1, 2], "held": [9, 9, 9]},
        {"theme": 1, "answers": 50, "in_theme": 9, "themes": [2, 1, 0], "held": [9, 9, 9]},
        {"theme": 2, "answers": 9, "in_theme": 9, "themes": [2], "held": [9]},
    ]
    listed = points_across_themes(entries, ["T01", "T02", "T03"], ["A", "B", "C"])
    assert [p["theme"] for p in listed] == ["T02", "T01"]
    assert listed[0] == {
        "theme": "T02",
        "label": "B",
        "answers": 50,
        "in_theme": 9,
        "themes": ["T03", "T02", "T01"],
    }
    assert points_across_themes([], [], []) == []


def test_across_sentence_gives_the_count_the_themes_and_its_own_count():
    point = {
        "theme": "T09",
        "label": "Staff cannot rely on buses that often do not turn up",
        "answers": 63,
        "in_theme": 24,
        "themes": ["T01", "T09", "T08"],
    }
    assert across_sentence(point) == (
        "“Staff cannot rely on buses that often do not turn up” (T09): about 63 answers "
        "across 3 themes (T01, T09, T08); T09's own count is 24."
    )
    assert "own count" not in across_sentence({**point, "in_theme": None})


def test_current_points_drop_a_relabelled_or_hidden_theme_and_gone_other_themes():
    points = [
        {"theme": "T01", "label": "A", "answers": 30, "in_theme": 5, "themes": ["T01", "T02"]},
        {"theme": "T02", "label": "B", "answers": 20, "in_theme": 5, "themes": ["T02", "T03"]},
    ]
    assert current_points(points, {"T01": "A", "T03": "C"}) == [
        {"theme": "T01", "label": "A", "answers": 30, "in_theme": 5, "themes": ["T01"]}
    ]
    assert current_points(None, {"T01": "A"}) == []


def _document_with_points() -> dict:
    from tests.analysis.test_cli_report_words import _document

    document = _document(stance_measured=True)
    first = document["themes"][0]
    document["summary"]["points_across_themes"] = [
        {
            "theme": first["id"],
            "label": first["label"],
            "answers": 63,
            "in_theme": 24,
            "themes": [t["id"] for t in document["themes"]],
        }
    ]
    return document


def test_the_cli_report_lists_points_raised_across_themes_after_the_table():
    from bs4 import BeautifulSoup

    from analysis.report import render_report
    from analysis.spread_points import ACROSS_HEADING, ACROSS_INTRO

    document = _document_with_points()
    soup = BeautifulSoup(render_report(document), "html.parser")
    section = soup.find(id="points-across")
    assert section is not None
    assert section.find("h2").get_text() == ACROSS_HEADING
    assert ACROSS_INTRO in " ".join(section.get_text().split())
    items = [" ".join(li.get_text().split()) for li in section.find_all("li")]
    point = document["summary"]["points_across_themes"][0]
    assert items == [across_sentence(point)]
    assert "about 63 answers across 3 themes" in items[0]
    # after the table of themes, before the first theme's section
    names = [tag.get("id") for tag in soup.find_all(["table", "section", "h2"]) if tag.get("id")]
    assert names.index("points-across") < names.index(f"h-{point['theme']}")
    assert soup.find("table").find_next(id="points-across") is not None
    # none found: nothing said
    del document["summary"]["points_across_themes"]
    assert "points-across" not in render_report(document)


def _texts() -> list[str]:
    """Answers on homes, skills and parks, some of each also saying the buses are unreliable
    (the point an answer's other point puts in another theme), and some on buses alone."""
    homes = ["We need affordable homes for key workers.", "Build more social housing now."]
    skills = ["Fund adult courses in maths and digital skills.", "Train more welders here."]
    parks = ["Keep the parks clean and safe for children.", "Plant more trees in parks."]
    bus = " The buses are unreliable and often do not turn up."
    texts = []
    for index in range(12):
        for topic in (homes, skills, parks):
            texts.append(topic[index % 2] + (bus if index % 2 else "") + f" Ward {index}.")
        texts.append(f"Bus services are unreliable and never turn up. Route {index}.")
    return texts


def test_the_fast_engine_counts_the_spread_only_for_the_benches_and_lists_nothing(monkeypatch):
    from analysis import ThemeModel, stages
    from analysis.spread_points import SENTENCE_VECTORS_ONLY

    model = ThemeModel(n_themes=4, engine="fast", seed=0).fit(_texts())
    assert model.spread_ == [] and "points_across_themes" not in model.summary_
    monkeypatch.setattr(stages, "FAST_ENGINE_SPREAD", True)
    model = ThemeModel(n_themes=4, engine="fast", seed=0).fit(_texts())
    assert [e["theme"] for e in model.spread_] == list(range(len(model.themes_)))
    for entry, theme in zip(model.spread_, model.themes_, strict=True):
        assert entry["in_theme"] == theme["label_point"]
        assert entry["answers"] >= sum(entry["held"])
    assert SENTENCE_VECTORS_ONLY and "points_across_themes" not in model.summary_


@pytest.mark.skipif(not _semantic(), reason="the semantic extra is not installed")
def test_the_semantic_engine_lists_what_its_counts_say():
    from analysis import ThemeModel
    from analysis.embeddings import MiniLMEmbedder
    from analysis.label_points import other_points, statement_makers
    from analysis.stages import theme_id

    texts = _texts()
    model = ThemeModel(n_themes=4, engine="semantic", seed=0).fit(texts)
    labels = [t["label"] for t in model.themes_]
    said = [s["text"] for t in model.themes_ for s in t["summary"] if not s.get("only_point")]
    embed = MiniLMEmbedder().embed
    makes = statement_makers(
        labels, texts, embed, 0.5, rivals=other_points(labels, said, embed), margin=0.03
    )
    for theme, entry in enumerate(model.spread_):  # every answer here is distinct
        assert entry["answers"] == int(makes[:, theme].sum())
        assert entry["in_theme"] == model.themes_[theme]["label_point"]
    expected = points_across_themes(
        model.spread_, [theme_id(t) for t in range(len(labels))], labels
    )
    assert model.summary_.get("points_across_themes", []) == expected


def test_a_point_made_from_one_side_counts_no_answer_on_the_other_across_themes():
    """count33: on the demo's funding question 13 answers against the settlement ("Too many
    conditions remain attached …", a point no heading says) sat nearest "Multi-year funding
    would give councils the certainty …" and were counted for it across themes (76, truth
    63). A point made from one side (its makers' stances as a "For:" tag is kept: side31)
    counts no answer on the other; a qualified point both sides make keeps every maker."""
    makes = np.array([[True]] * 5)
    row_rep = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    row_theme = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]
    stances = ["for"] * 7 + ["mixed", "against", "against"]
    assert point_side(makes, row_rep, stances, 0) == "for"  # 7 of 9 taking a side, 7 of 10
    found = spread(makes, row_rep, row_theme, [3], stances)
    assert found[0]["side"] == "for" and found[0]["answers"] == 8  # the 2 against left out
    assert found[0]["themes"] == [0, 1, 2] and found[0]["held"] == [3, 3, 2]
    before = spread(makes, row_rep, row_theme, [3])
    assert before[0]["answers"] == 10 and "side" not in before[0]  # without stances, as before
    # a qualified point: for, against and mixed answers alike make it; none is left out
    qualified = ["for", "against", "mixed"] * 3 + ["for"]
    assert point_side(makes, row_rep, qualified, 0) == ""
    assert spread(makes, row_rep, row_theme, [3], qualified)[0]["answers"] == 10
    # mostly one side but not more than half of those with a stance (side31's rule): kept
    most = ["for"] * 5 + ["mixed"] * 4 + ["against"]
    assert point_side(makes, row_rep, most, 0) == ""
    # no stance measured for any maker: nothing to read, every maker counts
    assert spread(makes, row_rep, row_theme, [3], [""] * 10)[0]["answers"] == 10
