"""Two themes that say one point become one: the same point in other words (a second phrasing,
another reason or detail) can land in a theme of its own when the automatic count asks for
more themes than the answers make points.

Themes' labels are whole statements in the partners' words; two labels that say one point are
far more alike (sentence embeddings) than the question's other pairs of labels. Centroids do
not show it: on the demo consultation, pairs of themes holding one point were no closer than
pairs holding two (median centroid cosine 0.71 against 0.71), as the phrasings share openers
and closers with other points. A fixed threshold on label similarity does not carry from one
question to another either (on ArgKP motions, where every argument is about one motion, two
different key points' labels score 0.64 at the median; on the demo 0.30), so a pair counts as
one point when its similarity stands out from the question's own pairs: at least ``z``
standard deviations above their median.
"""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

from .themes import Clustering, _relabel_by_size, kmeans

# Tuned on the demo consultation's seven questions and ArgKP's 12 even motions (semantic
# engine, automatic count; ArgKP's 12 odd motions held aside). Pairs of themes above 2.0 there:
# on the demo, 7 holding one point (z 2.00-3.20) and 2 holding two (2.00, 2.59); on ArgKP, 3
# holding one point (up to 2.29) and 6 holding two (up to 2.75: "We shouldn't adopt atheism"
# beside "Atheism should not be adopted", whose members the experts filed under different
# key points; next 2.48: "Capital punishment remains a good deterrent" beside "... has been
# proven ineffective"). At 2.65, 4 demo pairs holding one point are joined and only that one
# ArgKP pair holding two; at 2.35, 7 demo pairs but also 3 holding two points. The fast
# engine's labels are compared with MiniLM too (when installed) under the same, untuned
# threshold: on the demo it joined 4 pairs, each two phrasings of one point, and on ArgKP one
# ("Marriage is an important religious ceremony ..." with "... a sacred act in many
# religions"; BENCHMARKS "same-point-fast").
SAME_POINT_Z = 2.65


def same_point_pairs(
    label_vectors: np.ndarray,
    sides: list[str],
    z: float = SAME_POINT_Z,
    min_themes: int = 5,
) -> list[tuple[int, int]]:
    """Pairs of themes whose labels say one point: label cosine at least ``z`` standard
    deviations above the median over all pairs of this fit's labels. Each theme joins at most
    one pair (most alike first), so one pass cannot chain unrelated themes together; pairs
    stop when ``min_themes`` would no longer be left. Themes whose members lean to opposite
    sides (``sides``: "for", "against" or "" per theme) are never paired. Needs at least four
    themes (six pairs) to tell what stands out."""
    k = label_vectors.shape[0]
    if k < 4:
        return []
    unit = normalize(np.asarray(label_vectors, dtype=np.float64))
    similarity = unit @ unit.T
    upper = np.triu_indices(k, 1)
    values = similarity[upper]
    spread = float(values.std())
    if spread <= 1e-9:
        return []
    score = (similarity - float(np.median(values))) / spread
    candidates = sorted(
        ((float(score[a, b]), a, b) for a, b in zip(*upper, strict=True)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for value, a, b in candidates:
        if value < z or k - len(pairs) <= max(min_themes, 1):
            break
        if a in used or b in used or {sides[a], sides[b]} == {"for", "against"}:
            continue
        used.update((int(a), int(b)))
        pairs.append((int(a), int(b)))
    return pairs


def merge_pairs(
    vectors: np.ndarray,
    weights: np.ndarray,
    clustering: Clustering,
    pairs: list[tuple[int, int]],
    seed: int,
    threads: int = 1,
) -> Clustering:
    """Join each pair of themes into one (centroid: the weighted mean of both themes'
    members) and settle the answers with k-means from those centroids. Themes are numbered
    largest first."""
    if not pairs:
        return clustering
    k = clustering.centers.shape[0]
    target = np.arange(k)
    for a, b in pairs:
        target[b] = a
    kept = sorted(set(target.tolist()))
    groups = np.searchsorted(kept, target[clustering.labels])
    sums = np.zeros((len(kept), vectors.shape[1]))
    np.add.at(sums, groups, np.asarray(vectors, dtype=np.float64) * weights[:, None])
    start = normalize(sums).astype(vectors.dtype)
    found = kmeans(vectors, len(kept), seed, weights, init=start, threads=threads)
    return _relabel_by_size(found, weights)
