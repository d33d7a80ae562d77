"""Which answers are on the other side from a theme's label, so never make its point.

A label speaks for one side of a debate ("Vocational education should be subsidised …"); an
answer on the other side ("… should not be subsidised because employers should pay") can sit
near it in any sentence vectors, and count27's aliases took such answers for the label's point
in other words (lead30). Two readings tell the sides apart here: the answer's stance, when an
agreement answer measured it (an answer "for" under a label speaking for "against", or the
other way round), and, with or without stance, the answer's own words saying the label's
claim negated (:func:`negates`). :func:`analysis.label_points.label_point_reading` leaves such
answers out of a label's count when an alias brought them; an answer saying the label's point
itself counts whatever its side (read so in every match, the demo's qualified points and
ArgKP's dev motions were counted worse: BENCHMARKS "count31").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .label_points import content_words
from .statements import sentences, strip_openers

SIDES = ("for", "against")

# How much of a claim's content two clauses must share to be one claim, said or negated: at
# least CLAIM_SHARED stems, and at least CLAIM_SHARE of the smaller clause's (all of them:
# sharing only the label's subject, "vocational education is not a waste of money" read as
# "vocational education should be subsidised" negated: rev31b).
CLAIM_SHARED = 2
CLAIM_SHARE = 1.0

# A sentence's claim ends where its reason or qualification starts.
_CLAUSE_END = re.compile(
    r"[,;:()\u2013\u2014]|\s-\s|\b(?:because|as|since|so|but|although|though|while|whereas"
    r"|which|unless|if|otherwise)\b",
    re.IGNORECASE,
)
_NEGATIONS = frozenset({"not", "no", "never", "nor", "cannot", "neither", "nobody", "nothing"})
# Words negating what follows them ("I doubt that …"), so "nobody can deny …" says it (rev31b).
_DOUBTS = frozenset(
    {"doubt", "doubts", "doubted", "deny", "denies", "denied", "disagree", "disagrees"}
)
# A sentence's opener is no claim ("No, …", "In our view, …", "We think that …": count32):
# read as the clause, the claim before its comma was the opener's, and "No, business should
# not get a vote" claimed nothing. Openers that deny what follows ("I disagree that …") stay,
# read as a negation (:data:`_DOUBTS`), after other openers too ("In my view, I disagree that
# …"); "I disagree," or "We disagree:" before its claim is an opener like "No," (rev32c).
_STRONGLY = r"(?:strongly|really|completely|totally|fully|firmly|entirely|wholeheartedly)"
_DENYING_OPENER = re.compile(
    rf"\b(?:i|we)\s+(?:{_STRONGLY}\s+)?disagree\b(?!\s*[,;:.!])", re.IGNORECASE
)
# "Without doubt", "beyond any doubt", "there is little doubt", "few would doubt": a doubt
# word affirming what follows, as "no doubt" does by its own "no" (count33: "Without doubt X
# should …" was read as X negated).
_AFFIRMING_DOUBT = (
    r"\b(?:without|beyond)\s+(?:(?:a|any|all)\s+)?(?:reasonable\s+|shadow\s+of\s+(?:a\s+)?)?"
    r"doubts?\b|(?<!\ba )\b(?:little|few)\s+(?:(?:would|could|can|will)\s+)?doubts?\b"
)
# A negation that is none: "not only/just … but", "cannot be overstated" (rev31b), an
# affirming doubt (count33).
_NO_NEGATION = re.compile(
    r"(?:\bnot|n['’]t)\s+(?:only|just|merely|simply)\b"
    r"|\b(?:cannot|can\s+not|can['’]t|could\s+not|couldn['’]t)\s+be\s+over[a-z]+"
    rf"|{_AFFIRMING_DOUBT}",
    re.IGNORECASE,
)
# Openers the claim is read past besides :func:`analysis.statements.strip_openers`' (count33):
# an affirming doubt or an adverb before a comma ("Without a doubt, X …", "Certainly, X …")
# and a stance said with an adverb ("We strongly disagree, X …", "I strongly agree: X …"),
# which left the opener as all the claim there was. Kept here, not in ``strip_openers``,
# whose openers also shape summary sentences (so labels) and keywords.
_CLAIM_OPENER = re.compile(
    rf"^(?:{_AFFIRMING_DOUBT}|\bno\s+doubt|undoubtedly|doubtless|certainly|absolutely"
    rf"|definitely|indeed|frankly|(?:i|we)\s+{_STRONGLY}\s+(?:dis)?agree)\s*[,;:.!]\s*",
    re.IGNORECASE,
)
_CONTRACTED = re.compile(r"\b[a-z]+n['’]t\b", re.IGNORECASE)  # "shouldn't": no content
# count34: a claim's words are matched across spellings and light nouns. British "-ise",
# "-yse" and "-our" are read as "-ize", "-yze" and "-or" before stemming ("legalised" and
# "legalize" stemmed apart, "legalis" / "legal": hint33's sex-selection labels); "no longer" /
# "any longer" is the negation, "longer" no content; a light noun taking its sense from its
# sentence ("a good place to live", "a good country to live in") is no content of the claim.
# False reads the claim's words as before count34 (the bench's ``claims=count33``).
UNIFY_WORDS = True
# rev34: a word spelled "-ise" in American English too is no "-ize" verb and keeps its "s"
# ("promise", "precise", "expertise", "exercise", "otherwise", "surprise", "supervise" …):
# read as "-ize", Snowball joined "improvise" to "improve" and "paradise" to "parade",
# "expertise" to "expert", and tore "precise" from "precisely", "supervise" from
# "supervision" and "otherwise" from the stop words. A word is kept when its part before the
# suffix ends with one of :data:`KEEP_ISE`'s. The "-our" and "-ise" suffixes read include
# the derived ones ("colourful", "favouritism", "neighbourhood", "recognisable"), which
# count34 left British while "colour" turned "color", so one word's family was read apart;
# and "-iour" is "-ior" ("behaviour", "saviour").
KEEP_ISE = (
    "advertis",
    "advis",
    "bruis",
    "chastis",
    "chemis",
    "circumcis",
    "compris",
    "compromis",
    "concis",
    "cruis",
    "demis",
    "despis",
    "devis",
    "enterpris",
    "excis",
    "exercis",
    "expertis",
    "franchis",
    "guis",
    "improvis",
    "incis",
    "merchandis",
    "nois",
    "paradis",
    "pois",
    "prais",
    "precis",
    "premis",
    "promis",
    "rais",
    "repris",
    "revis",
    "supervis",
    "surmis",
    "surpris",
    "televis",
    "tortois",
    "treatis",
    "valis",
    "wis",
)
_ISE = re.compile(r"\b([a-z]{3,})is(e|es|ed|ing|ation|ations|ational|er|ers|able|ably)\b")


def _ize(match: re.Match[str]) -> str:
    """One British "-ise" word read as "-ize", unless its "-ise" is no verb ending
    (:data:`KEEP_ISE`)."""
    root = match.group(1) + "is"
    return match.group(0) if root.endswith(KEEP_ISE) else f"{match.group(1)}iz{match.group(2)}"


_SPELLING = (
    (_ISE, _ize),
    (re.compile(r"(?<=[a-z]{2})ys(e|es|ed|ing|er|ers)\b"), r"yz\1"),
    (
        re.compile(
            r"(?<=[a-z]{2}[bcdfghilmnprstv])our"
            r"(s|ed|ing|al|ally|able|ably|ful|fully|less|hood|hoods|ite|ites|itism|er|ers)?\b"
        ),
        r"or\1",
    ),
)
# rev34: "no longer than" is a comparison ("at most"), not "no longer" (any more): read as
# "no", "Waits should be no longer than four weeks" negated "Waits should be shorter than four
# weeks", the same point.
_NO_LONGER = re.compile(r"\b(no|any)\s+longer\b(?!\s+than\b)", re.IGNORECASE)
# rev34: "place" in "in place" / "take place" is the claim's content ("Safeguards should be in
# place"): dropped, such a claim kept one word and no answer could negate it.
_KEPT_PLACE = re.compile(r"\b(in|take|takes|taken|taking|took)\s+(place)\b")
LIGHT_NOUNS = frozenset(
    {
        "place",
        "places",
        "country",
        "countries",
        "nation",
        "nations",
        "thing",
        "things",
        "way",
        "ways",
    }
)
_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)?")


def _negated(clause: str) -> bool:
    """Whether ``clause`` says its claim negated: an odd number of negating words ("not",
    "never", "shouldn't", "doubt" …), but "not only" or "cannot be overstated"."""
    words = _TOKEN.findall(_NO_NEGATION.sub(" ", clause).lower())
    count = sum(w in _NEGATIONS or w in _DOUBTS or w.endswith(("n't", "n’t")) for w in words)
    return count % 2 == 1


def claim_words(sentence: str) -> tuple[frozenset[str], str]:
    """A sentence's claim: its first clause (up to a comma or a word starting a reason, such
    as "because" or "so") after its opener ("No,", "In our view,", "We think that":
    :func:`analysis.statements.strip_openers`; "Without a doubt,", "We strongly disagree,":
    :data:`_CLAIM_OPENER`; but an opener denying what follows) and that
    clause's content stems (:func:`analysis.label_points.content_words`)."""
    sentence = sentence.strip()
    rest, previous = strip_openers(sentence), None  # a suffix of the sentence
    while rest != previous:
        previous = rest
        rest = strip_openers(_CLAIM_OPENER.sub("", rest, count=1))
    denial = _DENYING_OPENER.search(sentence, 0, len(sentence) - len(rest))
    if denial:
        rest = sentence[denial.start() :]
    sentence = rest
    clause = _CLAUSE_END.split(sentence, maxsplit=1)[0]
    return _claim_stems(_CONTRACTED.sub(" ", clause)), clause


def _claim_stems(clause: str) -> frozenset[str]:
    """A clause's content stems (:func:`analysis.label_points.content_words`), with
    :data:`UNIFY_WORDS` read across spellings and without light nouns and "no longer"'s
    "longer"."""
    if not UNIFY_WORDS:
        return frozenset(content_words(clause))
    text = _NO_LONGER.sub(r"\1", clause.lower())
    text = _KEPT_PLACE.sub(r"\1 place_", text)
    text = " ".join(w for w in re.split(r"(\W+)", text) if w not in LIGHT_NOUNS)
    text = text.replace("place_", "place")
    for pattern, spelled in _SPELLING:
        text = pattern.sub(spelled, text)
    return frozenset(content_words(text))


def _claims(text: str) -> list[tuple[frozenset[str], bool]]:
    """Each sentence's claim (:func:`claim_words`: its first clause's content stems) and
    whether that clause negates it; a question claims nothing ("why should it not be …?")."""
    found = []
    for sentence in sentences(text) or [text]:
        if sentence.rstrip().endswith("?"):
            continue
        words, clause = claim_words(sentence)
        if words:
            found.append((words, _negated(clause)))
    return found


def _same_claim(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two clauses' content stems say one claim (:data:`CLAIM_SHARED`,
    :data:`CLAIM_SHARE`)."""
    shared = len(first & second)
    return shared >= CLAIM_SHARED and shared >= CLAIM_SHARE * min(len(first), len(second))


def negates(label: str, text: str) -> bool:
    """Whether ``text`` says ``label``'s claim negated and never as the label says it: one of
    its sentences' first clause shares the label's first clause's claim (its content words)
    with the opposite polarity ("should not be subsidised" for "should be subsidised"), and
    none shares it with the same. A "not" in a reason after the claim ("…, as it is not
    cheap") is no negation of the claim."""
    return _negates(_claims(label), _claims(text))


def _negates(
    label: list[tuple[frozenset[str], bool]], text: list[tuple[frozenset[str], bool]]
) -> bool:
    """:func:`negates` from the label's and the text's :func:`_claims`."""
    if not label:
        return False
    words, negated = label[0]
    polarity = {neg for claim, neg in text if _same_claim(words, claim)}
    return polarity == {not negated}


def other_side(
    labels: Sequence[str],
    texts: Sequence[str],
    sides: Sequence[str] | None = None,
    label_sides: Sequence[str | None] | None = None,
) -> np.ndarray:
    """A (texts, labels) boolean array: True where the text is on the other side from the
    label, so does not make its point: its stance (``sides``, one per text, when measured) is
    "for" or "against" and the label's (``label_sides``: the side it speaks for, None or ""
    for none) the other one, or its own words negate the label (:func:`negates`)."""
    result = np.zeros((len(texts), len(labels)), dtype=bool)
    said = [_claims(text) for text in texts]
    for column, label in enumerate(labels):
        side = label_sides[column] if label_sides is not None else None
        own = _claims(label)
        for row, claims in enumerate(said):
            stance = sides[row] if sides is not None else None
            against = side in SIDES and stance in SIDES and stance != side
            result[row, column] = against or _negates(own, claims)
    return result
