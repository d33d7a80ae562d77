"""Each summary sentence says how many of its theme's answers make its point, counted as the
label's point is (not only the ~100 central answers the summary read)."""

from __future__ import annotations

import pytest

from analysis import ThemeModel
from analysis.embeddings import MiniLMEmbedder, available
from analysis.label_points import LABEL_POINT_THRESHOLD, NEAREST_MARGIN, statement_makers
from tests.analysis.test_label_points import word_embed

pytestmark = pytest.mark.coding_encoder

needs_semantic = pytest.mark.skipif(not available(), reason="the semantic extra is not installed")


def test_an_answer_or_one_of_its_points_makes_a_sentences_point():
    texts = [
        "Run more buses.",
        "Buses are late. Build more homes.",  # its second point is the homes sentence
        "Build more homes.",
        "Fund skills courses.",
    ]
    makes = statement_makers(["We need more buses.", "More homes please."], texts, word_embed)
    assert makes.tolist() == [[True, False], [True, True], [False, True], [False, False]]


def test_nothing_to_count_gives_an_empty_array():
    assert statement_makers([], ["Run more buses."], word_embed).shape == (1, 0)
    assert statement_makers(["Run more buses."], [], word_embed).shape == (0, 1)


def test_the_fast_engine_adds_no_count():
    texts = [f"We need more buses on route {i % 7} near the station." for i in range(30)]
    texts += [f"Build {i % 5} more affordable homes for key workers." for i in range(30)]
    model = ThemeModel(n_themes=2, engine="fast", seed=0).fit(texts)
    assert all("answers" not in s for theme in model.themes_ for s in theme["summary"])


@needs_semantic
def test_the_semantic_engine_counts_every_answer_mentioning_the_theme():
    """More answers than the summary reads (pool_size 100): the count sees them all, each
    answer under the run's statements it is nearest to (every label and summary sentence:
    smoke17s finding 1), the answer quoted counted too, at most the theme's mentions."""
    buses = [
        "Bus services are unreliable and should run to time.",
        "The buses never turn up on time in the evening.",
        "Please make the buses reliable and frequent.",
        "Fares are too high for young people.",
        "Bus fares should be capped for students.",
    ]
    homes = [
        "We need affordable homes for key workers.",
        "Build more affordable housing near the stations.",
        "Rents are too high: build homes people can afford.",
    ]
    texts = [buses[i % 5] + f" Route {i}." for i in range(240)]
    texts += [homes[i % 3] + f" Ward {i}." for i in range(60)]
    ids = [f"R{i}" for i in range(len(texts))]
    model = ThemeModel(n_themes=2, engine="semantic", seed=0).fit(texts, ids=ids)
    embed = MiniLMEmbedder().embed
    labels = [theme["label"] for theme in model.themes_]
    said = 0
    for index, theme in enumerate(model.themes_):
        mentions = [row for row, themes in enumerate(model.memberships_) if index in themes]
        for sentence in theme["summary"]:
            if sentence.get("only_point"):
                assert "answers" not in sentence
                continue
            said += 1
            others = labels + [
                s["text"]
                for t in model.themes_
                for s in t["summary"]
                if s is not sentence and not s.get("only_point")
            ]
            mine = [texts[r] for r in mentions]
            nearest = {"rivals": others, "margin": NEAREST_MARGIN}
            makes = statement_makers([sentence["text"]], mine, embed, **nearest)
            expected = sum(
                bool(m) or ids[r] == sentence["id"]
                for r, m in zip(mentions, makes[:, 0], strict=True)
            )
            assert sentence["answers"] == expected
            # counted as the label's point is (cosine 0.5), to compare with label_point
            alike = statement_makers(
                [sentence["text"]], mine, embed, LABEL_POINT_THRESHOLD, **nearest
            )
            assert sentence["answers_as_label"] == int(alike[:, 0].sum())
            assert 1 <= sentence["answers"] <= theme["mentions"]
    assert said
    # the point the most answers make comes first, then the rest in that order
    for theme in model.themes_:
        counts = [s["answers"] for s in theme["summary"] if not s.get("only_point")]
        assert counts == sorted(counts, reverse=True)
    # a point made by 48+ answers of the 240 is counted beyond the ~100 the summary read
    assert max(s.get("answers", 0) for t in model.themes_ for s in t["summary"]) > 40
    again = ThemeModel(n_themes=2, engine="semantic", seed=0).fit(texts, ids=ids)
    assert again.themes_ == model.themes_
