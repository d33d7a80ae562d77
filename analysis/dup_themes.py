"""Two themes of one run that make one point, read from their members (dup32, issue 12).

:mod:`analysis.same_point` and :mod:`analysis.alike` compare the themes' labels only: two
wordings of one point ("Public money should be decided by people voters can remove at the
ballot box", "Spending decisions must stay with elected members, not unelected business
leaders") can score no higher than the question's other pairs of labels. This module measures
what the members say instead: how near each theme's answers are to the other theme's label.
A measure for the benches (``bench.dup_themes``), not used by a fit: on the demo it told pairs
making one point less well than the labels do (AUC 0.64-0.74 against MiniLM labels' 0.87,
fast engine; the demo's answers wrap each wording in an opener and a closer), on ArgKP's dev
motions a little better (0.60-0.65 against 0.59); BENCHMARKS "dup32".
"""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize


def member_scores(
    label_vectors: np.ndarray,
    member_vectors: np.ndarray,
    groups: list[list[int]],
    weights: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Per pair of themes (k x k matrices, symmetric):

    - ``cross``: how near each theme's members are to the other's label, as a share of how
      near they are to their own (mean cosine), the smaller of the two directions;
    - ``cross_z``: ``cross`` in standard deviations above the median of the run's pairs;
    - ``swap``: the share of each theme's members at least as near the other's label as to
      their own, the smaller of the two directions;
    - ``centroid``: the cosine of the two themes' mean member vectors.

    ``groups``: each theme's members, rows of ``member_vectors``; ``weights``: how many
    answers each row stands for (1 each by default)."""
    labels = normalize(np.asarray(label_vectors, dtype=np.float64))
    rows = normalize(np.asarray(member_vectors, dtype=np.float64))
    k = labels.shape[0]
    near = rows @ labels.T  # member x label
    weights = np.ones(len(rows)) if weights is None else np.asarray(weights, dtype=np.float64)
    mean = np.zeros((k, k))  # theme x label: its members' mean cosine with each label
    swap = np.zeros((k, k))
    centres = np.zeros((k, rows.shape[1]))
    for t, members in enumerate(groups):
        if not members:
            continue
        block, w = near[members], weights[members]
        mean[t] = np.average(block, axis=0, weights=w)
        swap[t] = np.average(block >= block[:, [t]], axis=0, weights=w)
        centres[t] = np.average(rows[members], axis=0, weights=w)
    own = np.clip(np.diag(mean), 1e-9, None)
    ratio = mean / own[:, None]
    cross = np.minimum(ratio, ratio.T)
    swap = np.minimum(swap, swap.T)
    unit = normalize(centres)
    centroid = unit @ unit.T
    cross_z = np.zeros((k, k))
    if k >= 4:
        values = cross[np.triu_indices(k, 1)]
        spread = float(values.std())
        if spread > 1e-9:
            cross_z = (cross - float(np.median(values))) / spread
    return {"cross": cross, "cross_z": cross_z, "swap": swap, "centroid": centroid}
