"""k-means restarts and stability refits run side by side without changing results; stability
tells separated groups from arbitrary cuts."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize

from analysis.themes import find_themes, kmeans, stability, ward_centers


def blobs(count: int = 600, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = normalize(rng.standard_normal((6, 12)))
    return normalize(centres[rng.integers(0, 6, count)] + 0.15 * rng.standard_normal((count, 12)))


def test_parallel_restarts_give_the_same_clustering():
    vectors = blobs()
    one = kmeans(vectors, 6, seed=4, workers=1)
    two = kmeans(vectors, 6, seed=4, workers=2)
    assert np.array_equal(one.labels, two.labels)
    assert np.allclose(one.centers, two.centers)


def test_parallel_stability_refits_give_the_same_scores():
    vectors = blobs()
    weights = np.ones(len(vectors))
    found = find_themes(vectors, weights, 6, seed=1)
    one = stability(vectors, weights, found, seed=1, workers=1)
    two = stability(vectors, weights, found, seed=1, workers=2)
    assert np.array_equal(one, two)
    assert one.min() > 0.8  # well-separated groups come back whole


def test_ward_start_finds_well_separated_groups():
    vectors = blobs()
    weights = np.ones(len(vectors))
    centres = ward_centers(vectors, weights, 6, seed=0)
    assert centres.shape == (6, vectors.shape[1])
    assert np.allclose(np.linalg.norm(centres, axis=1), 1.0, atol=1e-5)
    found = find_themes(vectors, weights, 6, seed=0)
    truth = np.random.default_rng(0)  # blobs() draws its groups after its centres
    truth.standard_normal((6, 12))
    groups = truth.integers(0, 6, len(vectors))
    assert adjusted_rand_score(groups, found.labels) > 0.95


def test_ward_start_on_a_sample_is_seeded_and_reproducible():
    vectors = blobs(900)
    weights = np.ones(len(vectors))
    first = ward_centers(vectors, weights, 6, seed=3, limit=300)
    again = ward_centers(vectors, weights, 6, seed=3, limit=300)
    assert np.array_equal(first, again)
    one = find_themes(vectors, weights, 6, seed=3, ward_limit=300)
    two = find_themes(vectors, weights, 6, seed=3, ward_limit=300)
    assert np.array_equal(one.labels, two.labels)
    assert np.array_equal(one.centers, two.centers)


def test_ward_start_steps_aside_when_there_is_nothing_to_agglomerate():
    vectors = blobs(20)
    weights = np.ones(len(vectors))
    assert ward_centers(vectors, weights, 1, seed=0) is None
    assert ward_centers(vectors[:1], weights[:1], 1, seed=0) is None
    assert ward_centers(vectors, weights, 6, seed=0, limit=0) is None
    assert ward_centers(vectors, weights, 6, seed=0, limit=5) is None  # k above the sample
    off = find_themes(vectors, weights, 3, seed=0, ward_limit=0)
    assert off.centers.shape[0] == 3
    assert find_themes(vectors, weights, 1, seed=0).centers.shape[0] == 1


def test_ward_start_weighs_duplicates_in_its_centroids():
    vectors = normalize(np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]]))
    heavy = ward_centers(vectors, np.array([9.0, 1.0, 1.0, 1.0]), 2, seed=0)
    even = ward_centers(vectors, np.ones(4), 2, seed=0)
    first = int(np.argmax(heavy[:, 0]))
    assert heavy[first, 0] > even[int(np.argmax(even[:, 0])), 0]


def test_stability_tells_separated_groups_from_a_uniform_blob():
    # Clearly separated groups come back whole in every refit; cutting a uniform blob into
    # six is arbitrary, so its "themes" are re-cut differently each time.
    weights = np.ones(600)
    separated = blobs()
    found = find_themes(separated, weights, 6, seed=2)
    assert stability(separated, weights, found, seed=2).min() > 0.9
    blob = normalize(np.random.default_rng(5).standard_normal((600, 12)))
    cut = find_themes(blob, weights, 6, seed=2)
    scores = stability(blob, weights, cut, seed=2)
    assert scores.max() < 0.8
    assert scores.mean() < 0.6


def test_stability_is_deterministic_and_seeded():
    vectors = normalize(np.random.default_rng(6).standard_normal((300, 12)))
    weights = np.ones(300)
    found = find_themes(vectors, weights, 5, seed=0)
    first = stability(vectors, weights, found, seed=3)
    assert first.tobytes() == stability(vectors, weights, found, seed=3).tobytes()
    assert not np.array_equal(first, stability(vectors, weights, found, seed=4))
    assert ((first >= 0) & (first <= 1)).all()


def test_stability_counts_repeated_answers_by_their_weight():
    # An answer counts as often as it was given: the refit puts theme 0's third answer with
    # theme 1's two, and the more often that answer was given, the more theme 1 is swamped.
    from analysis.themes import _pair_f1

    original = np.array([0, 0, 0, 1, 1])
    again = np.array([0, 0, 1, 1, 1])
    once = _pair_f1(original, again, np.ones(5), 2)
    heavy = _pair_f1(original, again, np.array([1.0, 1.0, 10.0, 1.0, 1.0]), 2)
    assert heavy[1] < once[1] and not np.isclose(heavy[0], once[0])
    vectors = blobs(200)
    weights = np.ones(200)
    weights[0] = 50.0
    scores = stability(vectors, weights, find_themes(vectors, weights, 6, seed=1), seed=1)
    assert scores.shape == (6,) and ((scores > 0) & (scores <= 1)).all()


def test_pair_f1_scores_a_theme_split_or_swallowed_below_one_kept_whole():
    from analysis.themes import _pair_f1

    original = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2])
    weights = np.ones(10)
    same = _pair_f1(original, np.array([2, 2, 2, 2, 0, 0, 0, 0, 1, 1]), weights, 3)
    assert np.allclose(same, 1.0)  # the cluster numbers do not matter
    split = _pair_f1(original, np.array([0, 0, 3, 3, 1, 1, 1, 1, 2, 2]), weights, 3)
    assert split[0] < 1.0 and np.allclose(split[1:], 1.0)
    swallowed = _pair_f1(original, np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]), weights, 3)
    assert swallowed[0] == 1.0 and swallowed[1] < 1.0 and swallowed[2] < 1.0
    assert np.isnan(_pair_f1(original, original, weights, 4)[3])  # no members: no score


def test_keyed_stability_does_not_depend_on_the_run_seed():
    # Issue 12, smoke7 #6: a rerun with another seed that finds the same groups must give the
    # same figures, so the "unstable grouping" flag moves only when the grouping does.
    from analysis.themes import resample_key

    vectors = normalize(np.random.default_rng(6).standard_normal((300, 12)))
    weights = np.ones(300)
    texts = [f"answer {i}" for i in range(300)]
    found = find_themes(vectors, weights, 5, seed=0)
    key = resample_key(texts, weights, 5)
    first = stability(vectors, weights, found, seed=0, key=key)
    for seed in (1, 7):
        assert first.tobytes() == stability(vectors, weights, found, seed=seed, key=key).tobytes()
    # without a key (the measure before) the run's seed moved an arbitrary cut's figures
    assert not np.array_equal(
        stability(vectors, weights, found, seed=0), stability(vectors, weights, found, seed=1)
    )


def test_resample_key_comes_from_the_answers_their_repeats_and_the_count():
    from analysis.themes import resample_key

    texts = ["a", "b", "c"]
    weights = np.ones(3)
    key = resample_key(texts, weights, 2)
    assert key == resample_key(list(texts), weights.copy(), 2)
    assert 0 <= key < 2**30
    assert key != resample_key(["a", "b", "d"], weights, 2)
    assert key != resample_key(["ab", "", "c"], weights, 2)  # answers are kept apart
    assert key != resample_key(texts, np.array([1.0, 2.0, 1.0]), 2)
    assert key != resample_key(texts, weights, 3)


def test_a_fit_rerun_with_another_seed_keeps_the_stability_of_the_same_groups():
    from analysis import ThemeModel

    topics = [
        "the bus is late every morning and the timetable is wrong",
        "parking near the hospital costs far too much for visitors",
        "the nurses were kind and explained everything clearly",
        "waiting for a doctor took four hours in the emergency room",
    ]
    texts = [f"{topics[i % 4]} {word}" for i, word in enumerate(f"w{i}" for i in range(80))]
    fits = [ThemeModel(n_themes=4, engine="fast", seed=seed).fit(texts) for seed in (0, 1)]
    groups = [
        sorted(
            tuple(i for i, t in enumerate(fit.labels_) if t == theme)
            for theme in range(len(fit.themes_))
        )
        for fit in fits
    ]
    assert groups[0] == groups[1]
    figures = [
        {
            tuple(i for i, t in enumerate(fit.labels_) if t == n): theme["stability"]
            for n, theme in enumerate(fit.themes_)
        }
        for fit in fits
    ]
    for members, value in figures[0].items():
        assert abs(figures[1][members] - value) < 0.02
