"""A theme is not made of answers that only join two other themes' points: with the number
of themes chosen automatically, such a cluster is dissolved into the themes of its points."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from analysis import ThemeModel
from analysis.combinations import Points, combination_theme, points_owned
from tests.analysis.test_two_topic_answers import TOPICS as TWO_TOPIC_POINTS
from tests.analysis.test_two_topic_answers import say

pytestmark = pytest.mark.coding_encoder

TOPICS = {
    **TWO_TOPIC_POINTS,
    "data": "Share data between councils, the police and health partners so services join up.",
}


def _answers(count: int = 240, seed: int = 5) -> tuple[list[str], list[tuple[str, ...]]]:
    """Answers of one topic, or of two; one in ten join bus and housing."""
    rng = random.Random(seed)
    names = sorted(TOPICS)
    texts, topics = [], []
    for index in range(count):
        roll = rng.random()
        if roll < 0.1:
            parts: tuple[str, ...] = ("bus", "housing")
        elif roll < 0.6:
            parts = (names[index % len(names)],)
        else:
            first = names[index % len(names)]
            parts = (first, rng.choice([n for n in names if n != first]))
        texts.append(" ".join(say(rng, TOPICS[p]) for p in parts))
        topics.append(parts)
    return texts, topics


@pytest.fixture(scope="module")
def answers():
    return _answers()


def _combination_share(labels: np.ndarray, topics: list[tuple[str, ...]]) -> float:
    """The largest share of a theme's members that are answers joining bus and housing."""
    worst = 0.0
    for theme in set(labels.tolist()) - {-1}:
        members = [topics[i] for i in np.nonzero(labels == theme)[0]]
        share = Counter(members)[("bus", "housing")] / len(members)
        worst = max(worst, share)
    return worst


@pytest.mark.parametrize("engine", ["fast", "semantic"])
def test_no_theme_is_only_a_combination_of_two_others(answers, engine):
    texts, topics = answers
    model = ThemeModel(n_themes="auto", engine=engine, seed=0).fit(texts)
    assert _combination_share(model.labels_, topics) < 0.6
    labels = [theme["label"] for theme in model.themes_]
    assert len(set(labels)) == len(labels)
    # Every answer joining bus and housing still mentions both themes.
    bus = Counter(model.labels_[i] for i, t in enumerate(topics) if t == ("bus",))
    housing = Counter(model.labels_[i] for i, t in enumerate(topics) if t == ("housing",))
    bus_theme, housing_theme = bus.most_common(1)[0][0], housing.most_common(1)[0][0]
    joined = [i for i, t in enumerate(topics) if t == ("bus", "housing")]
    both = sum({bus_theme, housing_theme} <= set(model.memberships_[i]) for i in joined)
    assert both / len(joined) > 0.8


def test_with_the_count_given_the_themes_are_kept(answers):
    texts, _ = answers
    model = ThemeModel(n_themes=9, engine="fast", seed=0).fit(texts)
    assert model.n_themes_ == 9


def test_a_theme_of_joined_points_keeps_no_weight_as_points():
    centers = np.eye(3)
    bus, housing = centers[0], centers[1]
    joined = (bus + housing) / np.linalg.norm(bus + housing)
    # Answers: 4 on bus alone, 4 on housing alone, 4 joining the two (nearest centre 2).
    vectors = np.array([bus] * 4 + [housing] * 4 + [joined * 0.2 + centers[2] * 0.8] * 4)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    points = Points(np.repeat(np.arange(8, 12), 2), np.array([bus, housing] * 4))
    size, owned = points_owned(vectors, np.ones(12), centers, points)
    assert size.tolist() == [4.0, 4.0, 4.0]
    assert owned.tolist() == [6.0, 6.0, 0.0]
    assert combination_theme(vectors, np.ones(12), centers, points) == 2
    alone = Points(np.zeros(0, dtype=np.int64), np.zeros((0, 3)))
    assert combination_theme(vectors, np.ones(12), centers, alone) is None
