"""Finding themes: deterministic k-means on unit vectors started from Ward's agglomerative
clustering, an automatic number of themes by over-clustering and merging similar centroids
(kept near a prior from the number of answers), stability by resampling, and multi-label
membership (whole answers and their separate points)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from .combinations import Points, combination_theme
from .parallel import map_side_by_side


@dataclass
class Clustering:
    """Cluster number per vector and unit-length centroids."""

    labels: np.ndarray
    centers: np.ndarray


def _fit_once(
    vectors: np.ndarray,
    k: int,
    seed: int,
    weights: np.ndarray | None,
    init: np.ndarray | str,
    threads: int,
) -> KMeans:
    # OpenMP's thread count is per calling thread, so each worker thread sets its own.
    with threadpool_limits(threads, user_api="openmp"):
        return KMeans(n_clusters=k, init=init, n_init=1, random_state=seed, max_iter=100).fit(
            vectors, sample_weight=weights
        )


def kmeans(
    vectors: np.ndarray,
    k: int,
    seed: int,
    weights: np.ndarray | None = None,
    n_init: int = 5,
    init: np.ndarray | None = None,
    threads: int = 1,
    workers: int = 2,
) -> Clustering:
    """k-means under a fixed thread count (1 by default: faster and reproducible here).

    With ``n_init`` > 1, each k-means++ start has its own seed drawn from ``seed`` and the
    lowest inertia wins (ties to the earlier start); ``workers`` threads run the starts side
    by side, which does not change the result.
    """
    if init is not None:
        starts = [(seed, init)]
    else:
        drawn = np.random.RandomState(seed).randint(0, 2**31 - 1, size=max(1, n_init))
        starts = [(int(s), "k-means++") for s in drawn]

    def fit(start: tuple[int, np.ndarray | str]) -> KMeans:
        return _fit_once(vectors, k, start[0], weights, start[1], threads)

    fits = map_side_by_side(fit, starts, workers, threads)
    best = min(range(len(fits)), key=lambda i: (fits[i].inertia_, i))
    model = fits[best]
    return Clustering(model.labels_.astype(np.int64), normalize(model.cluster_centers_))


def _relabel_by_size(clustering: Clustering, weights: np.ndarray) -> Clustering:
    """Number clusters by total weight, largest first (ties by first member), dropping empties."""
    k = clustering.centers.shape[0]
    mass = np.bincount(clustering.labels, weights=weights, minlength=k)
    first = np.full(k, len(clustering.labels))
    for index, label in enumerate(clustering.labels):
        first[label] = min(first[label], index)
    order = [c for c in sorted(range(k), key=lambda c: (-mass[c], first[c])) if mass[c] > 0]
    mapping = np.full(k, -1)
    mapping[order] = np.arange(len(order))
    return Clustering(mapping[clustering.labels], clustering.centers[order])


def size_prior(total_weight: float, scale: float = 1.2) -> float:
    """The number of themes expected from the number of answers alone: sqrt(n) / ``scale``.

    On ArgKP's 24 dev motions (95-202 arguments each) experts wrote 3-11 key points per
    motion, 9 on average; sqrt(150) / 1.2 is 10."""
    return float(np.sqrt(max(total_weight, 1.0)) / scale)


def band_edges(
    total_weight: float,
    prior_band: float = 0.25,
    floor_scale: float = 2.5,
    prior_scale: float = 1.2,
) -> tuple[float, float]:
    """The band :func:`choose_theme_count` keeps the merge count within, (low, high): within
    ``prior_band`` of :func:`size_prior`, the lower edge at most ``floor_scale`` * ln n."""
    prior = size_prior(total_weight, prior_scale)
    low = min(prior * (1 - prior_band), floor_scale * np.log(max(total_weight, 2.0)))
    return low, prior * (1 + prior_band)


def band_floor(count: int, total_weight: float, min_themes: int = 5, max_themes: int = 30) -> int:
    """The fewest themes :func:`choose_theme_count` takes from its band for ``count``
    distinct answers of ``total_weight`` (a merge count below the band is raised to this;
    only a clear gap in the merge tree gives fewer)."""
    upper = max(1, min(max_themes, count // 3 or 1))
    lower = max(1, min(min_themes, upper))
    low, _high = band_edges(total_weight)
    return int(min(max(int(round(low)), lower), upper))


@dataclass
class MergeTree:
    """Over-clustered centroids merged by average linkage on cosine distance."""

    tree: np.ndarray
    spread: float

    @property
    def leaves(self) -> int:
        return self.tree.shape[0] + 1

    def count_at(self, relative_threshold: float) -> int:
        """Groups left after merging centroids closer than this share of the spread."""
        cut = fcluster(self.tree, t=relative_threshold * self.spread, criterion="distance")
        return len(np.unique(cut))

    def clear_count(self, lower: int, upper: int, gap: float) -> int | None:
        """A count in [lower, upper] at which the next merge is at least ``gap`` times as far
        as the one before (well-separated groups), the widest such gap; else None."""
        heights = np.maximum(self.tree[:, 2], 1e-9)
        best, chosen = gap, None
        for done in range(1, len(heights)):
            groups = self.leaves - done
            if lower <= groups <= upper and heights[done] / heights[done - 1] >= best:
                best, chosen = heights[done] / heights[done - 1], groups
        return chosen


def merge_tree(
    vectors: np.ndarray, weights: np.ndarray, over: int, seed: int, threads: int = 1
) -> MergeTree | None:
    """Over-cluster into ``over`` groups and build the tree of their centroids; the spread is
    the answers' mean pairwise cosine distance, so thresholds relative to it fit engines
    whose vectors are spread differently (the semantic engine's are about half as spread).
    None when fewer than two groups are found."""
    fine = kmeans(vectors, over, seed, weights, n_init=1, threads=threads)
    fine_mass = np.bincount(fine.labels, weights=weights, minlength=over)
    centers = fine.centers[fine_mass > 0]
    if centers.shape[0] < 2:
        return None
    mean = np.average(vectors, axis=0, weights=weights)
    spread = max(1e-6, 1.0 - float(mean @ mean))
    return MergeTree(_centroid_tree(centers), spread)


def _centroid_tree(centers: np.ndarray) -> np.ndarray:
    """Average-linkage tree of the centroids on cosine distance. A centroid of answers with
    no usable words is all zeros and its cosine distance undefined: it counts as unrelated
    (distance 1) to every other centroid."""
    if (np.linalg.norm(centers, axis=1) > 0).all():
        return linkage(centers, method="average", metric="cosine")
    norms = np.linalg.norm(centers, axis=1, keepdims=True)
    unit = np.divide(centers, norms, out=np.zeros_like(centers), where=norms > 0)
    distances = np.clip(1.0 - unit @ unit.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    return linkage(squareform(distances, checks=False), method="average")


def distinct_count(vectors: np.ndarray) -> int:
    """How many different vectors there are: k-means cannot make more clusters than that
    (scikit-learn warns and leaves clusters empty)."""
    return len({row.tobytes() for row in np.ascontiguousarray(vectors)})


def choose_theme_count(
    vectors: np.ndarray,
    weights: np.ndarray,
    seed: int,
    min_themes: int = 5,
    max_themes: int = 30,
    merge_threshold: float = 0.8,
    threads: int = 1,
    prior_band: float = 0.25,
    floor_scale: float = 2.5,
    clear_gap: float = 1.5,
    prior_scale: float = 1.2,
) -> int:
    """How many themes, in [min_themes, max_themes].

    Over-cluster, then merge centroids by average linkage (:func:`merge_tree`). When the
    tree has a clear gap at fewer groups than the band below allows (the next merge at
    least ``clear_gap`` times as far as the one before: well-separated groups), that count
    stands. Otherwise (answers on one subject whose points shade into each other, as in
    real consultations) the count left after merging centroids closer than
    ``merge_threshold`` times the answers' mean pairwise distance is kept within
    ``prior_band`` of the count expected from the number of answers (:func:`size_prior`
    with ``prior_scale``). Past a few hundred answers the lower edge grows only with the
    logarithm (``floor_scale`` * ln n: 23 themes at 10,000 answers, 25 at 20,000), so big
    sets are not pushed to the ceiling by the prior. Tuned on ArgKP's even motions:
    the merge count alone ran from 4 to 13 whatever the experts wrote; within the band, 9
    of 12 came within 25 % of the experts' count.

    Tried and dropped (issue 12, retune once the engines took the question's direction out
    of answer vectors, motions given as the question): on the even motions the merge count
    still did not follow the experts' count (Spearman -0.3 to +0.2 at thresholds 0.5-0.9,
    +0.5 for sqrt(n)); a grid over threshold, scale and band for both engines at once
    chose 0.7 of the spread within 10 % of sqrt(n) / 1.5. Even motions, within 25 % of the
    experts' count 9 -> 11 of 12 (fast), 10 -> 10 (semantic); NMI against k given -0.7 %
    -> -0.5 % and -1.9 % -> -1.2 %. Held-out odd motions: fast 8 -> 9 of 12, -2.9 % ->
    +0.3 %, but semantic (the default engine) 8 -> 9 of 12 with NMI -4.2 % -> -4.7 %, and
    in the whole fit (``bench.quality``'s way, three seeds) -4.9 % -> -5.6 %, past the
    5 % target: not adopted (BENCHMARKS.md, "Automatic number of themes").

    Tried and dropped (issue 12, ``bench.count_rules``, even motions): choosing k in the
    band by stability (:func:`stability`: the most stable k, or the largest rise from
    k - 1) came within 25 % of the experts' count less often than the band's edge (6-9 of
    12 against 9-10; Spearman -0.47 to +0.37); rules anchored closer on sqrt(n) helped the
    semantic engine there (whole fit -1.7 % -> -0.9 % within 10 % of sqrt(n) / 1.3) but
    not the fast one, and on the odd motions, scored once, the semantic engine fell to
    -5.5 % (from -4.9 %): not adopted (BENCHMARKS.md, "Count rules tried").

    Tried and dropped (issue 12, the demo consultation's 6-10 points per question forced up
    to 9 themes): below the band's lower edge, taking the count left merging closer than
    0.75 of the spread when the themes found at the merge count were clearly apart (mean
    cosine silhouette at least 0.28). On the demo (semantic engine) 55 themes became 51 and
    points split over two themes 14 became 12, themes mixing points stayed 4, but NMI
    against its points fell from 77.0 to 76.7; ArgKP's motions, even and odd, kept their
    counts (silhouette at most 0.27), yet the shaded ten-point fixture of
    tests/analysis/test_theme_count.py scored 0.28-0.35 and fell from 8 themes to 7: the
    silhouette does not tell a few distinct points from shaded ones reliably enough.

    Tried and dropped (issue 12, autok, ``bench.count_ideas``): picking k in a band around
    the prior by subsample agreement (ARI of k-means on 80 % samples) or by cosine
    silhouette, and 3-4 themes for small sets at a gap in the merge tree. Stability never
    brought more even motions within 25 %; the silhouette candidate did (10/12 fast, 11/12
    semantic) and on the odd ones one more each, but the semantic NMI fell a hair (-4.16 %
    -> -4.18 %) and six of the demo's seven questions got 12-14 themes; the floor never
    fired (the tree's merge ratios are 1.0-1.34 on every motion, 3-point ones included):
    BENCHMARKS.md, "autok (5 December 2026)".

    Tried and dropped (issue 12, autok3, ``bench.count_misses``): on the even motions the
    merge count lies below the band on 11 of 12 (fast) and 12 of 12 (semantic), so the count
    is the band's lower edge; capping it at the prior instead of 25 % above brought the fast
    engine's one count too many (98 arguments, 7 points: 9 -> 8) within 25 %, but on the odd
    motions it changed no fast count and one semantic count (3 points: 9 -> 8 themes, NMI
    25.4 -> 21.9): BENCHMARKS.md, "autok3"."""
    count = vectors.shape[0]
    upper = max(1, min(max_themes, count // 3 or 1))
    lower = max(1, min(min_themes, upper))
    over = min(max(upper, min(3 * max_themes, count // 5 or 1)), distinct_count(vectors))
    tree = merge_tree(vectors, weights, min(over, count), seed, threads)
    if tree is None:
        return lower
    total = float(np.sum(weights))
    low, high = band_edges(total, prior_band, floor_scale, prior_scale)
    chosen = tree.clear_count(lower, min(upper, int(np.ceil(low)) - 1), clear_gap)
    if chosen is None:
        chosen = int(round(min(max(tree.count_at(merge_threshold), low), high)))
    return int(min(max(chosen, lower), upper))


def ward_centers(
    vectors: np.ndarray, weights: np.ndarray, k: int, seed: int, limit: int = 3000
) -> np.ndarray | None:
    """Starting centroids for k-means from Ward's agglomerative clustering: the weighted,
    unit-length mean of each of its ``k`` groups. Above ``limit`` vectors Ward runs on a
    seeded sample of ``limit`` of them (its cost grows with the square of the count: about
    5 s for 3,000 answers here). None when there is nothing to agglomerate (fewer than two
    vectors, ``k`` below 2 or above the vectors Ward would see, or ``limit`` 0).

    Ward grows groups of minimum variance from single answers up, rather than from k
    random seeds, so it does not fall into k-means++'s poor starts. With k given, over the
    best of five k-means++ starts (mean of 3 seeds): +0.5 mean NMI for the semantic engine
    on the sets it was tried on (NHS feedback with 9 and 44 themes, 3,000 answers; ArgKP's
    even motions), +1.8 on ArgKP's held-aside odd motions, and +0.5 for the fast engine over
    all four. The gain is on small sets (ArgKP motions, 100-200 answers); on all 8,489
    distinct NHS answers (Ward on a sample) it was neutral (-0.4 and +0.2)."""
    count = vectors.shape[0]
    if limit <= 0 or count < 2 or k < 2 or k > min(count, limit):
        return None
    chosen = np.arange(count)
    if count > limit:
        chosen = np.sort(np.random.default_rng(seed).choice(count, limit, replace=False))
    sample = np.asarray(vectors[chosen], dtype=np.float64)
    groups = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(sample)
    mass = np.bincount(groups, weights=weights[chosen], minlength=k)
    sums = np.zeros((k, vectors.shape[1]))
    np.add.at(sums, groups, sample * weights[chosen][:, None])
    centers = sums / np.maximum(mass, 1e-12)[:, None]
    return normalize(centers).astype(vectors.dtype)


def find_themes(
    vectors: np.ndarray,
    weights: np.ndarray,
    n_themes: int | None,
    seed: int,
    min_themes: int = 5,
    max_themes: int = 30,
    merge_threshold: float = 0.8,
    threads: int = 1,
    ward_limit: int = 3000,
) -> Clustering:
    """Cluster into exactly ``n_themes`` or, when it is None, into the number that
    :func:`choose_theme_count` finds. k-means starts from Ward's groups
    (:func:`ward_centers`, on at most ``ward_limit`` answers; 0 turns it off) and, when
    there is nothing to agglomerate, from the best of five k-means++ starts. Themes are
    numbered largest first."""
    if n_themes is None:
        n_themes = choose_theme_count(
            vectors, weights, seed, min_themes, max_themes, merge_threshold, threads
        )
    k = min(n_themes, distinct_count(vectors))
    start = ward_centers(vectors, weights, k, seed, ward_limit)
    found = kmeans(vectors, k, seed, weights, init=start, threads=threads)
    return _relabel_by_size(found, weights)


def dissolve_combinations(
    vectors: np.ndarray,
    weights: np.ndarray,
    clustering: Clustering,
    points: Points,
    seed: int,
    min_themes: int = 5,
    threads: int = 1,
    min_kept: float = 0.5,
) -> Clustering:
    """Dissolve themes made only of answers joining other themes' points
    (:func:`analysis.combinations.combination_theme`), one at a time, re-running k-means from
    the remaining centroids each time, while more than ``min_themes`` themes are left.
    Themes are numbered largest first.

    A rule merging near-twin themes (centres as close as their answers are to them) was
    tried beside this one and dropped: on large sets (NHS feedback, StackOverflow, Banking77,
    3,000 answers) each merge left a new near pair, and the count fell to the floor of 5."""
    while clustering.centers.shape[0] > max(min_themes, 1):
        worst = combination_theme(vectors, weights, clustering.centers, points, min_kept)
        if worst is None:
            break
        remaining = np.delete(clustering.centers, worst, axis=0)
        found = kmeans(vectors, remaining.shape[0], seed, weights, init=remaining, threads=threads)
        clustering = _relabel_by_size(found, weights)
    return clustering


# Refits behind a theme's stability (:func:`stability`). Five refits scored by pair-counting
# F1 were chosen on ArgKP's even motions and NHS feedback (3 seeds each) against the old
# measure (three refits, best Jaccard overlap): stability's AUC for picking out themes that
# match no expert key point or human sub-theme (best F1 < 0.4) rose from 0.66 to 0.70 on
# ArgKP and from 0.62 to 0.68 on NHS (held aside: 0.64 to 0.65 on ArgKP's odd motions, 0.21
# to 0.27 on another NHS sample, where stability does not tell good themes from poor ones);
# BENCHMARKS.md "Theme stability".
STABILITY_RUNS = 5
# What a stability figure measures, stored with a run (its summary's "stability_measure"),
# so figures of the earlier measure (three refits, best Jaccard overlap: lower figures, read
# against 0.6) are not read against today's threshold. Change it with the measure.
STABILITY_MEASURE = "pair-f1-5"


def stability(
    vectors: np.ndarray,
    weights: np.ndarray,
    result: Clustering,
    seed: int,
    runs: int = STABILITY_RUNS,
    fraction: float = 0.8,
    threads: int = 1,
    workers: int = 2,
    key: int | None = None,
) -> np.ndarray:
    """Per theme, how far its answers are grouped together again, and apart from the rest,
    when k-means (the same number of themes, one k-means++ start) is rerun on ``runs``
    random 80 % samples (0-1; 1.0: every refit finds the theme exactly).

    A theme's score in a refit is the pair-counting F1 of its sampled answers (weighted by
    their repeats): the share of pairs of its answers that the refit keeps together
    (recall) against the share of the pairs the refit makes with its answers that are both
    its own (precision), so a theme split in two and a theme swallowed by a bigger one both
    score below 1. The stability is the mean over the refits whose sample holds the theme
    (0 when none does). ``workers`` threads refit the samples side by side; the result does
    not depend on it.

    The fit passes ``key``, drawn from the answers themselves (:func:`resample_key`), and
    the samples and refits are seeded from it, not from the run's ``seed`` (used only
    without a key: the measure before issue 12's smoke7 #6). A rerun with another seed that
    finds the same groups then gives (nearly: the seed moves the vectors' term part a little)
    the same figures, so the "unstable grouping" flag moves only when the grouping does; with
    the run's seed, identical groups' figures moved by up to 0.2 from seed to seed
    (BENCHMARKS.md "Stability across reruns")."""
    k = result.centers.shape[0]
    count = vectors.shape[0]
    if count < 10 or k < 2:
        return np.ones(k)
    base = seed + 7919 if key is None else key
    rng = np.random.default_rng(base)
    samples = [
        np.sort(rng.choice(count, size=max(k, int(count * fraction)), replace=False))
        for _ in range(runs)
    ]

    def refit(run: int) -> Clustering:
        chosen = samples[run]
        return kmeans(
            vectors[chosen], k, base + run + 1, weights[chosen], n_init=1, threads=threads
        )

    refits = map_side_by_side(refit, range(runs), workers, threads)
    totals = np.zeros(k)
    present = np.zeros(k)
    for chosen, again in zip(samples, refits, strict=True):
        scores = _pair_f1(result.labels[chosen], again.labels, weights[chosen], k)
        seen = ~np.isnan(scores)
        totals[seen] += scores[seen]
        present += seen
    return np.divide(totals, present, out=np.zeros(k), where=present > 0)


def resample_key(texts: list[str], weights: np.ndarray, k: int) -> int:
    """A seed for :func:`stability`'s samples and refits drawn from what they refit (the
    distinct answers, their repeats and the number of themes), so it is the same whatever
    the run's seed: not from the vectors, whose term part the run's seed moves."""
    digest = hashlib.blake2b(digest_size=8)
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    digest.update(np.ascontiguousarray(weights, dtype=np.float64).tobytes())
    digest.update(int(k).to_bytes(4, "little"))
    return int.from_bytes(digest.digest(), "little") % 2**30


def _pair_f1(original: np.ndarray, again: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Per theme, the pair-counting F1 of its members under a second clustering ``again``
    (NaN for a theme with no members here). With ``M_c`` its members' weight in cluster c
    and ``N_c`` cluster c's: recall Σ M_c² / (Σ M_c)², precision Σ M_c² / Σ M_c N_c."""
    found = int(again.max()) + 1
    cluster_mass = np.bincount(again, weights=weights, minlength=found)
    table = np.zeros((k, found))
    np.add.at(table, (original, again), weights)
    mass = table.sum(axis=1)
    together = np.sum(table**2, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        recall = together / mass**2
        precision = together / (table @ cluster_mass)
        score = 2 * precision * recall / (precision + recall)
    score[mass <= 0] = np.nan
    return score


@dataclass
class Membership:
    """Each vector's primary theme, confidence, and every theme it substantially matches."""

    primary: np.ndarray
    confidence: np.ndarray
    themes: list[list[int]]


# A separate point of an answer adds its theme only when it is at least this share as close
# to that theme as the whole answer is to its main theme (tuned on ArgKP's even motions:
# second themes per answer 1.09-1.13 -> 1.08-1.09 against 1.07 true; BENCHMARKS.md "Several
# themes per answer").
PART_STRENGTH = 0.875


def memberships(vectors: np.ndarray, centers: np.ndarray) -> Membership:
    """Primary theme by cosine similarity: the whole answer gives its primary theme only
    (second themes come from its separate points, :func:`add_part_themes`). Confidence is
    the similarity to the primary centroid (0-1)."""
    similarity = vectors @ centers.T
    primary = similarity.argmax(axis=1)
    best = similarity[np.arange(len(primary)), primary]
    themes = [[int(p)] for p in primary]
    return Membership(primary.astype(np.int64), np.clip(best, 0.0, 1.0), themes)


def typical_similarity(
    similarity: np.ndarray, primary: np.ndarray, k: int, quantile: float
) -> np.ndarray:
    """Per theme, the ``quantile`` of its members' similarity to its centroid (1.0 if empty)."""
    best = similarity[np.arange(len(primary)), primary]
    typical = np.ones(k)
    for theme in range(k):
        members = best[primary == theme]
        if len(members):
            typical[theme] = float(np.quantile(members, quantile))
    return typical


def add_part_themes(
    member: Membership,
    part_owner: np.ndarray,
    part_vectors: np.ndarray,
    centers: np.ndarray,
    typical: np.ndarray,
    share: float = 1.0,
    main_similarity: np.ndarray | None = None,
    strength: float | None = None,
) -> Membership:
    """Themes from an answer's parts (sentences and clauses): a part's nearest theme also
    applies to the answer when the part is at least ``share`` of that theme's typical
    member similarity to it and, with ``strength`` and ``main_similarity`` (each row's
    similarity to its main theme), at least ``strength`` of its answer's similarity to its
    main theme: the part makes its point about as clearly as the whole answer makes its main
    one. ``part_owner`` gives each part's row in ``member``. Themes added this way follow
    those the whole answer already has, most similar part first."""
    if len(part_owner) == 0:
        return member
    similarity = part_vectors @ centers.T
    nearest = similarity.argmax(axis=1)
    score = similarity[np.arange(len(nearest)), nearest]
    found: dict[int, dict[int, float]] = {}
    for part, owner in enumerate(part_owner):
        theme = int(nearest[part])
        if score[part] < share * typical[theme]:
            continue
        strong = strength is None or main_similarity is None
        if not strong and score[part] < strength * main_similarity[owner]:
            continue
        best = found.setdefault(int(owner), {})
        best[theme] = max(best.get(theme, -1.0), float(score[part]))
    themes = [list(t) for t in member.themes]
    for owner, extra in found.items():
        for theme in sorted(extra, key=lambda t: (-extra[t], t)):
            if theme not in themes[owner]:
                themes[owner].append(theme)
    return Membership(member.primary, member.confidence, themes)
