"""Which responses to code next: the ones that teach the models most.

Each uncoded response gets a usefulness score from the coding model (how close its themes
are to the decision threshold), from the stance model (how unsure it is of the side: added,
weighted, so a response doubtful on both comes first), and a bonus when it looks like an
example of a theme with few coded examples. While few responses are coded, the score is
weighted by how typical the response is (density-weighted doubt), so the coded rows the
model learns its calibration from are not only the odd ones. The batch is then chosen
greedily so that it does not repeat one doubt: each pick is penalised by its similarity to
the responses already picked (maximal marginal relevance).

With nothing coded yet (a cold start) the batch is a spread of typical responses: each pick
is the response most similar to the rest that is least like those already picked. Given the
cold-start coding model, the spread covers the codebook's themes (``COLD_ROUND_ROBIN``): the
themes take turns, each offering its next typical response among those closest to it, so a
batch does not ask for one large theme's answers again and again while smaller themes wait
(smoke30b: 8 of a new codebook's first 10 suggestions were one theme's).

Once something is coded, themes of the codebook with no coded example can get places of their
own at the head of each batch (``FIRST_SHARE``, off by default: measured, it cost the ArgKP
key points more than it gained): for each, the uncoded response most like its
codebook entry, kept diverse, "may be the first example of theme X". The doubt above cannot
reach such a theme: the model gives it a probability near 0 on every response.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from .coding import CodingModel
from .coverage import coded_counts, no_example, theme_likeness
from .features import dense
from .stance_model import StanceModel

# How a row's theme doubt and stance doubt make one score when both models are fitted:
# "sum" (theme doubt plus STANCE_WEIGHT times stance doubt: rows doubtful on both first) or
# "max" (the larger of the two). Tuned with bench/grader.py on the 12 even ArgKP motions (key
# points and stance coded together, model-coded rows at 20 % coded): "max" 0.565 and 88.6 %,
# the larger of the two doubts' ranks 0.590 and 89.3 %, "sum" with weight 0.5, 1, 2, 3:
# 0.576 / 87.9 %, 0.594 / 89.1 %, 0.595 / 89.7 %, 0.580 / 89.4 %; their product, measured
# since, was not adopted either (BENCHMARKS.md "suggest-reasons"). With no stance model the
# rule does not apply. The stance doubt is the stance model's ``doubt_proba_`` (MiniLM's,
# also when the model codes on e5 vectors: see analysis.stance_model); coding stance alone,
# its ``proba_``.
SHARE = "sum"
STANCE_WEIGHT = 2.0
# When stance codes on e5 vectors and its MiniLM twin weighs the doubt above, this share of
# each batch is then picked by the doubt of the e5 model that codes stance (rows not picked
# already): those rows teach stance most, while the rest of the batch keeps the rows that
# teach themes. Chosen on the 12 even ArgKP motions, key points and stance coded together,
# model-coded rows at 20 % coded (bench/grader.py --in-process, seeds 0-2): 0 (only the
# twin) 0.588 and 91.6 %, a quarter 0.587 and 92.1 %, a half 0.586 and 93.0 %; e5's doubt
# in place of the twin's in the sum cost key points 0.600 -> 0.593 (seed 0), by ranks 0.591,
# mapped onto the twin's scale 0.574-0.579. Odd motions (held aside; scored for the twin,
# for e5's doubt in the sum, and once for this): 0.590 / 88.2 % with the twin alone, 0.583 /
# 89.5 % with half (BENCHMARKS.md "stance-e5").
STANCE_SPLIT = 0.5
# Few coded rows (fewer than SMALL): each row's doubt is weighted by its density (its mean
# similarity to its DENSITY_K nearest responses) to the power DENSITY, so the batch asks for
# typical doubtful responses rather than odd ones: with so few coded rows the model learns
# its calibration from them and cannot yet tune its decision rule. Tuned on the 12 even
# ArgKP motions, key points alone, model-coded rows at 20 % coded (bench.coding_leads,
# simulated coder's seeds 0, 1, 2): without 0.580, 0.584, 0.582 (random selection 0.587,
# 0.576, 0.564); with DENSITY 1 0.602, 0.595, 0.594; seed 0 with DENSITY 0.5, 2, 3: 0.586,
# 0.594, 0.589. Measured and not kept (seed 0): the coded rows counted as already picked when
# keeping a batch diverse 0.564 (with DENSITY 1: 0.594), diversity 0.6 0.570, half of each
# batch at random 0.576. Larger sets (NHS, v6: SMALL coded rows or more from the first
# batch) are not affected.
SMALL = 100
DENSITY = 1.0
DENSITY_K = 10
DENSITY_SAMPLE = 4000
# Share of each learned batch (rounded, at least one place, at most one per theme) given to
# themes with no coded example: the response most like each one's codebook entry (see
# ``_first_picks``; the stance half, ``STANCE_SPLIT``, is of the places left). Off by default:
# on the 12 even ArgKP motions, key points and stance coded together from 5 % coded at random
# (bench.grader --in-process, seed 0), model-coded rows at 10 / 20 % coded, key points and
# stance: off 0.519 / 0.594, 87.9 / 93.3 %; a quarter (2 of a 6-row batch) 0.513 / 0.554,
# 88.7 / 92.6 %; 0.15 (one place) 0.500 / 0.598, 88.5 / 92.7 %; one place taken from the
# stance half 0.501 / 0.585. Over seeds 0, 1, 2, one place moved key points at 20 % coded by
# +0.004 on average (the rule set beforehand asked +0.005) and stance by -0.53 points (it
# allowed -0.5), so the odd motions were not scored. About 45 % of the picks were a true example
# of their theme (4 motions at 5 % coded, where each such theme applies to 1 to 11 % of the
# rows), but the places they take from the doubtful rows cost about as much as a first
# example gains (see BENCHMARKS.md "coding-firstex").
FIRST_SHARE = 0.0
# The default share (``FIRST_SHARE``) gives places only once at least this many rows are
# coded, so that a theme still without an example is unlikely to be chance; a share asked
# for by the caller (``first_share``, the command line's ``--first-examples``) applies always.
# Measured from 100 coded rows on the NHS tuning part (2000 answers; ArgKP motions never
# reach 100 coded rows by 20 %), active selection at 20 % coded, seeds 0, 1, 2: off 0.578,
# 0.598, 0.583; one place a batch 0.590, 0.597, 0.582 (+0.003 on average); 0.15 of each batch
# 0.586, 0.586, 0.590 (+0.001): short of the +0.005 asked beforehand, so neither is on
# (BENCHMARKS.md "coding-leads7").
FIRST_FROM = 0
# A pick's reason names both doubts when the row is in the more doubtful half of the uncoded
# rows for each (its rank among them, 0-1, at least BOTH); it does not change which rows are
# picked. Before, the reason named stance whenever twice the stance doubt exceeded the theme
# doubt, which it did for 94 % of the rows of an ArgKP motion at 25 coded (the MiniLM stance
# model's margins are narrow with few coded rows: median doubt 0.52 against the themes' 0.25)
# so every reason read "unsure of its stance" (BENCHMARKS.md "suggest-reasons").
BOTH = 0.5
STANCE_REASON = "unsure of its stance"
# At a cold start with the coding model given, the batch takes the themes in turn (largest
# first, by how many uncoded responses are closest to each), each offering its most typical
# response not yet picked (:func:`_cold_picks`); responses no theme is close to (the model's
# misfits) come after. Off: one spread of typical responses over all the rows, which the
# largest theme fills (smoke30b). Not a measured figure: bench.coding starts from 5 % coded at
# random, so no benchmark reads a cold start's batch.
COLD_ROUND_ROBIN = True
RARE_EXAMPLES = 5
RARE_BONUS = 0.25
POOL_FACTOR = 10
# How much a batch is kept from repeating one doubt (maximal marginal relevance: the weight of
# a pick's greatest similarity to those already picked, against its score's 1 - DIVERSITY).
# 0.1 and 0.5 were measured on v6 and not kept (BENCHMARKS.md "al31"), as were al31's other
# leads for many coded rows (NOVELTY, MARGIN, KCENTER, QUOTA): taken out in tidy32, they are
# in the tree at commit 9a94d502 to reproduce al31's figures.
DIVERSITY = 0.3


@dataclass(frozen=True)
class Suggestion:
    """One response to code next, and why it was chosen."""

    row: int
    score: float
    reason: str
    theme_doubt: float | None = None
    stance_doubt: float | None = None


def _theme_doubt(model: CodingModel, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How unsure the coding model is of each row's whole coding (0-1: one minus the chance
    that every theme's decision is right), and the theme it is least sure of."""
    proba = model.proba_[rows]
    threshold = np.maximum(np.asarray(model.theme_thresholds_, dtype=float), 1e-3)
    distance = np.abs(proba - threshold) / np.where(proba >= threshold, 1 - threshold, threshold)
    doubt = 1 - np.asarray(model.confidence_)[rows]
    return doubt, distance.argmin(axis=1)


def suggest(
    count: int,
    vectors: np.ndarray,
    coding: CodingModel | None = None,
    stance: StanceModel | None = None,
    uncoded: np.ndarray | None = None,
    diversity: float | None = None,
    first_share: float | None = None,
) -> list[Suggestion]:
    """The ``count`` most useful uncoded rows to code next, most useful first.

    vectors: one row per response (dense or sparse), used to keep the batch diverse.
    coding, stance: fitted models (either may be None); ``uncoded`` defaults to the rows the
    coding model did not get from a person.
    first_share: the share of the batch given to first examples of themes no coded response
    has (default ``FIRST_SHARE`` once ``FIRST_FROM`` rows are coded, none: see there).
    diversity: the weight against repeating one doubt (default ``DIVERSITY``).
    """
    diversity = DIVERSITY if diversity is None else diversity
    vectors = normalize(vectors if sp.issparse(vectors) else np.asarray(vectors, dtype=float))
    if uncoded is None:
        if coding is None:
            raise ValueError("give the uncoded rows or a fitted coding model")
        uncoded = np.array([i for i, s in enumerate(coding.source_) if s == "model"], int)
    uncoded = np.asarray(uncoded, int)
    if count <= 0 or uncoded.size == 0:
        return []
    learned = coding is not None and not coding.cold_start_
    if coding is not None and not learned and stance is None and COLD_ROUND_ROBIN:
        return _cold_picks(coding, vectors, uncoded, count, diversity)
    first: list[Suggestion] = []
    if learned:
        wanted = first_share
        if wanted is None:
            wanted = FIRST_SHARE if len(coding.coded_rows_) >= FIRST_FROM else 0.0
        first = _first_picks(coding, vectors, uncoded, count, diversity, wanted)
        if first:
            uncoded = np.setdiff1d(uncoded, [p.row for p in first])
            count -= len(first)
            if count <= 0 or uncoded.size == 0:
                return first
    score = np.zeros(uncoded.size)
    reasons = [TYPICAL_REASON] * uncoded.size
    theme_doubt = stance_doubt = None
    if learned:
        doubt, which = _theme_doubt(coding, uncoded)
        theme_doubt = doubt
        counts = coded_counts(coding)
        proba = coding.proba_[uncoded]
        likely = proba.argmax(axis=1)
        given = _given(coding, uncoded)  # themes a person gave: only the stance is asked
        doubt[given] = 0.0
        for k in range(uncoded.size):
            if given[k]:
                reasons[k] = STANCE_REASON
                continue
            theme = coding.theme_ids_[which[k]]
            reasons[k] = f"unsure whether theme {theme} applies"
            score[k] = doubt[k]
            rare = likely[k]
            near = proba[k, rare] >= coding.theme_thresholds_[rare] / 2
            if counts[rare] < RARE_EXAMPLES and near:
                score[k] += RARE_BONUS * (1 - counts[rare] / RARE_EXAMPLES)
                reasons[k] = (
                    f"may be an example of theme {coding.theme_ids_[rare]}, "
                    f"which has {counts[rare]} coded"
                )
    theme_reasons, theme_rank = list(reasons), _share_below(score)
    if stance is not None:
        source = getattr(stance, "doubt_proba_", stance.proba_) if learned else stance.proba_
        stance_doubt = _margin_doubt(source[uncoded])
        stance_doubt[_given(stance, uncoded)] = 0.0  # a stance a person gave: themes asked
        score = _share(score, stance_doubt, reasons, learned)
    if not learned and stance is None:
        # Cold start: typical responses (close to many others), spread out below.
        centre = normalize(np.asarray(vectors[uncoded].mean(axis=0)).reshape(1, -1))
        score = np.asarray(vectors[uncoded] @ centre.T).ravel()
    if learned and len(coding.coded_rows_) < SMALL and DENSITY > 0:
        score = score * _density(vectors, uncoded) ** DENSITY
    split = 0
    if learned and stance is not None and _has_twin(stance):
        split = min(int(count * STANCE_SPLIT), uncoded.size - 1)
    kept = count - split
    pool = np.argsort(-score, kind="stable")[: max(kept * POOL_FACTOR, kept)]
    doubts = (theme_doubt, stance_doubt)
    picks = _diverse(pool, score, reasons, vectors[uncoded], uncoded, kept, diversity, doubts)
    if split > 0:
        theme = (theme_reasons, theme_rank, theme_doubt)
        picks += _stance_picks(stance, vectors, uncoded, picks, split, diversity, coding, theme)
    return first + picks


TYPICAL_REASON = "a typical response not yet like any coded one"


def _picked(
    chosen: list[int],
    pool: np.ndarray,
    score: np.ndarray,
    reasons: list[str],
    rows: np.ndarray,
    doubts: tuple[np.ndarray | None, np.ndarray | None],
) -> list[Suggestion]:
    """The suggestions for the ``chosen`` positions in ``pool`` (positions in ``rows``), in
    that order, with their score, reason and theme and stance doubts."""
    theme, stance = doubts
    return [
        Suggestion(
            row=int(rows[pool[p]]),
            score=round(float(score[pool[p]]), 4),
            reason=reasons[pool[p]],
            theme_doubt=None if theme is None else round(float(theme[pool[p]]), 4),
            stance_doubt=None if stance is None else round(float(stance[pool[p]]), 4),
        )
        for p in chosen
    ]


def _typical(vectors, rows: np.ndarray) -> np.ndarray:
    """How typical each of ``rows`` is among them: its similarity to their mean direction."""
    centre = normalize(np.asarray(vectors[rows].mean(axis=0)).reshape(1, -1))
    return dense(vectors[rows] @ centre.T).astype(float).ravel()


def _cold_picks(
    coding: CodingModel, vectors, uncoded: np.ndarray, count: int, diversity: float
) -> list[Suggestion]:
    """A cold start's batch spread over the codebook's themes (:data:`COLD_ROUND_ROBIN`): the
    rows of ``uncoded`` grouped by the theme the model puts closest (``proba_``), each
    group's rows in the order of a spread of its typical ones (:func:`_diverse`), then the
    themes take turns, largest group first, until ``count`` are picked. Rows no theme is
    close to (``coded_`` empty: the misfits) follow, as a spread of typical rows."""
    proba = np.asarray(coding.proba_)[uncoded]
    fits = np.array([bool(coding.coded_[r]) for r in uncoded], dtype=bool)
    closest = proba.argmax(axis=1) if proba.size else np.zeros(uncoded.size, int)
    groups = [np.flatnonzero(fits & (closest == j)) for j in range(proba.shape[1])]
    groups = sorted((g for g in groups if g.size), key=lambda g: -g.size)  # stable: book order
    queues = []
    for members in groups:
        score = _typical(vectors, uncoded[members])
        wanted = min(count, members.size)
        pool = np.argsort(-score, kind="stable")[: max(wanted * POOL_FACTOR, wanted)]
        reasons = [TYPICAL_REASON] * members.size
        view = vectors[uncoded[members]]
        queues.append(_diverse(pool, score, reasons, view, uncoded[members], wanted, diversity))
    picks: list[Suggestion] = []
    turn = 0
    while len(picks) < count and any(turn < len(queue) for queue in queues):
        picks += [queue[turn] for queue in queues if turn < len(queue)][: count - len(picks)]
        turn += 1
    rest = np.flatnonzero(~fits)
    if len(picks) < count and rest.size:
        score = _typical(vectors, uncoded[rest])
        wanted = min(count - len(picks), rest.size)
        pool = np.argsort(-score, kind="stable")[: max(wanted * POOL_FACTOR, wanted)]
        reasons = [TYPICAL_REASON] * rest.size
        view = vectors[uncoded[rest]]
        picks += _diverse(pool, score, reasons, view, uncoded[rest], wanted, diversity)
    return picks


def _first_picks(
    coding: CodingModel,
    vectors,
    uncoded: np.ndarray,
    count: int,
    diversity: float,
    share: float,
) -> list[Suggestion]:
    """Places for the themes no coded response has (``share`` of ``count``, at least
    one, at most one per theme): for each, the row of ``uncoded`` most like its codebook
    entry (:func:`analysis.coverage.theme_likeness`), penalised as ``_diverse`` does by its
    similarity to the rows already picked. When there are more such themes than places, the
    themes whose best row looks most like them come first; later batches reach the rest."""
    themes = no_example(coding)
    if not themes or share <= 0 or count <= 0:
        return []
    slots = min(len(themes), max(1, int(round(count * share))), uncoded.size)
    columns = [coding.theme_ids_.index(t) for t in themes]
    likeness = theme_likeness(coding, uncoded)[:, columns]
    low, high = likeness.min(axis=0), likeness.max(axis=0)
    relevance = (likeness - low) / np.where(high > low, high - low, 1.0)
    order = np.argsort(-high, kind="stable")[:slots]
    view = vectors[uncoded]
    closest = np.full(uncoded.size, -1.0)
    available = np.ones(uncoded.size, bool)
    picks = []
    for j in order:
        value = (1 - diversity) * relevance[:, j] - diversity * np.maximum(closest, 0)
        value[~available] = -np.inf
        k = int(np.argmax(value))
        available[k] = False
        similarity = view @ view[k].T
        similarity = similarity.toarray() if sp.issparse(similarity) else similarity
        closest = np.maximum(closest, np.asarray(similarity).ravel())
        reason = f"may be the first example of theme {themes[j]}, which has no coded example"
        picks.append(Suggestion(int(uncoded[k]), round(float(likeness[k, j]), 4), reason))
    return picks


def _has_twin(stance: StanceModel) -> bool:
    """Whether the stance model codes on other vectors than its doubt is weighed on."""
    twin = getattr(stance, "doubt_proba_", None)
    return twin is not None and twin is not stance.proba_


def _stance_picks(
    stance: StanceModel,
    vectors: np.ndarray,
    uncoded: np.ndarray,
    taken: list[Suggestion],
    count: int,
    diversity: float,
    coding: CodingModel,
    theme: tuple[list[str], np.ndarray, np.ndarray],
) -> list[Suggestion]:
    """``count`` rows of ``uncoded``, none in ``taken``, most doubtful to the stance model
    that codes (its ``proba_``), kept diverse as the rest of the batch is. ``theme``: each
    row of ``uncoded``'s theme reason, the rank of its theme score (``_share_below``) and
    its theme doubt; a row in the more doubtful half for its themes too says so."""
    theme_reasons, theme_rank, theme_doubt = theme
    chosen = {p.row for p in taken}
    keep = np.array([r not in chosen for r in uncoded], dtype=bool)
    rows = uncoded[keep]
    doubt = _margin_doubt(np.asarray(stance.proba_)[rows])
    doubt[_given(stance, rows)] = 0.0
    score = doubt
    if len(coding.coded_rows_) < SMALL and DENSITY > 0:
        score = score * _density(vectors, rows) ** DENSITY
    reasons = [
        _with_stance(theme_reasons[k]) if theme_rank[k] >= BOTH else STANCE_REASON
        for k in np.flatnonzero(keep)
    ]
    pool = np.argsort(-score, kind="stable")[: max(count * POOL_FACTOR, count)]
    doubts = (theme_doubt[keep], doubt)
    return _diverse(pool, score, reasons, vectors[rows], rows, count, diversity, doubts)


def _given(model: CodingModel | StanceModel, rows: np.ndarray) -> np.ndarray:
    """Which of ``rows`` a person coded for what ``model`` learns (its ``source_``): a row
    coded for its themes but not its stance (or the other way round) is suggested for the
    missing part only, so its doubt about the given part counts for nothing (judge26)."""
    source = getattr(model, "source_", None)
    if source is None:
        return np.zeros(len(rows), dtype=bool)
    return np.array([source[r] == "human" for r in rows], dtype=bool)


def _margin_doubt(proba: np.ndarray) -> np.ndarray:
    """One minus the margin between each row's two likeliest stances (0 with one stance)."""
    proba = np.asarray(proba)
    if proba.shape[1] < 2:
        return np.zeros(proba.shape[0])
    ordered = np.sort(proba, axis=1)
    return 1 - (ordered[:, -1] - ordered[:, -2])


def _share(theme: np.ndarray, stance: np.ndarray, reasons: list[str], learned: bool) -> np.ndarray:
    """One score per row from its theme doubt (with the rare-theme bonus) and stance doubt,
    by the rule ``SHARE``. ``reasons`` (the theme reasons on entry) then name each doubt
    the row is in the more doubtful half of the rows for (``BOTH``), else the one it ranks
    higher on; before the coding model has learned, stance where its doubt is the larger."""
    if not learned:  # no theme doubt yet: the larger of the two
        for k in np.flatnonzero(stance > theme):
            reasons[k] = STANCE_REASON
        return np.maximum(theme, stance)
    combined = theme + STANCE_WEIGHT * stance if SHARE == "sum" else np.maximum(theme, stance)
    a, b = _share_below(theme), _share_below(stance)
    for k in range(theme.size):
        if a[k] >= BOTH and b[k] >= BOTH:
            reasons[k] = _with_stance(reasons[k])
        elif b[k] > a[k]:
            reasons[k] = STANCE_REASON
    return combined


def _share_below(values: np.ndarray) -> np.ndarray:
    """Each value's rank for the reasons: the share of the other values strictly below it
    (0-1), so tied values share the lower rank and a doubt of 0 that most rows have (a stance
    the respondent's own answer gives, in the web app) is never named."""
    below = np.searchsorted(np.sort(values), values, side="left")
    return below / max(values.size - 1, 1)


def _with_stance(reason: str) -> str:
    """A theme reason that also names the stance doubt ("unsure of its stance and whether
    theme X applies", "unsure of its stance and may be an example of theme X, ...")."""
    if reason.startswith("unsure whether "):
        return STANCE_REASON + " and " + reason.removeprefix("unsure ")
    return f"{STANCE_REASON} and {reason}"


def _density(vectors: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """How typical each of ``rows`` is: its mean similarity (unit ``vectors``) to its
    ``DENSITY_K`` nearest other responses, coded or not, kept within 0.001-1. Above
    ``DENSITY_SAMPLE`` responses the neighbours are sought among a seeded sample of that
    many, so the cost stays linear in the number of responses."""
    total = vectors.shape[0]
    reference = np.arange(total)
    if total > DENSITY_SAMPLE:
        reference = np.sort(np.random.default_rng(0).choice(total, DENSITY_SAMPLE, replace=False))
    position = np.full(total, -1)
    position[reference] = np.arange(reference.size)
    k = min(DENSITY_K, reference.size - 1)
    density = np.ones(rows.size)
    if k < 1:
        return density
    for start in range(0, rows.size, 1024):
        part = rows[start : start + 1024]
        similarity = vectors[part] @ vectors[reference].T
        similarity = dense(similarity)
        similarity = similarity.astype(float)
        own = position[part] >= 0
        similarity[np.flatnonzero(own), position[part][own]] = -np.inf
        nearest = -np.partition(-similarity, k - 1, axis=1)[:, :k]
        density[start : start + part.size] = nearest.mean(axis=1)
    return np.clip(density, 1e-3, 1.0)


def _diverse(
    pool: np.ndarray,
    score: np.ndarray,
    reasons: list[str],
    vectors: np.ndarray,
    rows: np.ndarray,
    count: int,
    diversity: float,
    doubts: tuple[np.ndarray | None, np.ndarray | None] = (None, None),
) -> list[Suggestion]:
    """``count`` of the ``pool`` (positions in ``rows``) by maximal marginal relevance: in
    turn, the one whose ``score`` (scaled to 0-1 over the pool) weighed ``1 - diversity``,
    less its greatest similarity to those already taken weighed ``diversity``, is highest.
    So a pick can follow one with a lower score. ``doubts``: each row's theme and stance
    doubt (either None), shown beside its score."""
    chosen: list[int] = []
    closest = np.full(pool.size, -1.0)
    span = float(score[pool].max() - score[pool].min()) or 1.0
    relevance = (score[pool] - score[pool].min()) / span
    available = np.ones(pool.size, bool)
    while len(chosen) < min(count, pool.size):
        value = (1 - diversity) * relevance - diversity * np.maximum(closest, 0)
        value[~available] = -np.inf
        pick = int(np.argmax(value))
        available[pick] = False
        chosen.append(pick)
        similarity = vectors[pool] @ vectors[pool[pick]].T
        similarity = similarity.toarray() if sp.issparse(similarity) else similarity
        closest = np.maximum(closest, np.asarray(similarity).ravel())
    return _picked(chosen, pool, score, reasons, rows, doubts)
