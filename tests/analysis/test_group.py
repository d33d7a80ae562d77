"""Describing one given group of answers (:func:`analysis.group.describe_group`, what a
reviewer's merge uses) gives the label, keywords and summary that fitting
``ThemeModel(n_themes=1)`` on the same answers gives, without the fit's other stages."""

from __future__ import annotations

import pytest

from analysis import InputError, ThemeModel
from analysis.group import describe_group

pytestmark = pytest.mark.coding_encoder


@pytest.fixture(scope="module")
def demo():
    """The demo consultation's free-text questions as the workspace's analysis job reads
    them: (wording, texts, references, paired agreement answers or None) each."""
    from bench.demo_report import demo_questions

    with demo_questions() as questions:
        yield [(w, a.texts, a.references, a.agreement) for w, a in questions]


@pytest.mark.parametrize("question", [0, 3])  # 224 answers with agreement; 184 without
def test_a_group_is_described_as_a_one_theme_fit_describes_it(demo, engine, question):
    wording, texts, ids, agreement = demo[question]
    model = ThemeModel(n_themes=1, engine=engine, seed=0)
    theme = model.fit(texts, ids=ids, agreement=agreement, question=wording).themes_[0]
    described = describe_group(texts, ids, agreement, wording, engine=engine, seed=0)
    assert described.keywords == theme["keywords"]
    assert described.summary == theme["summary"]
    assert described.label == theme["label"]
    measured = agreement is not None
    assert described.summary and all(("stance" in p) == measured for p in described.summary)


def test_a_part_of_the_answers_is_described_from_its_own(demo):
    wording, texts, ids, _ = demo[3]
    described = describe_group(texts[:60], ids[:60], question=wording, engine="fast")
    assert described.keywords and described.summary
    assert all("stance" not in point for point in described.summary)
    assert {i for point in described.summary for i in point["ids"]} <= set(ids[:60])


@pytest.mark.parametrize(
    "texts, message",
    [([], "no rows"), (["", "n/a", "no comment"], "no usable rows")],
)
def test_nothing_to_describe_says_why(texts, message):
    with pytest.raises(InputError, match=message):
        describe_group(texts, engine="fast")


def test_a_merged_theme_is_described_under_its_label_with_every_part_and_count(demo, engine):
    """smoke7 finding 4: two themes of a fit merged, described under the first's label, say
    the second's main point, never the label again, and (semantic engine) count the label's
    point and every summary point over the answers mentioning it, as the run does."""
    from analysis.describe import restated

    wording, texts, ids, agreement = demo[0]
    model = ThemeModel(engine=engine, seed=0).fit(
        texts, ids=ids, agreement=agreement, question=wording
    )
    first, second = model.themes_[4], model.themes_[5]
    rows = [i for i, label in enumerate(model.labels_) if label in (4, 5)]
    mentions = [
        i for i, found in enumerate(model.memberships_) if {4, 5} & set(found) and i not in rows
    ]
    described = describe_group(
        [texts[i] for i in rows],
        [ids[i] for i in rows],
        [agreement[i] for i in rows],
        wording,
        engine=engine,
        seed=0,
        label=first["label"],
        points=[first["label"], second["label"]],
        also=[(ids[i], texts[i]) for i in mentions],
    )
    assert described.label == first["label"]
    said = [point["text"] for point in described.summary]
    assert said and not any(restated(text, first["label"]) for text in said)
    # The second part's point, in an answer's words (smoke10 finding 13: its label was
    # shown as the words of the answer quoted): every point quotes its own answer.
    assert len(said) >= 2
    by_id = dict(zip(ids, texts, strict=True))
    for point in described.summary:
        assert point["text"][1:].rstrip(".") in by_id[point["id"]], point
    assert second["label"] not in said
    if engine == "fast":
        assert described.label_point is None
        return
    mentioning = len(rows) + len(mentions)
    assert 0 < described.label_point <= mentioning
    assert all(0 < point["answers"] <= mentioning for point in described.summary)
    assert all("answers_as_label" in point for point in described.summary)
    counts = [point["answers"] for point in described.summary]
    assert counts == sorted(counts, reverse=True)


def test_a_merged_themes_points_count_each_answer_under_its_nearest_sentence():
    """A merge's counts (:func:`analysis.group._counted`) read each point of an answer
    making several as making only the summary sentence it is nearest to: bus answers near a
    tram sentence too (cosine 0.6, over the 0.45 threshold) no longer count for it (smoke8
    finding 4: "53 of 62")."""
    import numpy as np

    from analysis.group import _counted
    from tests.analysis.test_label_points import near_embed

    texts = [
        "Run more buses on every route. Fares are too high for us.",
        "Run more buses on every route. Fares are too high for us.",
        "Run more trams on every route. Fares are too high for us.",
        "Build more homes.",
    ]
    summary = [
        {"text": "Trams should run more often.", "ids": ["3"]},
        {"text": "Buses should run more often.", "ids": ["1"]},
    ]
    weight = np.ones(len(texts), dtype=np.int64)
    _counted("Homes", summary, texts, ["1", "2", "3", "4"], weight, near_embed)
    assert [(s["text"][:5], s["answers"]) for s in summary] == [("Buses", 2), ("Trams", 1)]


def test_a_review_recount_counts_each_answer_under_its_nearest_heading_as_the_run_does():
    """fixa18 (smoke17s, fixa17's left-over): a review edit's recount counted the label's
    point by closeness alone, so a theme's label took the answers of a neighbouring point
    (bus answers near a tram label, cosine 0.6) that the run itself counts under that
    point's heading. Now the label, the summary points and the run's other themes'
    statements (``rivals``) are headings, each answer counted under its nearest."""
    import numpy as np

    from analysis.group import _counted
    from tests.analysis.test_label_points import near_embed

    texts = [
        "Run more buses on every route.",
        "Run more buses on every route.",
        "Run more trams on every route.",
        "Build more homes.",
    ]
    ids = ["1", "2", "3", "4"]
    weight = np.ones(len(texts), dtype=np.int64)
    trams = "Trams should run more often."
    # nothing else to be near: the bus answers are close enough to the tram label
    assert _counted(trams, [], texts, ids, weight, near_embed) == 3
    # another theme's label says the bus point: those answers go under it
    assert _counted(trams, [], texts, ids, weight, near_embed, ["Buses should run."]) == 1
    # so does one of the theme's own summary points, which counts them
    summary = [{"id": "1", "text": "Buses should run more often.", "ids": ["1", "3"]}]
    assert _counted(trams, summary, texts, ids, weight, near_embed) == 1
    assert summary[0]["answers"] == 2  # the answer it is quoted from and the other bus one
    # under a rival's heading as near as its own, a point keeps the answers (the margin)
    summary = [{"id": "1", "text": "Buses should run more often.", "ids": ["1"]}]
    _counted(trams, summary, texts, ids, weight, near_embed, ["Buses should run."])
    assert summary[0]["answers"] == 2
