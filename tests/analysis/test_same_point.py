"""Two phrasings of one point end up one theme; two different points stay two."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from sklearn.preprocessing import normalize

from analysis import ThemeModel
from analysis.embeddings import available
from analysis.same_point import merge_pairs, same_point_pairs
from analysis.themes import Clustering, band_floor, choose_theme_count

pytestmark = pytest.mark.coding_encoder

needs_semantic = pytest.mark.skipif(not available(), reason="the semantic extra is not installed")


def spread_labels(count: int = 8, dims: int = 32, seed: int = 0) -> np.ndarray:
    return normalize(np.random.default_rng(seed).standard_normal((count, dims)))


def test_a_pair_of_labels_far_more_alike_than_the_rest_is_one_point():
    labels = spread_labels()
    labels[5] = normalize((labels[2] + 0.1 * labels[5])[None])[0]
    assert same_point_pairs(labels, [""] * 8) == [(2, 5)]


def test_labels_no_more_alike_than_usual_stay_apart():
    assert same_point_pairs(spread_labels(), [""] * 8) == []


def test_themes_leaning_to_opposite_sides_are_never_joined():
    labels = spread_labels()
    labels[5] = normalize((labels[2] + 0.1 * labels[5])[None])[0]
    sides = ["", "", "for", "", "", "against", "", ""]
    assert same_point_pairs(labels, sides) == []
    sides[5] = ""  # one side unknown: the labels decide
    assert same_point_pairs(labels, sides) == [(2, 5)]


def test_joining_stops_at_the_fewest_themes_allowed():
    labels = spread_labels(6)
    labels[3] = normalize((labels[0] + 0.1 * labels[3])[None])[0]
    labels[4] = normalize((labels[1] + 0.1 * labels[4])[None])[0]
    assert len(same_point_pairs(labels, [""] * 6, z=1.0, min_themes=3)) == 2
    assert len(same_point_pairs(labels, [""] * 6, z=1.0, min_themes=5)) == 1


def test_merging_a_pair_keeps_every_answer_and_one_theme_fewer():
    rng = np.random.default_rng(1)
    centres = normalize(rng.standard_normal((4, 10)))
    labels = rng.integers(0, 4, 200)
    vectors = normalize(centres[labels] + 0.2 * rng.standard_normal((200, 10)))
    found = merge_pairs(vectors, np.ones(200), Clustering(labels, centres), [(1, 3)], seed=0)
    assert found.centers.shape[0] == 3
    assert len(np.unique(found.labels)) == 3
    # the two joined themes' answers now share a theme
    assert len(set(found.labels[(labels == 1) | (labels == 3)])) <= 2
    assert (
        Counter(found.labels[labels == 1]).most_common(1)[0][0]
        == (Counter(found.labels[labels == 3]).most_common(1)[0][0])
    )


# Points partners make about schools and universities, each in two phrasings (as the demo's
# partners write them: consult/demo_text.py).
POINTS = [
    (
        "Universities should open their labs to schools so pupils see science as a career.",
        "Pupils who visit a working laboratory are more likely to choose science at A level.",
    ),
    (
        "Create more degree apprenticeships with local employers in engineering and digital.",
        "Degree apprenticeships let young people earn a salary while they study for a degree.",
    ),
    (
        "Colleges and universities should share a single careers service for young people.",
        "Careers advice should show every route, from apprenticeships to degrees, in one place.",
    ),
    (
        "Fund teacher placements in industry so lessons reflect real jobs.",
        "Teachers who spend a week in a local firm can bring real examples into lessons.",
    ),
    (
        "Give schools money for STEM clubs and robotics competitions in disadvantaged areas.",
        "After-school coding and robotics clubs spark interest where families cannot pay for them.",
    ),
    (
        "Make it easier for adults to return to learning with free part-time courses.",
        "Adults who left school early need a second chance at maths and digital skills.",
    ),
    (
        "Research funding should reach the region's universities, not only London and the "
        "South East.",
        "Too much research money goes to Oxford, Cambridge and London; the region's "
        "universities need a fair share.",
    ),
]
OPENERS = ["", "", "We think ", "In our view, ", "Overall, ", "Put simply, "]


def answers(count: int = 190, seed: int = 3) -> tuple[list[str], list[list[tuple[int, int]]]]:
    """Answers making one or two of the points, each in one of its phrasings; with the
    (point, phrasing) pairs each makes."""
    rng = random.Random(seed)
    texts, made = [], []
    for _ in range(count):
        picks = rng.sample(range(len(POINTS)), rng.choice([1, 2, 2]))
        said = [(p, rng.randrange(2)) for p in picks]
        parts = []
        for point, phrasing in said:
            sentence = POINTS[point][phrasing]
            opener = rng.choice(OPENERS)
            parts.append(opener + (sentence[0].lower() + sentence[1:] if opener else sentence))
        texts.append(" ".join(parts))
        made.append(said)
    return texts, made


def theme_of(model: ThemeModel, made: list, point: int, phrasing: int) -> int:
    """The theme most answers making only this point in this phrasing have."""
    found = Counter(
        int(label)
        for label, said in zip(model.labels_, made, strict=True)
        if said == [(point, phrasing)]
    )
    return found.most_common(1)[0][0]


@needs_semantic
def test_two_phrasings_of_one_point_are_one_theme_and_two_points_stay_two():
    texts, made = answers()
    model = ThemeModel(n_themes="auto", engine="semantic", seed=0).fit(texts)
    # The automatic count (8 for 190 answers) gave the STEM clubs point two themes, one per
    # phrasing; their labels said one point, so they were joined.
    stem, placements, labs, research = 4, 3, 0, 6
    joined = {frozenset(pair) for pair in model.joined_themes_}
    assert frozenset(label.rstrip(".") for label in POINTS[stem]) in joined
    assert model.n_themes_ == 7
    one = theme_of(model, made, stem, 0)
    assert theme_of(model, made, stem, 1) == one
    for other in (placements, labs, research):
        assert theme_of(model, made, other, 0) != one
        assert theme_of(model, made, other, 1) != one
    again = ThemeModel(n_themes="auto", engine="semantic", seed=0).fit(texts)
    assert again.labels_.tolist() == model.labels_.tolist()
    assert [t["label"] for t in again.themes_] == [t["label"] for t in model.themes_]


def test_a_given_number_of_themes_is_kept():
    texts, _ = answers(60)
    model = ThemeModel(n_themes=7, seed=0).fit(texts)
    assert model.n_themes_ == 7
    assert model.joined_themes_ == []


@needs_semantic
def test_the_fast_engine_joins_two_phrasings_of_one_point_when_asked(monkeypatch):
    from analysis import stages

    texts, _ = answers()
    # Seed 1: since near copies are found as their similarity says (smoke14: MinHash's hash),
    # seed 0's fast grouping splits no point in two, so there is nothing to join there.
    seed = 1
    off = ThemeModel(n_themes="auto", engine="fast", seed=seed).fit(texts)
    assert off.joined_themes_ == []  # off by default: a join fits everything a second time
    monkeypatch.setattr(stages, "FAST_ENGINE_JOINS", True)
    before = ThemeModel(n_themes="auto", engine="fast", seed=seed, same_point=None).fit(texts)
    model = ThemeModel(n_themes="auto", engine="fast", seed=seed).fit(texts)
    # Its labels are compared with MiniLM (installed: its static vectors are made from it);
    # each pair joined is two phrasings (or their starts) of one point.
    assert model.joined_themes_
    for pair in model.joined_themes_:
        assert any(
            all(any(said.startswith(label) for said in point) for label in pair) for point in POINTS
        )
    assert model.n_themes_ == before.n_themes_ - len(model.joined_themes_)
    again = ThemeModel(n_themes="auto", engine="fast", seed=seed).fit(texts)
    assert again.labels_.tolist() == model.labels_.tolist()
    assert [t["label"] for t in again.themes_] == [t["label"] for t in model.themes_]


def test_the_band_floor_is_the_fewest_themes_the_count_rule_takes_from_its_band():
    # 132 answers: sqrt(132) / 1.2 = 9.6, the band 7.2-12.0, so 7 themes at the fewest (the
    # ArgKP motion autok4 saw joined from 7 themes to 6).
    assert band_floor(132, 132.0) == 7
    # 10,000 answers: the lower edge is 2.5 ln n = 23.0, not 0.75 sqrt(n) / 1.2.
    assert band_floor(10_000, 10_000.0) == 23
    # Few distinct answers: never more than a third of them, never fewer than min_themes.
    assert band_floor(12, 12.0) == 4
    assert band_floor(60, 60.0, min_themes=5) == 5


def test_the_count_rule_never_chooses_fewer_than_the_band_floor_without_a_clear_gap():
    rng = np.random.default_rng(4)
    # One subject whose points shade into each other: no clear gap, so the band decides.
    vectors = normalize(rng.standard_normal((132, 24)) + 0.5)
    weights = np.ones(132)
    assert choose_theme_count(vectors, weights, seed=0) >= band_floor(132, 132.0)
