"""Which answers fit no theme: answers unlike the other answers.

Every answer goes to its nearest theme, so an off-topic answer ("Fund evening bus services
first" to a question on funding settlements) lands in some theme with an ordinary-looking
confidence: the clustering vectors are averaged with each answer's nearest answers
(:mod:`analysis.neighbours`), which pulls an odd answer towards the themes around it (the
smoke walk's bus answer had confidence 0.75; the run's lowest was 0.68).

Fit is read from the answers' own vectors, before that averaging: an answer's mean
similarity to its :data:`NEIGHBOURS` most similar other answers, against how close answers
in this run typically are to theirs (``(similarity - median) / spread``, the spread the
median absolute deviation over the distinct answers; an answer given word for word by
several people fits by definition). An answer far below (:data:`FIT_FLOOR`) is one few other
answers come close to, and is flagged ``fits_no_theme``: it stays counted in its nearest
theme (theme counts, NMI and shares are unchanged) and every output says how many of a
theme's answers are flagged so.

Chosen on planted off-topic answers (bench/fits_no_theme.py, BENCHMARKS.md "fits-no-theme";
semantic engine, the demo's seven questions and ArgKP's even motions, 221 planted answers
among 3,433 distinct real ones). Told apart from real answers (AUC): the confidence 0.56,
the similarity to the theme's centre against the theme's spread 0.63, the nearest other
answer 0.79, the mean of the 10 nearest 0.92, the similarity to the centre of all the
answers 0.98. The last catches more planted answers (73 % at 1.6 % of real answers flagged)
but flags whole small themes of real answers far from the bulk (34 of the demo's real
answers at that cut); the mean of the 10 nearest flags an answer only when no group of
answers is like it: at -3.5, 58 % of planted answers and 1.0 % of real ones (-4: 56 % and
0.5 %). Planted NHS answers and the bus answer in the demo are all caught; arguments planted
from another ArgKP motion, eight of one topic, are often each other's neighbours and are
caught less.

An answer that makes a theme's label point in nearly its words, openers aside
(:func:`says_a_theme`), is never flagged, whichever theme it is counted in: it plainly fits
that theme. Nor is an answer one of whose sentences (of :data:`SAID_MIN_WORDS` words or
more, openers aside) :data:`SHARED_MIN` or more other answers also say
(:func:`shared_sentences`): it makes a common point, however far its whole vector is from
the others' (smoke walk 11, finding 2: "Overall, local control means decisions are made by
people who know the region." alone was flagged while 22 other answers say it among other
points; a two-point answer, one point common and one rare, was flagged likewise).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.preprocessing import normalize

from .flags import FIT_FLAG  # noqa: F401  (the flag this module sets, read as fit.FIT_FLAG)
from .neighbours import Cells, cells, nearest

# An answer whose fit (in spreads below the run's median answer) is under this is flagged.
# Tuned on planted off-topic answers in the demo and ArgKP's even motions (module docstring).
FIT_FLOOR = -3.5
# A run needs this many distinct answers before fit is measured; smaller ones flag nothing.
MIN_ANSWERS = 20
# How many of an answer's nearest other answers its fit is measured against.
NEIGHBOURS = 10
# Beyond this many answers, the nearest other answers are searched within cells
# (:func:`analysis.neighbours.cells`) when the representation kept none.
CELL_SIZE = 5000


def unsmoothed(representation: object, vectors: np.ndarray) -> np.ndarray:
    """The answers' own vectors before neighbour averaging (the semantic engine's
    ``joined_``, the fast engine's ``views_``), or ``vectors`` when neither is kept."""
    for name in ("joined_", "views_"):
        own = getattr(representation, name, None)
        if own is not None and getattr(own, "shape", (0,))[0] == vectors.shape[0]:
            return np.asarray(own, dtype=np.float64)
    return np.asarray(vectors, dtype=np.float64)


def nearest_others(
    own: np.ndarray,
    found: Cells | None = None,
    seed: int = 0,
    threads: int = 1,
    count: int = NEIGHBOURS,
) -> np.ndarray:
    """Each answer's mean cosine similarity to its ``count`` most similar other answers
    (searched in ``found``'s cells when given, as :mod:`analysis.neighbours` searches; fewer
    when a cell has fewer; 1.0 when there is no other)."""
    own = normalize(own).astype(np.float32)
    total = own.shape[0]
    mean = np.ones(total)
    if total < 2:
        return mean
    if found is None and total > CELL_SIZE:
        found = cells(own, CELL_SIZE, seed)
    groups = (
        [np.arange(total)]
        if found is None or len(found.labels) != total
        else [np.nonzero(found.labels == c)[0] for c in np.unique(found.labels)]
    )
    for members in groups:
        if len(members) < 2:
            continue
        local = own[members]
        near = nearest(local, local, count + 1, threads=threads)
        similarity = np.einsum("ij,ikj->ik", local, local[near])
        # leave the answer itself out (when a twin took its place, the least similar goes)
        similarity[near == np.arange(len(members))[:, None]] = -np.inf
        similarity.sort(axis=1)
        mean[members] = similarity[:, -(near.shape[1] - 1) :].mean(axis=1)
    return mean


def fit_scores(nearest_similarity: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Per distinct answer: ``(similarity - median) / spread`` of its similarity to its
    nearest other answers (:func:`nearest_others`) over the run's distinct answers (spread:
    the median absolute deviation, floored at 0.01). An answer standing for several
    ``rows`` (said word for word by others, or a campaign) scores 0, as does every answer of
    a run with fewer than :data:`MIN_ANSWERS` distinct answers (not measured)."""
    similarity = np.asarray(nearest_similarity, dtype=np.float64)
    score = np.zeros(len(similarity))
    if len(similarity) < MIN_ANSWERS:
        return score
    centre = float(np.median(similarity))
    spread = max(float(np.median(np.abs(similarity - centre))), 0.01)
    score = (similarity - centre) / spread
    score[np.asarray(rows) > 1] = 0.0
    return score


def own_similarity(own: np.ndarray, primary: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Each answer's cosine similarity to its theme's centre in the answers' own vectors
    (the weighted mean of the members' unit vectors, re-normalised)."""
    own = normalize(own)
    centres = np.zeros((k, own.shape[1]))
    np.add.at(centres, primary, own * weights[:, None])
    centres = normalize(centres)
    return np.einsum("ij,ij->i", own, centres[primary])


def theme_scores(
    similarity: np.ndarray, primary: np.ndarray, weights: np.ndarray, k: int
) -> np.ndarray:
    """A candidate the rule did not use (bench only): per answer, ``(similarity - median)
    / spread`` within its theme, the median and the
    median absolute deviation over the theme's members, weighted by how many rows each
    stands for (spread floored at 0.01). A theme of fewer than :data:`MIN_MEMBERS` rows
    gives its members 0 (not measured)."""
    score = np.zeros(len(primary))
    for theme in range(k):
        members = np.nonzero(primary == theme)[0]
        if weights[members].sum() < 5:
            continue
        values = similarity[members]
        centre = _weighted_median(values, weights[members])
        spread = max(_weighted_median(np.abs(values - centre), weights[members]), 0.01)
        score[members] = (values - centre) / spread
    return score


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The smallest value with at least half the weight at or below it."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def fits_no_theme(score: np.ndarray, floor: float = FIT_FLOOR) -> np.ndarray:
    """The answers whose fit is below ``floor``."""
    return np.asarray(score) < floor


# A label shorter than this (in words) is too common to vouch for an answer ("Buses").
SAID_MIN_WORDS = 4
# An answer is never flagged when one of its sentences is said by this many other answers.
SHARED_MIN = 3


def sentence_keys(text: str) -> set[str]:
    """The keys of an answer's sentences (:func:`analysis.describe.said_key` of each of
    :func:`analysis.signoff.said_sentences`: openers, case and punctuation aside, courtesy
    sentences left out) of :data:`SAID_MIN_WORDS` words or more."""
    from .describe import said_key
    from .signoff import said_sentences

    keys = {said_key(part) for part in said_sentences(text or "")}
    return {key for key in keys if len(key.split()) >= SAID_MIN_WORDS}


def shared_sentences(
    texts: Sequence[str], rows: Sequence[int], least: int = SHARED_MIN
) -> np.ndarray:
    """Per row of ``rows`` (indices into ``texts``): whether one of its sentences
    (:func:`sentence_keys`) is said by ``least`` or more other rows of ``texts``. Only the
    texts holding such a sentence's words in a row are split into sentences."""
    from .describe import plain_words

    wanted = [sentence_keys(texts[row]) for row in rows]
    keys = set().union(*wanted)
    counts: dict[str, int] = dict.fromkeys(keys, 0)
    if keys:
        by_word = _keys_by_inner_word(keys)
        for text, times in sorted(Counter(texts).items()):
            words = plain_words(text)
            hits = [
                key
                for word in {"", *words.split()} & by_word.keys()
                for key in by_word[word]
                if key in words
            ]
            if hits:
                own = sentence_keys(text)
                for key in hits:
                    counts[key] += times if key in own else 0
    return np.array(
        [any(counts[key] - 1 >= least for key in found) for found in wanted], dtype=bool
    )


def _keys_by_inner_word(keys: set[str]) -> dict[str, list[str]]:
    """The sentence keys (of :data:`SAID_MIN_WORDS` words or more) filed under one of their
    inner words, the one fewest keys have: a key found in a text's plain words
    (:func:`analysis.describe.plain_words`) has its inner words whole among them, so only the
    keys filed under the text's own words need looking for (each key under one word, so
    found once)."""
    inner = {key: key.split()[1:-1] for key in keys}
    often = Counter(word for words in inner.values() for word in set(words))
    filed: dict[str, list[str]] = {}
    for key in sorted(keys):
        # a key too short to have inner words is filed under "", looked for in every text
        word = min(inner[key], key=lambda w: (often[w], w), default="")
        filed.setdefault(word, []).append(key)
    return filed


def theme_keys(themes: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Every theme's label by the key the quotes compare words by (openers, case and
    punctuation aside: :func:`analysis.describe.said_key`), when of :data:`SAID_MIN_WORDS`
    words or more: key -> label. Quotes are not keys: an off-topic answer may be its theme's
    quote."""
    from .describe import said_key  # imported late: describe is heavy and needs no fit

    keys = {
        said_key(str(theme.get("label") or "")): str(theme.get("label") or "") for theme in themes
    }
    return {key: label for key, label in keys.items() if len(key.split()) >= SAID_MIN_WORDS}


def says_a_theme(text: str, keys: Mapping[str, str]) -> bool:
    """Whether an answer makes a theme's label point in its words (``keys`` from
    :func:`theme_keys`: any theme's, not only the one it is counted in): word for word,
    openers aside, in whole or in one of its sentences, or a sentence of it (opener off) in
    nearly the label's words (:func:`analysis.repeats.says_label`: the label's words found
    whole in it, or half their content words and two or more shared, both or neither saying
    "not"). Such an
    answer fits a theme, however few answers are near it in the vectors (smoke walk 8,
    finding 3: "As a university in Dudley, we think the sums on offer will not even repair
    the roads." was flagged though it is a theme's label; smoke walk 9, finding 25: "In
    Solihull, residents will not know whether to blame their council or the mayor when
    things go wrong. ..." was flagged under T02 though it makes T03's label)."""
    from .describe import said_key
    from .repeats import says_label
    from .signoff import said_sentences
    from .statements import strip_answer_openers

    if not keys:
        return False
    parts = said_sentences(text)
    if said_key(text) in keys or any(said_key(s) in keys for s in parts):
        return True
    return any(
        says_label(strip_answer_openers(part), label) for part in parts for label in keys.values()
    )
