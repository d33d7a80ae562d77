"""Quotes that each say something the reader has not read yet (issue 12, smoke7 #13).

Partners often send one sentence behind their own opener: "In Birmingham, leaders who live
here can see ...", "In Dudley, leaders who live here ...", "As a charity, we think leaders
who live here ...". The exact-words rule (:func:`analysis.describe.said_key`) takes off stock
openers only, so five quote slots could hold one sentence four times. Here a sentence is
compared as the summary's repeat rule compares two sentences
(:func:`analysis.repeats.same_words`: one inside the other, or content words overlapping by
half or more, "not" on both sides or neither), so a place, an opener or a framing phrase
does not make a sentence new:

- two answers are **one quote** when their sentences pair up in order, each pair one
  sentence in other framing (:func:`same_quote`); the quote says "N other answers say the
  same" for all of them;
- a quote **repeats** when every one of its sentences says one the quotes already chosen
  say (:func:`new_sentences`); slots go to answers that add a sentence first
  (:func:`varied_picks`), and a repeat fills a slot only while fewer than ``least`` quotes
  are found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .label_points import content_words
from .remembered import SENTENCE_CHARS, remember_texts
from .repeats import REPEAT_SHARE, negated
from .signoff import said_sentences
from .statements import strip_answer_openers

_WORDS = re.compile(r"[\w'’]+")


@dataclass(frozen=True)
class Said:
    """One sentence of a quote as compared: its plain words (with spaces either side, for
    a whole-words search), content-word stems and whether it says "not"."""

    plain: str
    words: frozenset[str]
    negated: bool


@remember_texts(SENTENCE_CHARS)
def said(sentence: str) -> Said:
    """A sentence without its stock opener, ready to compare (cached: one theme's answers
    are read again for every quote chosen; up to :data:`analysis.remembered.SENTENCE_CHARS`
    characters, enough for a 100,000-answer run)."""
    core = strip_answer_openers(sentence)
    plain = " ".join(_WORDS.findall(core.lower().replace("’", "'")))
    return Said(f" {plain} ", frozenset(content_words(core)), negated(core))


def quote_sentences(text: str) -> tuple[Said, ...]:
    """The answer's sentences as compared, its closing sign-off and courtesy sentences
    ("Thank you for the chance to respond.") left out (:func:`said_sentences`); empty
    sentences (punctuation only) dropped."""
    found = (said(s) for s in said_sentences(text))
    return tuple(s for s in found if s.plain.strip())


def same_sentence(a: Said, b: Said, share: float = REPEAT_SHARE) -> bool:
    """:func:`analysis.repeats.same_words` on prepared sentences: one's words found whole in
    the other's, or content words overlapping by ``share`` or more (Jaccard) with "not" on
    both sides or neither."""
    if a.plain in b.plain or b.plain in a.plain:
        return True
    if a.negated != b.negated or not a.words or not b.words:
        return False
    return len(a.words & b.words) >= share * len(a.words | b.words)


def same_quote(a: Sequence[Said], b: Sequence[Said]) -> bool:
    """Whether two answers are one quote: as many sentences, each the other's in order up to
    an opener, a place or a framing phrase ("In Dudley, leaders who live here can see ..."
    and "As a charity, we think leaders who live here can see ...")."""
    return len(a) == len(b) > 0 and all(same_sentence(x, y) for x, y in zip(a, b, strict=True))


def new_sentences(quote: Sequence[Said], read: Sequence[Said]) -> int:
    """How many of the quote's sentences say none of the sentences already ``read``."""
    return sum(not any(same_sentence(s, r) for r in read) for s in quote)


def varied_picks(
    candidates: list[int],
    relevance: np.ndarray,
    vectors: np.ndarray,
    count: int,
    parts: dict[int, tuple[Said, ...]],
    least: int = 3,
    diversity: float = 0.3,
    start: Sequence[int] = (),
) -> list[int]:
    """Maximal marginal relevance (as :func:`analysis.describe.mmr`) over the answers that
    add a sentence to the quotes chosen so far: an answer that is a chosen quote in other
    framing is never picked (it is counted in that quote's "say the same"), and one whose
    every sentence a chosen quote already says is picked only to bring the quotes up to
    ``least`` when no answer adds a sentence. ``start``: quotes already chosen (not among
    ``candidates``), kept first and counted in ``count``."""
    chosen: list[int] = list(start)
    read: list[Said] = [said for row in chosen for said in parts[row]]
    pool = [c for c in candidates if c not in set(chosen)]
    while pool and len(chosen) < count:
        pool = [c for c in pool if not any(same_quote(parts[c], parts[q]) for q in chosen)]
        fresh = [c for c in pool if new_sentences(parts[c], read)]
        options = fresh or (pool if len(chosen) < least else [])
        if not options:
            break
        if chosen:
            redundancy = (vectors[options] @ vectors[chosen].T).max(axis=1)
        else:
            redundancy = np.zeros(len(options))
        scores = (1 - diversity) * relevance[options] - diversity * redundancy
        pick = options[int(np.argmax(scores))]
        chosen.append(pick)
        read.extend(parts[pick])
        pool.remove(pick)
    return chosen


def same_counts(
    chosen: list[int], parts: dict[int, tuple[Said, ...]], others: dict[int, int]
) -> list[int]:
    """Per chosen quote, the weight of the ``others`` (row -> how many answers it stands for,
    the chosen rows among them) that are that quote in other framing (:func:`same_quote`),
    the quote itself left out; an answer counts for the first chosen quote it matches."""
    counts = [0] * len(chosen)
    for row, weight in others.items():
        if row in chosen:
            counts[chosen.index(row)] += weight - 1
            continue
        mine = parts[row]
        for index, quote in enumerate(chosen):
            if same_quote(mine, parts[quote]):
                counts[index] += weight
                break
    return counts
