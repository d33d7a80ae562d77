"""What an answer's sentiment reads once its stock courtesies and conceded praise are set aside
(kw18, issue 12; smoke18r #9).

A consultation answer often closes with a courtesy ("Thank you for the chance to respond.")
or opens a criticism with a concession ("We welcome the direction, but the first years'
allocation will not cover existing commitments."). VADER reads both as praise ("thank",
"welcome"), so a complaint about a six-week consultation over the summer scored +0.33, and
a neutral request ("Tell us what happens next and when the final deal will be agreed")
+0.27 on "agreed", the deal's, not the writer's. :func:`for_scoring` gives the text the
sentiment rules read instead (:func:`readings`):

* a stock courtesy about being consulted is left out, a whole sentence ("Thank you for the
  chance to respond.", "We welcome the opportunity to comment.", "Thanks for asking.") or a
  clause opening one ("Thank you for the opportunity to comment; ..."); thanks for anything
  else ("Thank you for everything the nurses did") is praise and stays;
* in a sentence "A, but B" whose clause A reads as praise and whose clause B does not but
  holds a negation or "too" ("will not cover", "too small"), A is conceded: the rules score
  the answer half as written and half without A (:data:`TURN_WEIGHT`). Where B names its
  problem in words VADER scores ("but the wait was long"), VADER's own "but" rule weighs the
  two already. "Not only ... but", "nothing but", "all but" and "but also" are no turn;
* "agreed" in the passive ("will be agreed", "was agreed") names an event, not approval, and
  is left out.

Pure and deterministic: the same text always gives the same result. Both engines' rules
read through it (:meth:`analysis.sentiment.Sentiment.score`); the probes read the answers'
vectors as before.
"""

from __future__ import annotations

import re

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# What a courtesy thanks for: the chance to take part in the consultation.
_CHANCE = (
    r"(?:the|this|an|our|that)\s+(?:chance|opportunity|invitation)\s+to\s+"
    r"(?:respond|reply|comment|contribute|take\s+part|participate|feed\s*back|share|give|"
    r"have|submit|put|set\s+out|make|be\s+consulted|input)[^.!?;]*"
)
_THANKS = r"(?:thank\s+you|thanks|many\s+thanks)(?:\s+(?:very|so)\s+much)?"
_COURTESY_BODY = (
    rf"{_THANKS}\s+for\s+(?:{_CHANCE}|asking|consulting\s+(?:us|partners)|(?:the|this)\s+"
    r"consultation)"
    rf"|(?:we|i)\s+(?:welcome|appreciate|value|(?:are|am)\s+grateful\s+for)\s+{_CHANCE}"
    r"|(?:we|i)\s+(?:are|am)\s+grateful\s+to\s+be\s+consulted"
)
# A whole sentence that is a courtesy, or a courtesy clause opening a sentence (ended by a
# comma, semicolon, colon or dash).
_COURTESY = re.compile(rf"^\s*(?:{_COURTESY_BODY})\s*(?:[.!]+\s*$|[,;:\u2013\u2014-]\s*)", re.I)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")

# "agreed" as a passive: the deal's being agreed, not the writer agreeing.
_PASSIVE_AGREED = re.compile(r"\b(?:be|been|being|is|was|are|were|gets?|got)\s+agreed\b", re.I)

# "but" that turns a sentence; not "not only ... but", "nothing but", "all but", "but also".
_BUT = re.compile(r"\bbut\b(?!\s+also\b)", re.I)
_NO_TURN_BEFORE = re.compile(r"\b(?:not\s+only|nothing|all|anything|none)\s*$", re.I)
_NOT_ONLY = re.compile(r"\bnot\s+only\b", re.I)

# What makes the clause after "but" a reservation VADER reads as neutral: a negation
# ("will not cover", "no say", "never", "isn't") or "too" ("too small", "too tight").
_NEGATED = re.compile(r"\b(?:not|no|never|nothing|cannot|too)\b|n't\b", re.I)

_ANALYZER = SentimentIntensityAnalyzer()


def _praise(text: str) -> float:
    """VADER's compound score of ``text`` (plain lexicon: the clause test only)."""
    return float(_ANALYZER.polarity_scores(text)["compound"]) if text.strip() else 0.0


def without_courtesies(text: str) -> str:
    """``text`` without its stock courtesies about being consulted (see the module
    docstring): whole sentences dropped, an opening courtesy clause cut off."""
    parts, changed = [], False
    for sentence in _SENTENCE.findall(text):
        kept = _COURTESY.sub("", sentence, count=1) if _COURTESY.match(sentence) else sentence
        if kept != sentence:
            changed = True
            kept = kept[:1].upper() + kept[1:] if kept.strip() else ""
        if kept.strip():
            parts.append(kept.strip())
    return " ".join(parts) if changed else text


def turned(sentence: str) -> str:
    """``sentence`` read from its "but" when the clause before it reads as praise and the
    clause after does not (the praise conceded); else unchanged."""
    for match in _BUT.finditer(sentence):
        before, after = sentence[: match.start()], sentence[match.end() :]
        if _NO_TURN_BEFORE.search(before) or _NOT_ONLY.search(before):
            continue
        if not after.strip() or not before.strip():
            continue
        if _praise(before) > 0 and _praise(after) <= 0 and _NEGATED.search(after):
            rest = after.strip()
            return rest[:1].upper() + rest[1:]
        return sentence
    return sentence


def without_concessions(text: str) -> str:
    """``text`` with each sentence's conceded praise before "but" left out (:func:`turned`)."""
    parts = [turned(s.strip()) for s in _SENTENCE.findall(text) if s.strip()]
    joined = " ".join(parts)
    return joined if joined != " ".join(s.strip() for s in _SENTENCE.findall(text)) else text


def readings(text: str) -> tuple[str, str]:
    """The two texts the sentiment rules read (see the module docstring): ``text`` without
    stock courtesies or a passive "agreed", then that again without conceded praise before
    "but". The rules weigh the second by :data:`TURN_WEIGHT`. An answer that is only a
    courtesy gives ("", "")."""
    if not text:
        return text, text
    plain = _PASSIVE_AGREED.sub(
        lambda m: m.group(0).rsplit(" ", 1)[0].rstrip(), without_courtesies(text)
    )
    return plain, without_concessions(plain)


# How far a sentence "A, but B" whose praise A is conceded reads as B alone: 1 leaves A out,
# 0 reads it whole.
TURN_WEIGHT = 0.5


def for_scoring(text: str) -> str:
    """The text the sentiment rules read with :data:`TURN_WEIGHT` 1: ``text`` without stock
    courtesies, conceded praise before "but", or a passive "agreed"."""
    return readings(text)[1]
