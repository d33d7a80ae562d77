"""Answers that make two points get both themes; answers making one point mostly get one."""

from __future__ import annotations

import random

import numpy as np

from analysis.api import ThemeModel
from analysis.clauses import split_points
from analysis.themes import memberships

WORDS = {
    "buses": ["buses", "bus routes", "timetables", "drivers", "bus stops", "fares", "late buses"],
    "housing": ["rents", "landlords", "council homes", "deposits", "mortgages", "new homes"],
    "parks": ["parks", "playgrounds", "trees", "park benches", "litter bins", "green spaces"],
}
FRAMES = [
    "The {a} and the {b} need fixing.",
    "We worry about {a} and {b}.",
    "Please do something about {a}, and about {b} too.",
    "{a} and {b} matter most to our members.",
]


def point(rng: random.Random, topic: str) -> str:
    a, b = rng.sample(WORDS[topic], 2)
    return rng.choice(FRAMES).format(a=a, b=b).capitalize()


def answers(seed: int = 3) -> tuple[list[str], list[set[str]]]:
    """160 one-point answers and 40 answers making points on two topics."""
    rng = random.Random(seed)
    names = sorted(WORDS)
    texts, truth = [], []
    for index in range(200):
        first = names[index % 3]
        text = point(rng, first)
        topics = {first}
        if index % 5 == 4:
            second = names[(index + 1 + rng.randrange(2)) % 3]
            text += " " + point(rng, second)
            topics.add(second)
        texts.append(text)
        truth.append(topics)
    return texts, truth


def topic_of_theme(model: ThemeModel, truth: list[set[str]]) -> dict[int, str]:
    """Each theme's commonest topic among its main members' one-point answers."""
    found: dict[int, dict[str, int]] = {}
    for label, topics in zip(model.labels_, truth, strict=True):
        if len(topics) == 1 and label >= 0:
            counts = found.setdefault(int(label), {})
            topic = next(iter(topics))
            counts[topic] = counts.get(topic, 0) + 1
    return {theme: max(counts, key=counts.get) for theme, counts in found.items()}


def test_split_points_keeps_short_parts_with_their_neighbour():
    assert split_points("Yes. Buses are late and dirty.") == ["Yes. Buses are late and dirty."]
    assert split_points("Buses are late every day, but housing costs far too much.") == [
        "Buses are late every day",
        "housing costs far too much.",
    ]
    assert split_points("") == [""]


def test_two_point_answers_get_both_themes():
    texts, truth = answers()
    model = ThemeModel(n_themes=3, engine="fast", seed=0).fit(texts)
    topic = topic_of_theme(model, truth)
    assert sorted(topic.values()) == sorted(WORDS)  # the three topics are the three themes
    two = [i for i, t in enumerate(truth) if len(t) == 2]
    one = [i for i, t in enumerate(truth) if len(t) == 1]
    both = sum({topic[t] for t in model.memberships_[i]} >= truth[i] for i in two)
    extra = sum(len(model.memberships_[i]) > 1 for i in one)
    assert both >= 0.8 * len(two)
    assert extra <= 0.2 * len(one)
    assert model.summary_["answers_with_several_themes"] == sum(
        len(m) > 1 for m in model.memberships_
    )
    mentions = sum(theme["mentions"] for theme in model.themes_)
    assert mentions == sum(len(m) for m in model.memberships_)

    whole_only = ThemeModel(n_themes=3, engine="fast", seed=0, secondary_parts=None).fit(texts)
    before = sum(
        {topic[t] for t in whole_only.memberships_[i] if t in topic} >= truth[i] for i in two
    )
    assert both > before  # the answer's separate points find the second theme


def test_secondary_themes_are_the_same_on_every_run():
    texts, _truth = answers()
    first = ThemeModel(n_themes=3, engine="fast", seed=0).fit(texts)
    again = ThemeModel(n_themes=3, engine="fast", seed=0).fit(texts)
    assert first.memberships_ == again.memberships_


def test_whole_answer_closeness_alone_gives_no_second_theme():
    """An answer between two themes as a whole, with no separate point of its own for the
    second, keeps one theme under the default rule (the old rule gave it both)."""
    centers = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    vectors = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.7, 0.69, 0.2], [0.3, 0.6, 0.74]])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    alone = memberships(vectors, centers)
    assert alone.themes == [[0], [1], [0], [1]]
    defaults = ThemeModel().get_params()
    assert "secondary_ratio" not in defaults
    assert defaults["secondary_parts"] == 0.7


def test_a_passing_remark_adds_no_second_theme():
    """A point adds its theme only when it makes it about as clearly as the whole answer
    makes its main one (``secondary_strength``): a clear second point does, a passing remark
    that only leans towards another theme does not (ArgKP: "that shouldn't be a criminal
    offence" gave "People who are ill do not have clear judgement")."""
    from analysis.themes import PART_STRENGTH, Membership, add_part_themes

    centers = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    member = Membership(np.array([0, 0]), np.array([0.9, 0.9]), [[0], [0]])
    main = np.array([0.9, 0.9])
    typical = np.array([0.8, 0.8])
    parts = np.array([[0.9, 0.1, 0.0], [0.1, 0.85, 0.0], [0.9, 0.1, 0.0], [0.3, 0.6, 0.5]])
    owners = np.array([0, 0, 1, 1])
    weak = add_part_themes(member, owners, parts, centers, typical, 0.7, main, PART_STRENGTH)
    assert weak.themes == [[0, 1], [0]]
    loose = add_part_themes(member, owners, parts, centers, typical, 0.7, main, None)
    assert loose.themes == [[0, 1], [0, 1]]
    assert ThemeModel().get_params()["secondary_strength"] == PART_STRENGTH
