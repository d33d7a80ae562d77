"""Summary points that restate their theme's label in other words (sent26, issue 12).

A theme's summary lists the other points its answers make; the description already leaves
out points whose sentences restate the label in its words or sit as close to it as a point's
own sentences sit to each other (:func:`analysis.describe._label_points`). Left were
sentences such as "Control is welcome if the funding formula protects the smaller boroughs."
under "We support more control, but smaller councils need a fair share of the settlement":
the label's point again, so a reader sees it twice.

:func:`restates_label`: a sentence restates the label when it is close to it in the
semantic engine's MiniLM vectors (cosine :data:`RESTATE_COSINE` or more) and uses a good
part of the label's content words (:data:`RESTATE_WORDS` of them or more,
:func:`analysis.label_points.content_words`), both or neither saying "not"
(:func:`analysis.repeats.negated`: "It should be abandoned ..." under "The vow of celibacy
shouldn't be abandoned" is the other side's point). Either test alone drops distinct points:
on ArgKP a key point's arguments share the point more than the words, and the demo's
neighbouring points share words (BENCHMARKS "fixa18" #3, "sent26" #2).
:func:`restated_labels_left_out` leaves such sentences out of a run's summaries before the
answers are counted, so their answers count under the label; a summary's last point is kept.

The thresholds were chosen on the demo and ArgKP's even motions (BENCHMARKS "sent26"), where
it left out 7 restatements and no other point; on the held-out odd motions it also left out
two other points, so :data:`RESTATE_RULES` is off. Pure and deterministic given the vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .label_points import content_words
from .repeats import negated

# Off by default: on ArgKP's held-out odd motions the rule also left out two sentences making
# another point than the label's ("Marriage ... imposes massive financial hardship" under
# "Weddings are an economic boon ..."), so it was not adopted (BENCHMARKS "sent26" #2).
RESTATE_RULES = False
# MiniLM cosine between a summary sentence and its label at or above which it may restate it.
RESTATE_COSINE = 0.46
# The share of the label's content words the sentence must use as well.
RESTATE_WORDS = 0.2


def restates_label(sentence: str, label: str, cosine: float) -> bool:
    """Whether a summary ``sentence`` restates its theme's ``label`` (see the module
    docstring), given their vectors' ``cosine``."""
    if cosine < RESTATE_COSINE or negated(sentence) != negated(label):
        return False
    wanted = content_words(label)
    return bool(wanted) and len(content_words(sentence) & wanted) / len(wanted) >= RESTATE_WORDS


def restated_labels_left_out(
    themes: list[dict], embed: Callable[[Sequence[str]], np.ndarray] | None
) -> list[tuple[str, str]]:
    """Leaves out, in place, each summary sentence that restates its theme's label
    (:func:`restates_label`, cosines from ``embed``: normalised sentence vectors), keeping a
    summary's last point and every note ("only_point"). Nothing without ``embed`` (the fast
    engine) or with :data:`RESTATE_RULES` off. Returns (theme id, sentence) for each left
    out."""
    if embed is None or not RESTATE_RULES:
        return []
    left_out: list[tuple[str, str]] = []
    for theme in themes:
        label = str(theme.get("label") or "")
        summary = theme.get("summary") or []
        said = [s for s in summary if not s.get("only_point")]
        if not label or len(said) < 2:
            continue
        vectors = np.asarray(embed([label, *(s["text"] for s in said)]), dtype=float)
        cosines = vectors[1:] @ vectors[0]
        restating = [
            sentence
            for sentence, cosine in zip(said, cosines, strict=True)
            if restates_label(sentence["text"], label, float(cosine))
        ]
        if len(restating) == len(said):  # the last point is kept: the most central first
            restating = restating[1:]
        if restating:
            theme["summary"] = [s for s in summary if not any(s is r for r in restating)]
            left_out += [(str(theme.get("id") or ""), s["text"]) for s in restating]
    return left_out
