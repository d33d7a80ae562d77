"""A theme labelled with a point few of its answers make gets the point most of them make.

A label is chosen before anything is counted: the statement nearest the theme's centre.
A theme can gather several points, and the label can then say one few of its answers make
(smoke7 finding 1: "Build more social housing so young people can stay in the region", made
by about 6 of its 36 answers, over a theme of which about 32 ask "Publish a summary of what
partners said and what changed as a result"). Once the label's point and the summary
sentences' points are counted alike (``label_point``, ``answers_as_label``: cosine 0.5,
:mod:`analysis.label_points`), a clear case (:func:`analysis.label_points.majority_point`)
is relabelled with that sentence, made a label the way labels are made from statements
(:func:`label_from_sentence`): whole, at most 14 words, never a fragment of it. The new
label's point is counted again, so the flags (:func:`analysis.report.theme_flags`) speak of
the label shown; the sentence leaves the summary (it is the label now) and the old label
joins it, as one of the theme's other points with its count, and a quote saying the new
label goes first (:func:`label_quote_first`). The new label is the chosen point in the words
most of the theme's answers use (:func:`commonest_wording`), not the summary sentence's own
wording when fewer say that.

A safety net catches a label almost none of its theme makes, where no single summary sentence
is made by half (smoke9 finding 11: on the NHS feedback, "Busy on nights so can't come straight
way, but otherwise everything ok" over a theme of 662 answers, about 3 of which make it): when
the label's point is made by fewer than :data:`LABEL_FLOOR` of the answers mentioning the
theme, every sentence of those answers that can be a label (:func:`label_from_sentence`) is a
candidate, and the one whose point most of them make (:func:`commonest_statement`, counted as
the label's point is) becomes the label, when it is made by at least
:data:`~analysis.label_points.RELABEL_RATIO` times as many as the old label and is not nearly
another theme's label (:func:`analysis.repeats.same_words`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .describe import MASKED, Quote, counted_side, label_first, restates
from .keyword_case import unshouted
from .label_points import (
    LABEL_POINT_THRESHOLD,
    NEAREST_MARGIN,
    RELABEL_RATIO,
    commoner_point,
    label_point_counts,
    majority_point,
    statement_makers,
)
from .repeats import same_words
from .statements import sentences, statements, strip_answer_openers, whole_sentences
from .tidy import has_placeholder
from .tokens import Tokenizer

LABEL_WORDS = 14  # a label's longest statement (:func:`analysis.describe.label_candidates`)

# A label whose point fewer than this share of the answers mentioning its theme make is no
# label of the theme (the safety net, :func:`commonest_statement`). Chosen on the label
# counts of the demo (57 themes), ArgKP's 24 dev motions (177 themes) and NHS feedback samples
# (BENCHMARKS "nhslabel"): below 10 % lie the NHS theme of smoke9 finding 11 (3 of 662) and
# few others; the demo's and ArgKP's labels are made by far more.
LABEL_FLOOR = 0.1
# At most this many candidate sentences are counted for one theme (those said word for word
# by most of its answers first, then in the order the answers come).
FLOOR_CANDIDATES = 400


def label_from_sentence(
    sentence: str,
    member_texts: Sequence[str],
    question: str = "",
    tokenizer: Tokenizer | None = None,
) -> str | None:
    """The summary ``sentence`` as a label: the sentence whole, as a statement says it
    (its opener off, tidied: :func:`analysis.statements.whole_sentences`), when that is one
    of its statements of at most :data:`LABEL_WORDS` words (so never a fragment, nor a
    non-substantive one); None when it is longer, holds masked personal data or a
    placeholder, or only restates the ``question``. In sentence case when its answer was
    written in capitals (:func:`analysis.keyword_case.unshouted`)."""
    whole = whole_sentences(sentence)
    if len(whole) != 1:
        return None
    statement = next(iter(whole))
    if statement not in statements(sentence, max_words=LABEL_WORDS):
        return None
    if MASKED.search(statement) or has_placeholder(statement):
        return None
    if question and tokenizer is not None and restates(statement, question, tokenizer):
        return None
    return unshouted(statement, list(member_texts))


def _sentence_key(text: str) -> str:
    """A sentence (its opener already off) as answers saying it are counted together:
    lower case, single-spaced, without its closing stop."""
    return " ".join(text.lower().split()).rstrip(".!?")


def commonest_wording(
    sentence: str,
    rows: Sequence[int],
    texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    weights: Sequence[int],
    question: str = "",
    tokenizer: Tokenizer | None = None,
    vocabulary: Sequence[str] | None = None,
    taken: set[str] | frozenset[str] = frozenset(),
) -> str | None:
    """The chosen summary ``sentence``'s point as a label in the words most of the theme's
    answers (``rows``, indexes into ``texts``, each standing for ``weights[row]`` rows)
    actually say (smoke8 finding 1: "Publish a summary of what partners said ..." said by 3
    of a theme's 36 answers, "Please keep partners informed about how responses are used" by
    29, both counted as one point). Each sentence of those answers, its opener off, that
    makes the sentence's point as an answer is judged to make a label's
    (:func:`analysis.label_points.statement_makers` at
    :data:`~analysis.label_points.LABEL_POINT_THRESHOLD`, rare words judged over
    ``vocabulary``) and can be a label (:func:`label_from_sentence`, not in ``taken``) is a
    wording; each wording scores the answers saying it or nearly the same words
    (:func:`analysis.repeats.same_words`), and the highest scoring is taken, the
    ``sentence``'s own wording on a tie. None when no wording can be a label."""
    said: dict[str, str] = {}  # a wording's key -> its text
    keys_of: list[set[str]] = []
    for row in rows:
        keys: set[str] = set()
        for part in sentences(texts[row]):
            text = strip_answer_openers(part)
            key = _sentence_key(text)
            if key:
                said.setdefault(key, text)
                keys.add(key)
        keys_of.append(keys)
    own = label_from_sentence(sentence, [], question, tokenizer)
    labels = {key: label_from_sentence(text, [], question, tokenizer) for key, text in said.items()}
    fits = [k for k, label in labels.items() if label and label.lower() not in taken]
    if not fits:
        return None
    vocabulary = vocabulary or texts
    makes = statement_makers(
        [sentence], [said[k] for k in fits], embed, LABEL_POINT_THRESHOLD, vocabulary
    )[:, 0]
    wordings = [k for k, yes in zip(fits, makes, strict=True) if yes]
    if not wordings:
        return None
    members = [texts[row] for row in rows]
    best, score = None, -1
    for key in wordings:
        near = {other for other in wordings if same_words(said[key], said[other])}
        count = sum(weights[r] for r, keys in zip(rows, keys_of, strict=True) if keys & near)
        mine = own is not None and labels[key] == own
        if count > score or (count == score and mine):
            best, score = key, count
    assert best is not None
    return label_from_sentence(said[best], members, question, tokenizer)


def commonest_statement(
    rows: Sequence[int],
    texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    weights: Sequence[int],
    question: str = "",
    tokenizer: Tokenizer | None = None,
    vocabulary: Sequence[str] | None = None,
    others: Sequence[str] = (),
) -> tuple[str, int] | None:
    """The sentence of the theme's answers (``rows``, indexes into ``texts``, each standing
    for ``weights[row]`` rows) whose point most of them make, as a label, with how many make
    it: each sentence that can be a label (:func:`label_from_sentence`: whole, at most
    :data:`LABEL_WORDS` words, not the question restated) and is not nearly one of the
    ``others`` (the other themes' labels: :func:`analysis.repeats.same_words`) is counted as
    a label's point is (:func:`analysis.label_points.statement_makers` at
    :data:`~analysis.label_points.LABEL_POINT_THRESHOLD`, rare words judged over
    ``vocabulary``, default ``texts``); the first said on a tie. At most
    :data:`FLOOR_CANDIDATES` are counted, those said word for word by most answers first.
    None when no sentence can be a label."""
    first: dict[str, str] = {}  # a sentence's key -> its first wording
    heard: dict[str, int] = {}  # a sentence's key -> the rows saying it word for word
    for row in rows:
        for part in sentences(texts[row]):
            key = _sentence_key(strip_answer_openers(part))
            if not key:
                continue
            first.setdefault(key, part)
            heard[key] = heard.get(key, 0) + int(weights[row])
    order = {key: i for i, key in enumerate(first)}
    # The sentences that can be labels, most said first, made labels only until
    # FLOOR_CANDIDATES are found (the same as making every one and keeping the first so
    # many: a NHS firing's theme had about 550 distinct sentences; BENCHMARKS "splitjob").
    said: dict[str, str] = {}  # a candidate's key -> the label it makes
    for key in sorted(first, key=lambda k: (-heard[k], order[k])):
        label = label_from_sentence(first[key], [], question, tokenizer)
        if label and not any(same_words(label, other) for other in others):
            said[key] = label
            if len(said) == FLOOR_CANDIDATES:
                break
    if not said:
        return None
    fits = sorted(said, key=order.__getitem__)
    members = [texts[row] for row in rows]
    makes = statement_makers(
        [said[k] for k in fits], members, embed, LABEL_POINT_THRESHOLD, vocabulary or texts
    )
    weight = np.array([weights[row] for row in rows], dtype=np.int64)
    counts = weight @ makes.astype(np.int64)
    best = int(np.argmax(counts))  # the first of the highest
    label = label_from_sentence(said[fits[best]], members, question, tokenizer)
    return (label, int(counts[best])) if label else None


def old_label_point(
    label: str,
    made: int,
    rows: Sequence[int],
    texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    weights: Sequence[int],
    ids: Sequence[str],
    stances: Sequence[str] | None = None,
    vocabulary: Sequence[str] | None = None,
    rivals: Sequence[str] | None = None,
    own: Sequence[int] | None = None,
) -> dict[str, Any] | None:
    """A relabelled theme's old label as one of its summary's other points: the first
    sentence of its answers (``rows``, indexes into ``texts``) that says it, without its
    opener, cited with that answer's id (and side, with ``stances``), with ``answers`` and
    ``answers_as_label`` counted as for any summary sentence
    (:func:`analysis.stages.summary_point_counts`: cosine 0.45, the answers the point
    lists counted too, rare words judged over ``vocabulary``, default ``texts``; ``made``, the
    old label's own count, for the latter). With ``rivals`` (the run's other statements, the
    new label among them), each answer counts only under the statement it is nearest to, as a
    run counts (:data:`analysis.label_points.NEAREST_MARGIN`). With ``own`` (those of
    ``rows`` whose main theme is this one), the point is quoted from, and lists the ids of,
    only those answers, as every summary sentence does (``rows`` also holds answers whose
    main theme is another: ci5a), while ``answers`` still counts all ``rows``. None when no
    answer (of ``own``, when given) says it in those words."""
    key = " ".join(label.lower().split())
    mains = set(rows if own is None else own)
    for row in rows:
        if row not in mains:
            continue
        for sentence in sentences(texts[row]):
            if key not in " ".join(sentence.lower().split()):
                continue
            text = strip_answer_openers(sentence)
            text = text[:1].upper() + text[1:]
            mine = [texts[r] for r in rows]
            nearest = {} if rivals is None else {"rivals": rivals, "margin": NEAREST_MARGIN}
            makes = statement_makers(
                [text], mine, embed, vocabulary=vocabulary or texts, **nearest
            )[:, 0]
            makers = [r for r, yes in zip(rows, makes, strict=True) if yes and r != row]
            point: dict[str, Any] = {
                "id": ids[row],
                "text": text,
                "ids": [ids[row], *(ids[r] for r in makers if r in mains)],
            }
            if stances is not None:
                # the side of the quoted answer, kept when the answers counted bear it out
                counted: dict[str, float] = {}
                for r in [row, *makers]:
                    counted[stances[r]] = counted.get(stances[r], 0) + weights[r]
                point["stance"] = counted_side(stances[row], counted)
            point["answers"] = int(weights[row] + sum(weights[r] for r in makers))
            point["answers_as_label"] = int(made)
            return point
    return None


def label_quote_first(quotes: list[Quote], label: str, embed) -> list[Quote]:
    """The quotes with one saying the new ``label`` in its words (a sentence of it, opener
    off, in nearly the same words: :func:`analysis.repeats.same_words`) first, the one saying
    fewest other sentences beside it; else as under any label
    (:func:`analysis.describe.label_first`). On smoke8's relabelled theme the first quote said
    the old label's point and then the new one's, so its closest sentence was as close as the
    quote saying the new point alone, and ``label_first`` (which moves a quote only when it
    is closer by a margin) left it first."""
    parts = [sentences(q.text) or [q.text] for q in quotes]
    says = [
        i
        for i, part in enumerate(parts)
        if any(same_words(label, strip_answer_openers(s)) for s in part)
    ]
    if not says:
        return label_first(quotes, label, embed)
    best = min(says, key=lambda i: (len(parts[i]), i))
    return [quotes[best], *(q for i, q in enumerate(quotes) if i != best)]


def relabel_themes(
    themes: list[dict[str, Any]],
    mentions: Sequence[Sequence[int]],
    texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    weights: Sequence[int],
    question: str = "",
    tokenizer: Tokenizer | None = None,
    ids: Sequence[str] | None = None,
    stances: Sequence[str] | None = None,
    nearest: bool = False,
    main: Sequence[Sequence[int]] | None = None,
) -> list[tuple[str, str]]:
    """Relabel, in place, each theme (of ``themes``, with ``label_point`` and summary
    sentences' ``answers_as_label`` counted) whose label's point a clear majority point
    outnumbers (:func:`analysis.label_points.majority_point`), with that sentence made a
    label (:func:`label_from_sentence`), unless another theme has that label. The new
    label's point is counted as the old one's was (``mentions``: indexes into ``texts`` of
    each theme's answers, ``weights`` how many rows each stands for); the theme keeps its
    old label when the new one is not still made by at least half its mentions and twice
    as many as the old. With ``ids`` (each text's response id; ``stances`` its side, when
    measured), the old label joins the summary's other points (:func:`old_label_point`;
    with ``main``, each theme's answers whose main theme it is, quoted from and listing
    only those, as every summary sentence does).
    Returns (old label, new label) for each theme relabelled. With ``nearest`` (a run's
    counts), the new label's point is counted as a run counts its labels': each answer under
    the statements it is nearest to of every theme's label and summary sentence, the old
    label among them (:data:`analysis.label_points.NEAREST_MARGIN`), and a label fewer
    than half make is relabelled with a summary point clearly commoner than it, majority
    or not (:func:`minority_label_point`)."""
    changed: list[tuple[str, str]] = []
    read = [texts[row] for row in sorted({row for rows in mentions for row in rows})]
    for index, theme in enumerate(themes):
        said = [s for s in theme.get("summary", []) if not s.get("only_point")]
        counts = [s.get("answers_as_label") for s in said]
        found = majority_point(theme.get("label_point"), counts, theme["mentions"])
        commoner = found < 0 and nearest
        if commoner:  # a label fewer than half make, beside a point clearly commoner
            found = minority_label_point(theme.get("label_point"), counts, theme["mentions"])
        taken = {other["label"].lower() for other in themes}
        if found < 0:
            label = _floor_label(
                themes, index, mentions, texts, embed, weights, question, tokenizer, read
            )
            if label is None:
                continue
            made = label_point_counts(
                [label],
                [mentions[index]],
                texts,
                embed,
                weights=weights,
                rivals=_rivals(themes, index, label) if nearest else None,
                aliases=False,
            )[0]
            if made < RELABEL_RATIO * theme["label_point"] or made <= theme["label_point"]:
                continue
            kept = [s for s in theme["summary"] if not same_words(s["text"], label)]
            chosen = None
        else:
            members = [texts[row] for row in mentions[index]]
            # a commoner point is counted as its sentence says it (nearest-only, its other
            # wordings are other headings): the label keeps the sentence's own words
            wording = (
                None
                if commoner
                else commonest_wording(
                    said[found]["text"],
                    mentions[index],
                    texts,
                    embed,
                    weights,
                    question,
                    tokenizer,
                    read,
                    taken,
                )
            )
            label = wording or label_from_sentence(
                said[found]["text"], members, question, tokenizer
            )
            if label is None or label.lower() in taken:
                continue
            made = label_point_counts(
                [label],
                [mentions[index]],
                texts,
                embed,
                weights=weights,
                rivals=_rivals(themes, index, label, said[found]) if nearest else None,
                aliases=False,
            )[0]
            if commoner:
                if minority_label_point(theme["label_point"], [made], theme["mentions"]) < 0:
                    continue
            elif majority_point(theme["label_point"], [made], theme["mentions"]) < 0:
                continue
            kept = [s for s in theme["summary"] if s is not said[found]]
            chosen = said[found]
        # the old label, one of the theme's other points now, counted against the new one
        old_rivals = None
        if nearest:
            old_rivals = [label, *_rivals(themes, index, label, chosen)]
            old_rivals.remove(theme["label"])
        _relabel_theme(
            theme,
            label,
            made,
            kept,
            changed,
            mentions[index],
            texts,
            embed,
            weights,
            ids,
            stances,
            read,
            old_rivals,
            None if main is None else main[index],
        )
    return changed


def minority_label_point(
    label_point: int | None, others: Sequence[int | None], mentions: int
) -> int:
    """The index in ``others`` (counted as ``label_point`` is) of the point
    :func:`analysis.label_points.commoner_point` finds clearly commoner than the label's,
    when fewer than half of the ``mentions`` make the label's (the report's "fewer than
    half" flag); -1 otherwise. Counted nearest-only (:data:`analysis.label_points.
    NEAREST_MARGIN`), such a warning pointed the right way on the demo (smoke17s findings 1
    and 4: "Non-constituent authorities ..." said by 12 of its 64 answers, kept as the label
    beside a point 24 make)."""
    if label_point is None or not mentions or 2 * label_point >= mentions:
        return -1
    return commoner_point(label_point, others, mentions)


def _rivals(
    themes: list[dict[str, Any]], index: int, label: str, chosen: dict[str, Any] | None = None
) -> list[str]:
    """What theme ``index``'s new ``label`` is counted against: the other themes' labels,
    its own old label (one of its other points once relabelled) and every summary sentence
    but ``chosen`` (the one becoming the label) and those in nearly the label's words."""
    return [
        *(other["label"] for i, other in enumerate(themes) if i != index),
        themes[index]["label"],
        *(
            s["text"]
            for theme in themes
            for s in theme.get("summary", [])
            if not s.get("only_point") and s is not chosen and not same_words(s["text"], label)
        ),
    ]


def _floor_label(
    themes: list[dict[str, Any]],
    index: int,
    mentions: Sequence[Sequence[int]],
    texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    weights: Sequence[int],
    question: str,
    tokenizer: Tokenizer | None,
    read: Sequence[str],
) -> str | None:
    """The safety net's new label for theme ``index`` (:func:`commonest_statement`) when its
    label's point is made by fewer than :data:`LABEL_FLOOR` of its mentions and the
    candidate by at least :data:`~analysis.label_points.RELABEL_RATIO` times as many; else
    None."""
    theme = themes[index]
    before = theme.get("label_point")
    if before is None or not theme["mentions"] or before >= LABEL_FLOOR * theme["mentions"]:
        return None
    others = [other["label"] for i, other in enumerate(themes) if i != index]
    found = commonest_statement(  # not the old label again either
        mentions[index], texts, embed, weights, question, tokenizer, read, [*others, theme["label"]]
    )
    if found is None or found[1] < RELABEL_RATIO * before or found[1] <= before:
        return None
    if found[0].lower() in {label.lower() for label in others}:
        return None
    return found[0]


def _relabel_theme(
    theme: dict[str, Any],
    label: str,
    made: int,
    summary: list[dict[str, Any]],
    changed: list[tuple[str, str]],
    rows: Sequence[int],
    texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    weights: Sequence[int],
    ids: Sequence[str] | None,
    stances: Sequence[str] | None,
    read: Sequence[str],
    rivals: Sequence[str] | None = None,
    own: Sequence[int] | None = None,
) -> None:
    """Gives ``theme`` its new ``label`` (its point made by ``made`` answers) and
    ``summary`` (its sentences but the one that is the label now), with the old label among
    its other points when ``ids`` are given (:func:`old_label_point`) and the quote saying the
    new label first (:func:`label_quote_first`); notes (old, new) in ``changed``."""
    changed.append((theme["label"], label))
    before = theme["label_point"]
    theme["label"] = label
    theme["label_point"] = made
    if ids is not None:
        old = old_label_point(
            changed[-1][0], before, rows, texts, embed, weights, ids, stances, read, rivals, own
        )
        if old is not None:  # a theme making "one point only" makes two now
            summary = [*(s for s in summary if not s.get("only_point")), old]
    if not summary:  # every other point was the new label's
        summary = [s for s in theme["summary"] if s.get("only_point")]
    theme["summary"] = sorted(summary, key=lambda s: -s.get("answers", 0))
    quotes = [Quote(q["id"], q["text"], int(q.get("same", 0))) for q in theme["quotes"]]
    first = label_quote_first(quotes, label, embed)
    position = {id(q): i for i, q in enumerate(quotes)}
    theme["quotes"] = [theme["quotes"][position[id(q)]] for q in first]
