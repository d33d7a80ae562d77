"""Keywords of themes a reviewer edited (merged, moved answers into or out of, split, created),
found as a fresh fit finds every theme's (issue 12, smoke11 #7): the words that set a theme's
answers apart from the run's OTHER themes as they are after the edit, by the same rules
(:func:`analysis.stages.shown_keywords`: c-TF-IDF candidates, the distinctiveness test of
:func:`analysis.describe.distinctive_terms`, at most ten, the reader's filters of
:func:`analysis.keywords.readable_keywords`, the answers' own case and the tidying of
:func:`analysis.tidy.tidy_keywords`).

>>> keywords_after_edit(texts, themes, targets=[2])  # {2: ["bus fares", "timetables"]}

A merged or created theme described alone (one theme, nothing to contrast) showed its
commonest words, shared with its neighbours ("rules, region, scale, principle, tight"); a
split's parts were contrasted only with each other. Here every answer of the run is read
once: cleaned, its duplicates grouped and tokenised as a fit does
(:func:`analysis.stages.cleaning`, :func:`analysis.represent.term_matrix`), each distinct
answer counted in the theme most of its copies are in now. No vectors are needed, so the
engine does not matter: the fast and the semantic engine's keywords read the same term
matrix. An answer that fits no theme (``outside``: a stored coding's ``fits_no_theme`` flag)
is left out of its theme's keyword counts, as a fit leaves it out
(:func:`analysis.stages.keyword_members`); its words are still read for phrases. On a fit's
own grouping this gives the fit's keywords but where a theme has over :data:`POOL` distinct
answers (the fit reads its most central ones, this its most repeated: no vectors here) or
where the flag spared an answer far from the others that says a theme's label.

A theme holding most of the run's answers (a merge of several, or a move into one) can have
no word used 1.5 times as often as by all the answers, its own included (at 60 % the most is
1.67 times, for a word no other theme uses), so it showed "No distinctive words". Such a
theme, empty and holding at least :data:`LARGE_THEME_SHARE` of the themed answers, is
contrasted with the other themes' answers only (:func:`analysis.describe.distinctive_terms`
with ``against="others"``); every other theme keeps the contrast a fit uses (switching all
of them changed 92-104 of ArgKP's 207 fresh-fit rows: BENCHMARKS "kwedit"), so only themes
that would otherwise show no keywords change (BENCHMARKS "leftweb").

Given the themes' labels, a keyword phrase that is another theme's label is left to that
theme, as a fit leaves it (:mod:`analysis.keyword_owners`, wording28; tidy29 #4: edited
themes' keywords skipped it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import describe, stages
from .errors import InputError
from .keyword_owners import borrowed_keywords_left_out
from .represent import term_matrix
from .tidy import tidy_keywords
from .tokens import Tokenizer

# As many of a theme's answers as a fit reads for its keywords (its 300 most central).
POOL = 300
# From this share of the themed answers (weighted by copies), a theme left with no keywords
# is contrasted with the other themes' answers only (module docstring; None: never).
LARGE_THEME_SHARE: float | None = 0.5


@dataclass
class Contrast:
    """The run's distinct answers as a fit reads them for keywords, each in its theme now:
    their texts, weights and themes, the tokenizer and vocabulary, and each theme's
    c-TF-IDF scores and distinctive terms (k x terms)."""

    texts: list[str]
    weights: np.ndarray
    themes: np.ndarray  # each distinct answer's theme (-1: none)
    worded: np.ndarray  # ... as its theme's keywords read it (-1 also: fits no theme)
    tokenizer: Tokenizer
    vocabulary: list[str]
    index_of: dict[str, int]
    scores: np.ndarray
    distinctive: np.ndarray
    matrix: sp.csr_matrix  # the distinct answers' terms (for the contrast with others only)


def contrast(
    texts: Sequence[str],
    themes: Sequence[int],
    k: int,
    seed: int = 0,
    outside: Sequence[bool] | None = None,
) -> Contrast | None:
    """Every answer read as a fit reads it for keywords (see the module's docstring), with
    ``themes`` each one's main theme (-1 for none) of ``k`` and ``outside`` the answers that
    fit no theme (left out of their theme's keyword counts, as
    :func:`analysis.stages.keyword_members` does); None when no answer is usable or none has
    a content word."""
    if len(texts) != len(themes) or (outside is not None and len(outside) != len(texts)):
        raise ValueError("texts, themes and outside differ in length")
    try:
        run = stages.start(list(texts), None, None, None, None)
        stages.cleaning(run, seed)
    except InputError:
        return None
    rep_theme = _rep_themes(run.rep_of_row, themes, len(run.rep_rows))
    worded = rep_theme
    if outside is not None:  # a distinct answer fits no theme when every copy of it does not
        fits = np.zeros(len(run.rep_rows), dtype=bool)
        for row, rep in enumerate(run.rep_of_row):
            if rep >= 0 and not outside[row]:
                fits[rep] = True
        worded = stages.keyword_members(rep_theme, np.where(fits, 0.0, -np.inf), k)
    tokenizer = Tokenizer()
    tokens = tokenizer.fit_transform(run.rep_texts)
    try:
        vectorizer, matrix = term_matrix(tokens)
    except ValueError:  # no answer has a content word
        return None
    vocabulary = list(vectorizer.get_feature_names_out())
    return Contrast(
        run.rep_texts,
        run.weights,
        rep_theme,
        worded,
        tokenizer,
        vocabulary,
        {term: i for i, term in enumerate(vocabulary)},
        describe.class_tfidf(matrix, worded, k, run.weights),
        describe.distinctive_terms(matrix, worded, k, run.weights),
        matrix,
    )


def keywords_after_edit(
    texts: Sequence[str],
    themes: Sequence[int],
    targets: Iterable[int],
    seed: int = 0,
    outside: Sequence[bool] | None = None,
    labels: Sequence[str] | None = None,
) -> dict[int, list[str]]:
    """Each theme of ``targets``'s keywords (a list, empty when no word sets it apart) as a
    fresh fit would show them, contrasted with every other theme. ``texts`` are all the
    run's answers and ``themes`` each one's main theme now (0, 1, ...; -1 for none: blank,
    non-substantive or not coded), so the contrast is with the themes after the edit. A
    target with no answer left gets no entry; {} when no answer has a content word.
    ``outside``: the answers that fit no theme, as :func:`contrast` reads them. ``labels``:
    every theme's label (by its number), so a keyword phrase that is another theme's label
    is left to that theme, as a fit leaves it (:mod:`analysis.keyword_owners`), and a
    target that would show no keyword shows its label's own vague words as a fit's last
    resort (:func:`_shown`)."""
    wanted = sorted({int(t) for t in targets})
    k = max([*(int(t) for t in themes), *wanted, -1]) + 1
    found: dict[int, list[str]] = {}
    read = contrast(texts, themes, k, seed, outside) if wanted else None
    if read is None:
        return found
    others = None  # the contrast with the other themes only, found when a theme needs it
    for theme in wanted:
        members = np.nonzero(read.themes == theme)[0]
        if not len(members):
            continue
        pool = [read.texts[r] for r in sorted(members, key=lambda r: (-read.weights[r], r))[:POOL]]
        label = labels[theme] if labels is not None and theme < len(labels) else ""
        large = _large(read, theme)
        # the label's last resort only once the contrast with the others only found nothing
        shown = _shown(read, theme, read.distinctive[theme], pool, k, "" if large else label)
        if not shown and large:
            if others is None:
                others = describe.distinctive_terms(
                    read.matrix, read.worded, k, read.weights, against="others"
                )
            shown = _shown(read, theme, others[theme], pool, k, label)
        found[theme] = tidy_keywords(shown)
    if labels is not None:
        _owned_by_their_labels(found, texts, themes, labels)
    return found


def _owned_by_their_labels(
    found: dict[int, list[str]],
    texts: Sequence[str],
    themes: Sequence[int],
    labels: Sequence[str],
) -> None:
    """Leaves out, in ``found``, the keywords that are another theme's label's words, by the
    fit's rule (:func:`analysis.keyword_owners.borrowed_keywords_left_out`: the same
    themes' labels and each theme's main-theme answers, every copy counted as the fit
    counts them)."""
    k = max([len(labels), *(t + 1 for t in found), *(int(t) + 1 for t in themes)])
    entries = [
        {"id": str(i), "label": labels[i] if i < len(labels) else "", "keywords": found.get(i, [])}
        for i in range(k)
    ]
    main: list[list[str]] = [[] for _ in range(k)]
    for text, theme in zip(texts, themes, strict=True):
        if int(theme) >= 0:
            main[int(theme)].append(text)
    borrowed_keywords_left_out(entries, main)
    for theme in found:
        found[theme] = list(entries[theme]["keywords"])


def _shown(
    read: Contrast, theme: int, distinctive: np.ndarray, pool: list[str], k: int, label: str = ""
) -> list[str]:
    """``theme``'s keywords as a fit shows them (:func:`analysis.stages.shown_keywords`), a
    term counting as setting it apart where ``distinctive`` says so. Its ``label`` serves
    only the last resort of a theme that would show none (its own vague words,
    :func:`analysis.keyword_fallback.label_words_said`; tidy30): the fit's other label rules
    (label-point order, the label's words for a theme no word sets apart, kw18's phrases)
    stay off, as kwedit left them."""
    return stages.shown_keywords(
        describe.top_keywords(read.scores[theme], read.vocabulary, count=30),
        distinctive,
        read.index_of,
        read.tokenizer,
        pool,
        alone=k == 1,
        label=label,
        label_rules=False,
    )


def _large(read: Contrast, theme: int) -> bool:
    """Whether ``theme`` holds at least :data:`LARGE_THEME_SHARE` of the answers its
    keywords are read from (weighted by copies, as the contrast counts them)."""
    if LARGE_THEME_SHARE is None:
        return False
    themed = float(read.weights[read.worded >= 0].sum())
    held = float(read.weights[read.worded == theme].sum())
    return themed > 0 and held / themed >= LARGE_THEME_SHARE


def _rep_themes(rep_of_row: np.ndarray, themes: Sequence[int], reps: int) -> np.ndarray:
    """Each distinct answer's theme: the one most of its copies are in (the lowest on a
    tie), -1 when none is in any."""
    votes: list[Counter[int]] = [Counter() for _ in range(reps)]
    for row, rep in enumerate(rep_of_row):
        if rep >= 0 and int(themes[row]) >= 0:
            votes[rep][int(themes[row])] += 1
    return np.array(
        [min(v.items(), key=lambda item: (-item[1], item[0]))[0] if v else -1 for v in votes],
        dtype=int,
    )
