"""A learned "does this answer make this point?" head over MiniLM vectors.

``point_match.json`` (beside this module once ``bench/point_match.py --write`` builds it; not
shipped, as the option was measured and not adopted: BENCHMARKS.md, "pointmatch") holds one
logistic regression over the pair features of an answer's unit MiniLM vector ``u`` and a
point's (a theme's codebook text) ``v``: the products ``u * v`` and absolute differences
``|u - v|`` per dimension, and the cosine ``u . v``. It was learned on IBM's ArgKP arguments
and the key points experts wrote for their motion (a match, or another key point of the same
motion), so it says how far an answer makes a short point, whatever the topic: the KPA 2021
shared task's matchers were learned so, on other motions than the ones they coded. A
``centred`` head reads the vectors less the mean of the survey's answers (:func:`centred`),
which takes out the direction every answer on one topic shares.

:class:`analysis.coding.CodingModel` (``point_match``) gives its combiner the head's log odds
for every response and theme as one more column.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MATCH_FILE = Path(__file__).with_name("point_match.json")
CHUNK = 4096  # rows scored at a time (bounds the |u - v| block's memory)


@dataclass(frozen=True)
class PointMatcher:
    """The head's weights: on ``u * v``, on ``|u - v|``, on the cosine, and the intercept;
    ``centred``: whether it reads vectors less the survey's mean answer."""

    product: np.ndarray
    difference: np.ndarray
    cosine: float
    intercept: float
    centred: bool = False

    def logit(
        self, rows: np.ndarray, points: np.ndarray, centre: np.ndarray | None = None
    ) -> np.ndarray:
        """Log odds that each row (unit vectors, one a row) makes each point (unit vectors):
        a rows-by-points matrix. ``centre``: the survey's mean answer vector, which a
        ``centred`` head takes from both (None: the mean of ``rows``)."""
        rows = np.asarray(rows, dtype=np.float64)
        points = np.asarray(points, dtype=np.float64)
        if self.centred and len(rows):
            centre = rows.mean(axis=0) if centre is None else centre
            rows, points = centred(rows, centre), centred(points, centre)
        out = np.empty((rows.shape[0], points.shape[0]))
        if not out.size:
            return out
        linear = rows @ (points * self.product[None, :]).T + self.cosine * (rows @ points.T)
        for start in range(0, rows.shape[0], CHUNK):
            part = rows[start : start + CHUNK]
            for j, point in enumerate(points):
                gap = np.abs(part - point[None, :]) @ self.difference
                out[start : start + CHUNK, j] = gap
        return out + linear + self.intercept

    def proba(
        self, rows: np.ndarray, points: np.ndarray, centre: np.ndarray | None = None
    ) -> np.ndarray:
        """The match probabilities, :meth:`logit` through the logistic function."""
        return 1 / (1 + np.exp(-self.logit(rows, points, centre)))


def centred(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """``vectors`` less ``centre``, back to unit length."""
    moved = np.asarray(vectors, dtype=np.float64) - np.asarray(centre, dtype=np.float64)[None, :]
    return moved / np.maximum(np.linalg.norm(moved, axis=1, keepdims=True), 1e-12)


def pair_design(rows: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The head's features of the pairs (``rows[i]``, ``points[i]``): ``u * v``, ``|u - v|``
    and the cosine, one pair a row (what ``bench/point_match.py`` learns from)."""
    rows = np.asarray(rows, dtype=np.float64)
    points = np.asarray(points, dtype=np.float64)
    cosine = (rows * points).sum(axis=1, keepdims=True)
    return np.hstack([rows * points, np.abs(rows - points), cosine])


def matcher_from_json(data: dict) -> PointMatcher:
    """The head as ``bench/point_match.py`` writes it."""
    return PointMatcher(
        product=np.asarray(data["product"], dtype=np.float64),
        difference=np.asarray(data["difference"], dtype=np.float64),
        cosine=float(data["cosine"]),
        intercept=float(data["intercept"]),
        centred=bool(data.get("centred", False)),
    )


@lru_cache(maxsize=4)
def load_matcher(path: Path = MATCH_FILE) -> PointMatcher | None:
    """The shipped head (None when its file is missing)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return matcher_from_json(data)
