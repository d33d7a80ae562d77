"""Themes' shares among the uncoded responses, when they differ from the coded ones.

Active selection asks people to code the responses the model doubts most, so the coded rows
are not a fair sample: a theme may be commoner (or rarer) among them than among the rows the
model codes. :func:`shift_priors` re-estimates each theme's share among the uncoded rows by
expectation-maximisation (Saerens, Latinne and Decaestecker, 2002: the share is the mean of
the adjusted probabilities, and each probability is adjusted by the odds of the new share
over the old) and moves the probabilities towards that share, by ``strength`` of the way.
"""

from __future__ import annotations

import numpy as np

ITERATIONS = 50
TOLERANCE = 1e-6
EDGE = 1e-4


def _adjust(proba: np.ndarray, ratio_yes: np.ndarray, ratio_no: np.ndarray) -> np.ndarray:
    yes = proba * ratio_yes
    return yes / (yes + (1 - proba) * ratio_no)


def shift_priors(
    proba: np.ndarray, coded_share: np.ndarray, strength: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """``proba`` (uncoded rows by themes, each theme's probability learned where its share
    was ``coded_share``) adjusted to each theme's share among these rows as estimated by EM,
    the log odds ratio of the new share over the old scaled by ``strength`` (0: unchanged,
    1: the full EM adjustment); and the estimated shares."""
    proba = np.clip(np.asarray(proba, float), EDGE, 1 - EDGE)
    old = np.clip(np.asarray(coded_share, float), EDGE, 1 - EDGE)
    if strength <= 0 or not proba.size:
        return proba, proba.mean(axis=0) if proba.size else old
    new = old.copy()
    for _ in range(ITERATIONS):
        adjusted = _adjust(proba, new / old, (1 - new) / (1 - old))
        share = np.clip(adjusted.mean(axis=0), EDGE, 1 - EDGE)
        done = np.max(np.abs(share - new)) < TOLERANCE
        new = share
        if done:
            break
    log_ratio = np.log(new / (1 - new)) - np.log(old / (1 - old))
    logit = np.log(proba / (1 - proba)) + strength * log_ratio
    return 1 / (1 + np.exp(-logit)), new
