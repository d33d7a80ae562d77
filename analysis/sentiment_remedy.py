"""A problem named as what a proposal would end: support, not complaint (fixs18, issue 12).

Answering "Why do you say that?", a partner who agrees because "fewer competitive bids means
less money wasted on consultants writing applications", or because "a single settlement would
stop funding being wasted on competitive bids", names a problem only to say the proposal
removes it. VADER reads "wasted" as the answer's tone, so such supportive reasons scored
negative. Here a *removal* is a word that ends or lessens what follows it ("less", "fewer",
"stop", "end", "avoid", "prevent", "reduce", "no more", "no longer", "instead of", "rather
than", "get rid of"), not itself negated or belittled ("not reduce", "do little to end"), and
its *scope* the words after it up to the clause's end (at most :data:`SCOPE_WORDS` words).
A scope holding a word VADER scores negative is a removed problem (:func:`removed_problems`).

A proposal's remedy may also follow the problem it answers, in the next clause: "Advisory
panels are too often ignored; a formal role would make employers' advice count"
(:func:`remedy_clauses`): a clause opening on what is proposed ("a formal role", "one
settlement", "devolution") followed by "would"/"will" and a verb of making things happen
("make", "give", "let", "end"), with no negative or negated word in the clause.

:mod:`analysis.sentiment` uses both only for answers to a call for views or proposals
(``VIEW_KINDS``): a removed problem's negative words (the removal's own, such as "stop",
included) are not read as its tone and its criticism cues not counted, and a remedy clause
after a clear problem is a remedy turn, as "a multi-year settlement fixes that" is.
"""

from __future__ import annotations

import re

# At most this many words after a removal belong to its scope (the clause's end comes first).
SCOPE_WORDS = 8

_REMOVAL = re.compile(
    r"(?<!\bthe )(?<!\ba )(?<!\bbus )(?<!\bfull )(?<!\bone )(?<!\bno )"
    r"\b(?:less|fewer|stops?|stopping|stopped|ends|ending|end(?= (?:to|the|a|an|this|that|"
    r"these|those|all|our|their|its|years|decades|\w+ing)\b)|avoids?|avoiding|prevents?|"
    r"preventing|reduces?|reducing|no more|no longer|instead of|rather than|"
    r"(?:get|gets|getting|got) rid of|put an end to|puts an end to|spares?|saves? \w+ from)\b",
    re.I,
)
# A removal said not to happen: "will not reduce", "does little to end", "fails to stop".
_DENIED_BEFORE = re.compile(
    r"\b(?:not|never|cannot|can't|won't|don't|doesn't|didn't|isn't|wouldn't|couldn't|nothing|"
    r"little|fail|fails|failed|unlikely|hardly|without)\b(?:\W+\w+){0,2}\W*$",
    re.I,
)
# Where a clause ends: punctuation, or a conjunction that starts another point.
_CLAUSE_END = re.compile(
    r"[,;:.!?()]|\s(?:but|because|although|though|whereas|while|yet|so|which|unless)\b|\s-\s",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_REMEDY = re.compile(
    r"(?:^|[;:]\s*|[.!?]\s+|\s-\s)(?:(?:so|and) )?"
    r"(?:a|an|the|one|this|that|our|such|full|single|local|regional|proper|formal|"
    r"devolution|devolving|pooling|giving|letting|having)\s+(?:[\w'-]+ ){0,4}?"
    r"(?:would|will) (?:help )?(?:make|give|let|allow|enable|ensure|mean|bring|stop|end|fix|"
    r"solve|put|free|save|protect|guarantee)\b",
    re.I | re.M,
)
_NEGATED = re.compile(r"\b(?:not|no|never|nothing|none|nobody|cannot|\w+n't)\b", re.I)


def _negative(word: str, lexicon: dict[str, float]) -> bool:
    return lexicon.get(word.lower(), 0.0) < 0


def removed_problems(
    text: str, lexicon: dict[str, float], cues: re.Pattern[str] | None = None
) -> list[tuple[int, int]]:
    """The spans of ``text`` (start, end) that a removal ("less", "stop", "instead of")
    says a proposal ends, each holding a word ``lexicon`` (VADER's) scores negative or a
    match of ``cues`` (criticism cues such as "left out"): "less money wasted on consultants
    writing applications", "prevent smaller councils being left out"; not "will not reduce
    delays". A span runs from the removal to its scope's last word."""
    spans = []
    for match in _REMOVAL.finditer(text):
        if _DENIED_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        stop = _CLAUSE_END.search(text, match.end())
        end = stop.start() if stop else len(text)
        words = list(_WORD.finditer(text, match.end(), end))[:SCOPE_WORDS]
        if not words:
            continue
        span = (match.start(), words[-1].end())
        if any(_negative(w.group(0), lexicon) for w in words) or (
            cues is not None and cues.search(text[match.end() : span[1]])
        ):
            spans.append(span)
    return spans


def remedy_clauses(text: str, lexicon: dict[str, float]) -> list[str]:
    """The clauses of ``text`` that offer what is proposed as a remedy ("a formal role would
    make employers' advice count"), none of their words negative or negated."""
    found = []
    for match in _REMEDY.finditer(text):
        stop = _CLAUSE_END.search(text, match.end())
        clause = text[match.start() : stop.start() if stop else len(text)].strip(" ;:.!?-")
        if _NEGATED.search(clause):
            continue
        if any(_negative(w.group(0), lexicon) for w in _WORD.finditer(clause)):
            continue
        found.append(clause)
    return found


def without_removed(text: str, spans: list[tuple[int, int]], lexicon: dict[str, float]) -> str:
    """``text`` with the negative words of each removed problem's span taken out: the
    problem a proposal ends is not the answer's tone."""
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        inside = _WORD.sub(
            lambda m: "" if _negative(m.group(0), lexicon) else m.group(0), text[start:end]
        )
        parts.append(re.sub(r"\s{2,}", " ", inside))
        last = end
    parts.append(text[last:])
    return "".join(parts)
