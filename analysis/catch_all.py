"""A theme whose label speaks for few of its answers gathers several points: split it.

A theme's label is one statement in its members' words. When answers often make two points,
k-means can gather answers of several points around a centre between them (a catch-all);
its label then states one of those points and most of the answers mentioning it make
others. On the demo consultation, the four themes where no point is made by 60 % of the
members had their label's point made by 27-49 % of the answers mentioning them
(:mod:`analysis.label_points`); every other theme's label was made by 46 % or more, and 45 of
51 by 60 % or more. On ArgKP's even motions (semantic engine, automatic count; the odd ones
held aside), 2 of 103 themes had their label's point made by under 40 % of the answers
mentioning them, neither of them larger than the mean theme.

Such a theme is split once: the members making its label's point keep it, those that do not
start a theme of their own, and k-means settles the answers from those centres.

Off by default (``ThemeModel(catch_all=None)``): on the demo it left fewer themes mixing points
(4 to 3; NMI against the planted points 77.0 to 77.5), but on NHS feedback (3,000 answers,
semantic engine) it split three themes and the automatic count's NMI fell (28.7 to 28.0 with 9
themes, 31.5 to 31.4 with 44), lowering the real-set mean from 36.6 to 36.4 (BENCHMARKS.md, the
demo report's notes).
"""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

from .themes import Clustering, _relabel_by_size, kmeans

# Share of the answers mentioning a theme that make its label's point, under which a theme at
# least as large as the mean theme is split. Tuned on the demo's seven questions and ArgKP's
# even motions (module docstring).
CATCH_ALL_SHARE = 0.4


def catch_all_themes(
    label_points: list[int | None],
    mentions: list[int],
    sizes: list[int],
    share: float = CATCH_ALL_SHARE,
    room: int = 0,
) -> list[int]:
    """Themes whose label's point is made by fewer than ``share`` of the answers mentioning
    them and whose size is at least the mean theme's, fewest making it first, at most
    ``room`` of them (themes left below the ceiling). A theme without a measured label point
    (None) is never one."""
    if not sizes or room <= 0:
        return []
    mean = sum(sizes) / len(sizes)
    found = [
        (made / mentioned, theme)
        for theme, (made, mentioned, size) in enumerate(
            zip(label_points, mentions, sizes, strict=True)
        )
        if made is not None and mentioned > 0 and size >= mean and made < share * mentioned
    ]
    return [theme for _, theme in sorted(found)[:room]]


def split_themes(
    vectors: np.ndarray,
    weights: np.ndarray,
    clustering: Clustering,
    keepers: dict[int, np.ndarray],
    seed: int,
    threads: int = 1,
    pairs: list[tuple[int, int]] | None = None,
) -> Clustering:
    """Split each theme in ``keepers`` (theme -> which of the vectors make its label's point,
    one flag per vector) into the members that make it and those that do not, join each of
    ``pairs`` (as :func:`analysis.same_point.merge_pairs` does), and settle the answers with
    k-means from every theme's centre: the weighted mean of its members (a split theme's two:
    of its two groups). A theme whose members all make the point, or none, is left whole.
    Themes are numbered largest first."""
    if not keepers:
        return clustering
    k = clustering.centers.shape[0]
    target = np.arange(k)
    for a, b in pairs or []:
        target[b] = a
    groups = target[clustering.labels]
    data = np.asarray(vectors, dtype=np.float64) * weights[:, None]
    starts = []
    extra = []
    for theme in sorted(set(target.tolist())):
        members = groups == theme
        if theme in keepers:
            makes = members & keepers[theme]
            rest = members & ~keepers[theme]
            if makes.any() and rest.any():
                starts.append(data[makes].sum(axis=0))
                extra.append(data[rest].sum(axis=0))
                continue
        starts.append(data[members].sum(axis=0) if members.any() else clustering.centers[theme])
    if not extra:
        return clustering
    start = normalize(np.array(starts + extra)).astype(vectors.dtype)
    found = kmeans(vectors, start.shape[0], seed, weights, init=start, threads=threads)
    return _relabel_by_size(found, weights)
