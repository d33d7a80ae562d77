"""How the demo's partners frame their points: openers, and where they are or what they are
woven in only where a sentence takes it (consult/demo_text.py has the words).

A point's phrasing is never cut or changed inside (bench/demo_report.py finds the demo's
points in the answers by their phrasings): words go before it ("In Walsall, shift workers
need ...", "As a college, we think ...") or after its last words where those take them ("...
not even repair the roads in Walsall.").
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from . import demo_text as text

# The demo once chose an opener from 6 (a suggestion) or 8 words, and a closer from 13. Those
# draws are still made, on the demo's own dice, so that everything drawn after them (stances,
# points, other partners' answers) stays as it was; the words are now chosen on the voice's.
_DRAWN = {"suggestion": 6, "statement": 8, "closer": 13}
# Words a sentence starts with that keep their capital after an opener.
_PROPER = {"MPs"}
# Words an opener may not say again where the sentence says them.
_REPEATS = {"also", "staff", "members"}


@dataclass
class Voice:
    """Who writes an answer (the kind of body, its size and its place: one of the seven
    boroughs, or None for a partner outside them) and the dice for its words."""

    partner_type: str
    size_band: str | None
    place: str | None
    dice: random.Random
    # Openers said so far in the answer being written, not said twice in it.
    said: set[str] = field(default_factory=set)

    def body(self) -> str:
        """What the partner is: "college", "small business", "charity"."""
        if self.partner_type == "business":
            return text.BUSINESSES.get(self.size_band or "", "business")
        return text.BODIES.get(self.partner_type, "organisation")

    def our(self) -> str:
        """Whom the partner speaks for: "Our members" or "Our staff"."""
        return "Our members" if self.partner_type in text.MEMBER_BODIES else "Our staff"


def article(noun: str) -> str:
    """ "a college", "an organisation" ("a university": the sound, not the letter)."""
    return ("an " if noun[0] in "aeio" else "a ") + noun


def drawn(rng: random.Random, sentence: str) -> tuple[bool, bool]:
    """(framed, qualified): whether a partner opens this sentence with an opener and whether
    it says where it is or what it is, drawn on the demo's own dice as the demo always drew
    them (so that everything drawn after stays as it was)."""
    if sentence in text.PLAIN:
        return False, False
    word = sentence.split(" ", 1)[0].lower()
    framed = not _a_request(sentence) and rng.random() >= 0.4
    if framed:
        rng.randrange(_DRAWN["suggestion" if word in text.SUGGESTION_VERBS else "statement"])
    qualified = rng.random() < 0.4
    if qualified:
        rng.randrange(_DRAWN["closer"])
    return framed, qualified


def write(sentences: list[tuple[str, bool, bool]], voice: Voice, earlier: list[set]) -> str:
    """An answer of these phrasings in turn, each with whether it is framed and qualified
    (:func:`drawn`). "n/a" or "No further comments." is the whole answer when it comes
    first and is left out after a point; thanks close an answer.

    Partners rarely write the same long answer by chance: when it would be a near copy of
    one written before to the question (``earlier``: the word 3-shingles of the long ones,
    to which it is added), it is written again with more of its sentences framed or
    qualified, on the voice's dice only."""
    if sentences[0][0] in text.PLAIN:
        return sentences[0][0]
    alone = sum(s not in text.PLAIN for s, _, _ in sentences) == 1
    for attempt in range(12):
        voice.said.clear()
        said: list[str] = []
        for sentence, framed, qualified in sentences:
            if attempt:
                framed = framed or voice.dice.random() < 0.5
                qualified = qualified or voice.dice.random() < 0.5
            first = all(s in text.PLAIN for s in said)
            said.append(dress(sentence, voice, first, alone, framed, qualified))
        thanks = [s for s in said if s.startswith("Thank you")]
        answer = " ".join([*(s for s in said if s not in text.PLAIN), *thanks])
        shingles = _shingles(answer)
        if not shingles or not any(_alike(shingles, other) for other in earlier):
            break
    if shingles:
        earlier.append(shingles)
    return answer


def _a_request(sentence: str) -> bool:
    """True for a sentence that asks, "Please keep partners informed ...": no opener goes
    before it (as :func:`drawn` never frames one)."""
    return sentence.split(" ", 1)[0].lower() == "please"


def _shingles(answer: str) -> set[tuple[str, ...]]:
    """An answer's word 3-shingles when it is long (20 words or more, as a campaign's
    answers are: analysis.clean), else an empty set."""
    words = re.findall(r"[a-z0-9']+", answer.lower())
    if len(words) < 20:
        return set()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _alike(a: set, b: set) -> bool:
    """Near copies, as analysis.clean finds them: 3-shingle Jaccard 0.7 or more."""
    return len(a & b) >= 0.7 * len(a | b)


def dress(
    sentence: str, voice: Voice, first: bool, alone: bool, framed: bool, qualified: bool
) -> str:
    """A phrasing as a partner writes it: ``first`` (the answer's first sentence) or later,
    ``alone`` (the answer's only one), with an opener when ``framed``, with where it is or
    what it is when ``qualified`` and the sentence takes it; ``voice.dice`` chooses the
    words."""
    if sentence in text.PLAIN:
        return sentence
    word = sentence.split(" ", 1)[0]
    kind = "suggestion" if word.lower() in text.SUGGESTION_VERBS else "statement"
    opener = _opener(sentence, kind, voice, first, alone) if framed else ""
    lead = tail = ""
    placed = False
    if qualified:
        lead, tail, opener, placed = _qualifier(sentence, kind, voice, first, opener)
    if opener:
        voice.said.add(opener)
    start = lead or _fill(opener, voice, placed)
    if _a_request(sentence):
        # Drawn again more framed (:func:`write`), a request still goes unframed: "We also
        # believe please keep ..." is no one's English (smoke14). The opener was drawn all
        # the same, so every later draw on the voice's dice stays as it was.
        start = ""
    if start and word not in _PROPER:
        sentence = sentence[0].lower() + sentence[1:]
    if tail:
        sentence = sentence.removesuffix(".") + tail + "."
    return start + sentence


def _opener(sentence: str, kind: str, voice: Voice, first: bool, alone: bool) -> str:
    """An opener (its template) not yet said in this answer, for this kind of sentence; ""
    when none fits."""
    if kind == "suggestion":
        choices = text.SUGGESTION_OPENERS if first else text.LATER_SUGGESTION_OPENERS
    elif sentence.split(" ", 1)[0] in ("We", "Our"):
        choices = text.WE_OPENERS if first else []
    elif first:
        choices = [*text.OPENERS, *(text.ALONE_OPENERS if alone else [])]
    else:
        choices = text.LATER_OPENERS
    # Not said twice in an answer, nor an "also" or "our staff" before a sentence that has
    # one; a later sentence has one half as often (most follow on without a link word).
    words = set(sentence.lower().split())
    fresh = [
        choice
        for choice in choices
        if choice not in voice.said
        and not words & _REPEATS & set(_fill(choice, voice, False).lower().split())
    ]
    if not fresh or (not first and voice.dice.random() < 0.5):
        return ""
    return voice.dice.choice(fresh)


def _fill(template: str, voice: Voice, placed: bool) -> str:
    """An opener's "{our}" and "{as_we}" for this partner, with its place when ``placed``."""
    who = article(voice.body())
    if placed:
        who = f"{who} in {voice.place}"
    return template.format(our=voice.our(), as_we=f"As {who}, we")


def _qualifier(
    sentence: str, kind: str, voice: Voice, first: bool, opener: str
) -> tuple[str, str, str, bool]:
    """(lead, tail, opener, placed): where the partner is or what it is, where the sentence
    takes it. A lead ("In Walsall, ...") takes the opener's place; ``placed``: the opener
    says where the partner is ("As a college in Walsall, we think ..."). The qualifier is
    left off when nothing fits."""
    options: list[tuple[str, str, str, bool]] = []
    tail = _tail(sentence, voice)
    if tail:
        options.append(("", tail, opener, False))
    if kind == "statement" and sentence.startswith(text.PLACE_LEADS):
        options.append((_place_lead(voice), "", "", False))
    if kind == "statement" and _fits(sentence, text.LIKE_OURS_LEADS, voice):
        options.append((f"For {article(voice.body())} like ours, ", "", "", False))
    if "{as_we}" in opener and says_where(voice):
        options.append(("", "", opener, True))
    return voice.dice.choice(options) if options else ("", "", opener, False)


def says_where(voice: Voice) -> bool:
    """Whether the partner's "As a college in Walsall, we think" is short enough for the
    theming to read past it as an opener (analysis.statements: "as a" and 30 characters)."""
    return voice.place is not None and len(f"{voice.body()} in {voice.place}") <= 30


def _tail(sentence: str, voice: Voice) -> str:
    """The qualifier this sentence's last words take from this partner, or ""."""
    for start, (template, partners) in text.TAILS.items():
        if not _fits(sentence, {start: partners}, voice):
            continue
        if "{of_place}" in template and not voice.place:
            return ""
        return template.format(
            in_place=f"in {voice.place}" if voice.place else "in our area",
            of_place=f"of {voice.place}",
        )
    return ""


def _fits(sentence: str, starts: dict[str, set[str] | None], voice: Voice) -> bool:
    """Whether the sentence starts as one of ``starts`` does whose partners (a type, or a
    type and size; None: any) include this partner."""
    who = {voice.partner_type, f"{voice.partner_type}:{voice.size_band}"}
    return any(
        sentence.startswith(start) and (partners is None or bool(who & partners))
        for start, partners in starts.items()
    )


def _place_lead(voice: Voice) -> str:
    """ "In Walsall, ", "Here in Walsall, " or, outside the seven boroughs, "In our area, ".
    (Not "Across the Black Country": one phrase for four boroughs' partners, said before a
    few points only, made a theme's keyword.)"""
    if not voice.place:
        return "In our area, "
    return voice.dice.choice([f"In {voice.place}, ", f"Here in {voice.place}, "])
