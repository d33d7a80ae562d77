"""Co-training for the coding model: uncoded responses on which two views agree.

The coding features have two views of each response: its words (TF-IDF) and its sentence
vector (MiniLM, with the semantic engine). A classifier per theme learned on each view alone
from the coded rows (and the codebook's rows) gives every uncoded response two opinions.
Where both views are sure in the same direction (both at least ``HIGH``: the theme applies;
both at most ``LOW``: it does not), the response becomes a pseudo-coded row for that theme
only, and the coding model's own classifier for the theme learns from it, weighted below a
person's coding. Where the views disagree or are unsure, the response teaches nothing.

The views' errors are less alike than one classifier's errors are to themselves, so their
agreement is better evidence than one model's confidence (self-training). Measured, it is
the agreed negatives that move anything (positives alone left ArgKP level and cost NHS
sub-themes a little), and with ``HIGH`` 0.85 and ``LOW`` 0.02 the option gained 0.001 on the
NHS tuning part over three seeds: off by default (BENCHMARKS.md, ``coding-leads7``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

HIGH = 0.85
LOW = 0.02


def view_proba(
    train: sp.csr_matrix,
    y: np.ndarray,
    weights: np.ndarray,
    query: sp.csr_matrix,
    C: float,
) -> np.ndarray:
    """Each theme's probability for the ``query`` rows from a logistic regression per theme
    learned on ``train`` (0/1 labels ``y``, sample ``weights``); a theme whose labels are all
    one value gets that value."""
    proba = np.zeros((query.shape[0], y.shape[1]))
    with threadpool_limits(1):
        for j in range(y.shape[1]):
            column = y[:, j]
            if column.min() == column.max():
                proba[:, j] = float(column[0])
                continue
            model = LogisticRegression(C=C, max_iter=1000, solver="liblinear")
            model.fit(train, column, sample_weight=weights)
            proba[:, j] = model.predict_proba(query)[:, 1]
    return proba


def agreed(
    train: sp.csr_matrix,
    y: np.ndarray,
    weights: np.ndarray,
    pool: sp.csr_matrix,
    split: int,
    C: float,
    high: float | None = None,
    low: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Pseudo-codes for the ``pool`` rows: the 0/1 matrix (rows by themes) both views agree
    on, and the mask of the (row, theme) pairs where they agree surely enough to teach. The
    views are the feature columns before ``split`` (words) and from it on (vectors);
    ``high`` and ``low`` default to ``HIGH`` and ``LOW``."""
    high = HIGH if high is None else high
    low = LOW if low is None else low
    train, pool = sp.csr_matrix(train), sp.csr_matrix(pool)
    if pool.shape[0] == 0 or split <= 0 or split >= train.shape[1]:
        shape = (pool.shape[0], y.shape[1])
        return np.zeros(shape, np.int8), np.zeros(shape, bool)
    words = view_proba(train[:, :split], y, weights, pool[:, :split], C)
    vectors = view_proba(train[:, split:], y, weights, pool[:, split:], C)
    positive = (words >= high) & (vectors >= high)
    negative = (words <= low) & (vectors <= low)
    return positive.astype(np.int8), positive | negative
