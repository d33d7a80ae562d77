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
joins it, as one of the theme's other points with its count, and the quote that best makes
the new label's point goes first, as under any label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .describe import MASKED, Quote, label_first, restates
from .keyword_case import unshouted
from .label_points import label_point_counts, majority_point, statement_makers
from .statements import sentences, statements, strip_answer_openers, whole_sentences
from .tidy import has_placeholder
from .tokens import Tokenizer

LABEL_WORDS = 14  # a label's longest statement (:func:`analysis.describe.label_candidates`)


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
) -> dict[str, Any] | None:
    """A relabelled theme's old label as one of its summary's other points: the first
    sentence of its answers (``rows``, indexes into ``texts``) that says it, without its
    opener, cited with that answer's id (and side, with ``stances``), with ``answers`` and
    ``answers_as_label`` counted as for any summary sentence
    (:func:`analysis.stages.summary_point_counts`: cosine 0.45, the answers the point
    lists counted too, rare words judged over ``vocabulary``, default ``texts``; ``made``, the
    old label's own count, for the latter). None when no answer says it in those words."""
    key = " ".join(label.lower().split())
    for row in rows:
        for sentence in sentences(texts[row]):
            if key not in " ".join(sentence.lower().split()):
                continue
            text = strip_answer_openers(sentence)
            text = text[:1].upper() + text[1:]
            mine = [texts[r] for r in rows]
            makes = statement_makers([text], mine, embed, vocabulary=vocabulary or texts)[:, 0]
            makers = [r for r, yes in zip(rows, makes, strict=True) if yes and r != row]
            point: dict[str, Any] = {
                "id": ids[row],
                "text": text,
                "ids": [ids[row], *(ids[r] for r in makers)],
            }
            if stances is not None:
                point["stance"] = stances[row]
            point["answers"] = int(weights[row] + sum(weights[r] for r in makers))
            point["answers_as_label"] = int(made)
            return point
    return None


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
) -> list[tuple[str, str]]:
    """Relabel, in place, each theme (of ``themes``, with ``label_point`` and summary
    sentences' ``answers_as_label`` counted) whose label's point a clear majority point
    outnumbers (:func:`analysis.label_points.majority_point`), with that sentence made a
    label (:func:`label_from_sentence`), unless another theme has that label. The new
    label's point is counted as the old one's was (``mentions``: indexes into ``texts`` of
    each theme's answers, ``weights`` how many rows each stands for); the theme keeps its
    old label when the new one is not still made by at least half its mentions and twice
    as many as the old. With ``ids`` (each text's response id; ``stances`` its side, when
    measured), the old label joins the summary's other points (:func:`old_label_point`).
    Returns (old label, new label) for each theme relabelled."""
    changed: list[tuple[str, str]] = []
    read = [texts[row] for row in sorted({row for rows in mentions for row in rows})]
    for index, theme in enumerate(themes):
        said = [s for s in theme.get("summary", []) if not s.get("only_point")]
        counts = [s.get("answers_as_label") for s in said]
        found = majority_point(theme.get("label_point"), counts, theme["mentions"])
        if found < 0:
            continue
        members = [texts[row] for row in mentions[index]]
        label = label_from_sentence(said[found]["text"], members, question, tokenizer)
        taken = {other["label"].lower() for other in themes}
        if label is None or label.lower() in taken:
            continue
        made = label_point_counts([label], [mentions[index]], texts, embed, weights=weights)[0]
        if majority_point(theme["label_point"], [made], theme["mentions"]) < 0:
            continue
        changed.append((theme["label"], label))
        before = theme["label_point"]
        theme["label"] = label
        theme["label_point"] = made
        summary = [s for s in theme["summary"] if s is not said[found]]
        if ids is not None:
            old = old_label_point(
                changed[-1][0],
                before,
                mentions[index],
                texts,
                embed,
                weights,
                ids,
                stances,
                read,
            )
            summary += [old] if old is not None else []
        theme["summary"] = sorted(summary, key=lambda s: -s.get("answers", 0))
        quotes = [Quote(q["id"], q["text"], int(q.get("same", 0))) for q in theme["quotes"]]
        first = label_first(quotes, label, embed)
        position = {id(q): i for i, q in enumerate(quotes)}
        theme["quotes"] = [theme["quotes"][position[id(q)]] for q in first]
    return changed
