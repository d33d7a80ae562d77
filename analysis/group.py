"""Describing one given group of answers as the engine describes a theme, without finding
themes: a reviewer's merged theme gets its keywords and summary from its own answers.

>>> described = describe_group(texts, ids, question="What should change?", engine="fast")
>>> described.keywords[:3], [point["text"] for point in described.summary]

The answers are cleaned and turned into vectors as a fit does (the description reads the
vectors, the TF-IDF terms and the representation's projection of sentences), then clustered
into the one theme they are (k-means with one centre, as :class:`analysis.ThemeModel` with
``n_themes=1`` does), their stances read when agreement answers are given, and the theme
described (:func:`analysis.stages.description`), its summary points counted
(``answers``) and given the answers' own typography, as the run does. Left out, since one
given theme does not need them: choosing a count, the answers' separate points (they can
add no second theme when there is one), stability (1.0 for a single theme), sentiment,
the label-point counts, sizes, shares and segments. Same answers, engine and seed: the same
label, keywords and summary as ``ThemeModel(n_themes=1)`` (tests/analysis/test_group.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import stages


@dataclass
class GroupDescription:
    """One group's label, keywords (as shown) and summary sentences (as themes.json gives
    them: id, text, ids, stance when measured, answers, only_point)."""

    label: str
    keywords: list[str]
    summary: list[dict[str, Any]]


def describe_group(
    texts: list[str],
    ids: list[str] | None = None,
    agreement: list[str] | None = None,
    question: str | None = None,
    engine: str = "auto",
    seed: int = 0,
    threads: int = 1,
) -> GroupDescription:
    """Label, keywords and summary of ``texts`` taken as one theme (see the module's
    docstring). ``ids`` name the answers (default "1", "2", ...), ``agreement`` gives each
    its paired agreement answer (the only source of stance), ``question`` the question's
    wording. Raises :class:`analysis.errors.InputError` when there is nothing to describe
    (no rows, or every answer blank or non-substantive) or the engine is unknown."""
    run = stages.start(texts, ids, None, agreement, 1, question)
    stages.cleaning(run, seed)
    stages.representation(run, engine, seed)
    # One theme: k-means with one centre as the fit finds it; no separate points (part
    # share None), since a point can add no theme the answer does not already have.
    stages.themes(run, seed, 1, 1, 0.8, None, 0.25, threads, part_share=None)
    run.stable = np.ones(run.k)  # what stability gives a single theme
    stages.stances(run)
    stages.description(run)
    stages.summary_point_counts(run)
    stages.typographic(run)
    theme = run.themes[0]
    return GroupDescription(theme["label"], list(theme["keywords"]), list(theme["summary"]))
