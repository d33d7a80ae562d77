"""Keywords a reader recognises: a theme's c-TF-IDF terms shown as the words and phrases its
answers actually use. Phrases are kept only when their words stand side by side in the
answers (a real collocation, not "growth separate" from "growth rather than separate"),
prefixes cut off by the tokenizer are shown whole ("non-constituent", not "non"), and so
is a word written mostly after a negating one ("non-constituent", not "constituent"), a word
nearly always used in one phrase is shown as that phrase ("small pots", not "pots"), and
verbs and fillers that say nothing on their own ("lets", "brought", "means") are left out.
A keyword reads as a noun phrase: words the answers themselves use as a verb or a clause
are left out, found without a tagger from the words around them ("the settlement ends the
juggling", "would stop", "conditions remain attached", "each year writing bids"), and so are
verbs in -s ("what happens next"), verb chains ("firms that stopped selling"), a verb after a
relative pronoun, "do not" or a plural subject ("buses that run", "officers spend months")
and lone participles in a passive ("will be agreed"). A place named only to say where the
writer is ("In Wolverhampton, ...") is no keyword (:mod:`analysis.keyword_places`)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .keyword_bounds import crosses_boundary
from .keyword_places import where_from_only
from .remembered import CLAUSE_CHARS, remember_text_sets
from .statements import sentences, strip_openers
from .tokens import PHRASE_JOINER, STOP_WORDS, Tokenizer


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


PREFIXES = _word_set("non pre co sub anti multi mid ex inter post cross self re un semi over under")
# Words that name nothing on their own: common verbs, fillers and vague nouns.
VAGUE = _word_set(
    """let lets letting bring brings brought bringing mean means meant need needs needed
    make makes made making know knows knew known think thinks thought feel feels felt use
    uses used using want wants wanted give gives gave given giving take takes took taken
    keep keeps kept remain remains remained put puts say says said see sees saw seen go goes
    going gone went come comes came coming way ways thing things lot lots bit kind sort yes
    no ok okay please thank thanks like likes liked able unable sure maybe perhaps really
    actually simply honestly overall believe believes view views thankyou
    youve youre youll youd weve theyre theyve theyll hes shes whats couldnt wouldnt
    shouldnt havent hasnt hadnt werent aint needing wanting gets getting helped helping"""
)
# Words that say when or how long, not what ("five years ahead", "in time", "spend months"),
# and "knowing" (as "know" in VAGUE): fine inside a phrase ("waiting time", "six weeks"),
# nothing a reader can place alone (smoke7 #15: "year", "ahead", "time", "knowing").
WHEN = _word_set("ahead time times year years month months week weeks day days knowing")
# Words that name nothing a reader can place alone, though fine inside a phrase (smoke9 #2,
# #13): generic nouns ("every term", "in one place"), quantities ("dozens of"),
# adjectives and adverbs of time or degree ("early", "current", "anymore"); shown only as the
# phrase they are nearly always used in ("early years"), as :data:`WHEN`. "help", as the
# vague verbs (:data:`VAGUE`: "need", "get"): "families who need help early" showed "help"
# (what help?); "early help", "financial help" stay (textfix, issue 12).
NOT_ALONE = WHEN | _word_set(
    """help term terms place places dozens dozen hundreds thousands millions handful couple
    early late soon now here there today again together away back instead anymore current
    present previous recent future"""
)
# smoke10 #15 (labelfix): vague nouns, verbs and adverbs a reader cannot place alone ("set",
# "ones", "likely", "level", "risk", "informed", "responses", "result", "summary", "running",
# "spread"), shown only as the phrase they are nearly always used in ("running costs",
# "degree level"), as NOT_ALONE's; unlike VAGUE's, a phrase may hold them. A theme whose
# distinct keywords are all of them shows them alone all the same (``readable_keywords``'s
# ``bland``): better its own vague words than words that do not set it apart.
BLAND = _word_set(
    """set sets ones likely level levels risk risks informed responses result results summary
    running spread"""
)
NOT_ALONE = NOT_ALONE | BLAND
# Words too general to be a keyword alone, though fine inside a phrase ("small businesses").
_GENERAL = _word_set(
    """members partner partners organisation organisations new good great better best bad
    worse worst big small long short high low right wrong particular instead little much
    many still even already enough decide decides decided deciding left counted welcome
    welcomes welcomed direction fine stay stays stayed staying"""
)
# smoke15: "fine" and "stay" were two of the six keywords of the demo's largest Q10 theme
# ("short blocks, qualifications, fine, free English, stay, funded courses"), from "devolution
# is fine as long as free English and maths courses stay": words a reader cannot place. Both
# are general words, not vague ones, so a phrase may hold them ("hospital stay", "length of
# stay"): a word in VAGUE can be in no phrase (fix #1).
GENERAL = VAGUE | NOT_ALONE | _GENERAL
# Words a phrase never ends on: auxiliaries and prepositions ("project does", "rent near").
NO_END = _word_set(
    """does did doing done is are was were be been being will would can could should may
    might must shall near next past towards toward onto upon via per than then also"""
)
# Plurals that do modify the next word ("skills bootcamps", "services sector").
PLURAL_MODIFIERS = _word_set(
    """skills sales arts sports goods savings services communications operations logistics
    economics systems jobs rights"""
)
_WORD = r"[^\W\d_](?:[^\W_]|')*"  # a word in any alphabet ("café"), as analysis.tokens reads it
# A word taken whole with its hyphenated parts ("start-ups"), an apostrophe only inside it
# ("members" of "members' views" is no whole word: a phrase is never cut there).
_WHOLE = r"[^\W\d_](?:[^\W_]|'(?=[^\W_]))*(?:-[^\W\d_](?:[^\W_]|'(?=[^\W_]))*)*"
# Words that open a verb's object ("the settlement ends *the* juggling", "would stop *us*"): a
# word mostly followed by one is used as a verb, not as the end of a noun phrase.
OBJECT_OPENERS = _word_set(
    """that. the a an us them our their its it these those your my his her me him how what
    whether more"""
)
# Words after which the next word is a verb: modals, negations and subject pronouns ("would
# stop", "we pay"); "been" and "have" only before a participle ("have only been renamed").
VERB_MARKERS = _word_set(
    """will would shall should can could may might must cannot can't won't wouldn't
    shouldn't couldn't don't doesn't didn't do does did we they i you it he she who"""
)
PERFECT_MARKERS = _word_set("been have has had")
# Words before a lone participle that make it a verb: a passive after a modal or "to" ("will
# be agreed", "without being passed around"), or "what" as its subject ("what changed").
PASSIVE_MARKERS = _word_set("be being what")
# Past participles not in -ed, verbs in a passive after "be" or "been" ("would not be heard",
# "has been shown", "could be spread too thinly").
IRREGULAR_PARTICIPLES = _word_set(
    """heard shown born spread set cut put held built paid spent kept made sold taught told
    left lost met given taken known seen done written chosen stolen driven won found"""
)
# Verbs whose object is followed by a bare infinitive ("lets us plan transport", "help them
# find work"): the word after "lets us" is a verb. :func:`_befores` gives it as ``CAUSED``.
CAUSATIVES = _word_set("let lets letting help helps helping make makes making")
CAUSED_OBJECTS = _word_set("us them you me people everyone")
CAUSED = "let us"
# A relative pronoun after a plural noun: the next word is its verb ("buses that run early",
# "firms that pay business rates", "firms that stopped selling"). :func:`_befores` gives it
# as ``RELATIVE``; not after a verb in -s ("shows that money ...": "that" opens a clause).
RELATIVE_PRONOUNS = _word_set("that which")
RELATIVE = "that (relative)"
CLAUSE_VERBS = _word_set(
    """shows suggests argues claims states ensures hopes proves means says thinks feels
    believes knows agrees seems is was has does"""
)
# "not" after an auxiliary: the next word is a verb ("buses that often do not turn up").
# :func:`_befores` gives it as ``NEGATED``.
AUXILIARIES = _word_set("do does did will would shall should can could may might must to")
NEGATED = "do not"
# What :func:`_befores` gives for a word that is a verb there, whatever the word.
MARKED = frozenset({CAUSED, RELATIVE, NEGATED})
# Words that put a noun after them ("the plan", "a fund"): a phrase's first word never
# written after one but mostly after "to" or a modal is a verb ("to fund teacher placements")
# when the answers also write it as a verb ("funded") or after a modal.
DETERMINERS = _word_set("the a an our their this that its his her my your these those one")
# Words after which a verb opens a clause or an infinitive: "to", "not", and "" (a clause's
# start, :func:`_befores`).
LEADS = _word_set("to not") | {""}
# Verbs that are rarely nouns or adjectives, as answers ask for things ("Improve rail
# links", "Simplify access to finance"); a word that can be a noun ("fund", "cut", "ban",
# "support") is not here: only the words around it tell.
VERBS = _word_set(
    """improve simplify reopen invite create build invest buy reduce ensure provide allow
    protect abolish adopt prohibit legalize legalise encourage enable deliver expand extend
    introduce remove scrap raise help develop promote prioritise prioritize tackle
    strengthen replace restore maintain publish involve devolve empower agree choose gather
    reflect hire prevent continue enforce grow learn prove defend deter assist alleviate
    manipulate violate pursue rely suffer perform explore consider tell attract retain
    recruit install insulate connect destroy exist add commit happen respond meet serve"""
)
# Verbs whose -s form is a verb, not a plural noun, though the base may name a thing ("pay",
# "spend"): "this money pays for", "what happens next", "atheism fosters"; with the
# :data:`VERBS` ("helps", "creates"). A closed list, read from the demo's and ArgKP's keywords.
S_VERBS = VERBS | _word_set("pay spend seem depend occur tend foster deprive isolate hurt open")
# Adverbs that stand before a verb, never before a noun ("chambers already gather").
PRE_VERB_ADVERBS = _word_set("already often never always usually rarely still")
# Adverbs that open a clause as if at its start ("Simply improve rail links").
CLAUSE_ADVERBS = _word_set("simply just also please then really actually honestly overall urgently")
# Adverbs a keyword never ends on ("left school early" is no "school early").
ADVERBS = _word_set(
    "early late soon now here there today again together away back enough ahead instead"
)
# Particles of phrasal verbs ("turn up", "looked after", "sort out"): a lone word mostly
# followed by one is a verb's part, no keyword alone.
PARTICLES = _word_set("up out off down away after over back")
# Set phrases whose words say nothing alone ("nothing springs to mind", "first class"): a lone
# word mostly used inside one is no keyword.
IDIOMS = (
    "springs to mind",
    "spring to mind",
    "comes to mind",
    "come to mind",
    "first class",
    "1st class",
    "world class",
    "top class",
    "top notch",
    "peace of mind",
)
# A name mask a data set writes in place of a name ("XXXX", "xxx"): never a keyword.
_NAME_MASK = re.compile(r"x{2,}")
# Words before a time noun that make it an adverbial ("each year writing bids").
EACH = _word_set("each every per last next")


def _plural(word: str) -> bool:
    """A word that looks like a plural noun ("authorities", "rounds"; not "bus", "class",
    "analysis"). In English noun phrases the modifier is nearly always singular ("funding
    rounds"), so a plural followed by a word is a subject and its verb ("authorities risk",
    "rounds stop"), a fragment rather than a phrase."""
    if word in PLURAL_MODIFIERS:
        return False
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s"))


def _fragment(first: str, second: str) -> bool:
    """Whether ``first second`` reads as a fragment: it ends on an auxiliary, a preposition,
    a stop word, an adverb ("school early") or a participle ("remain attached"), or a
    plural is followed by another word without a hyphen."""
    return (
        second in NO_END
        or second in STOP_WORDS
        or second in ADVERBS
        or _adverb(second)
        or _participle(second)
        or _plural(first)
    )


# Endings of adverbs made from adjectives ("nationally", "locally", "currently",
# "effectively", "regularly"); not "weekly", "elderly", "friendly" or "family", which name
# or describe a thing.
_ADVERB_ENDINGS = (
    *("ally", "ently", "antly", "ively", "ously", "fully", "lessly", "arly", "ately"),
    *("itely", "utely", "etely", "emely", "ably", "ibly"),  # "definitely", "absolutely"
)


# Short adverbs in -ly the endings miss ("spread evenly", "spread too thinly").
LY_ADVERBS = _word_set(
    """evenly thinly fairly badly quickly slowly properly rightly wrongly widely closely
    directly highly greatly mainly"""
)


def _adverb(word: str) -> bool:
    """A word that reads as an adverb made from an adjective ("nationally", "locally",
    "evenly"): no keyword alone, and no noun phrase starts or ends on one ("nationally leave
    little room" is an adverb and its verb, "set nationally" a verb and its adverb)."""
    return word in LY_ADVERBS or (len(word) > 6 and word.endswith(_ADVERB_ENDINGS))


# Adjectives and quantifiers that open a verb's object after an -ing form ("offering short
# contracts", "building new homes"); no noun is a kind of them ("waiting times").
OBJECT_ADJECTIVES = _word_set(
    "new good great better best bad big small long short high low right wrong little much many"
)


# Words after which an adverb and the next word describe a thing ("is morally wrong", "a
# physically strong", "and morally wrong"), not a verb's manner after its subject or another
# verb ("targets set nationally leave little room").
ADJECTIVE_LEADS = DETERMINERS | _word_set(
    """is are was were be been being become becomes seem seems feel feels remain remains
    more most less very not so too and or but it as"""
)


def _describes(phrase: str, texts: list[str]) -> bool:
    """Whether the answers mostly write ``phrase`` (an adverb and the word it qualifies)
    after a copula, a determiner or "and": then it is an adjective phrase ("morally
    wrong", "financially secure")."""
    befores = [before for before, _ in _around(phrase, texts)]
    return 2 * sum(b in ADJECTIVE_LEADS for b in befores) > len(befores) > 0


# Quantifiers that open a verb's object ("leave little room", "have few options"): a phrase
# holding one is a verb and its object, or a quantity of a thing ("little room") that says
# less than the thing alone.
QUANTIFIERS = _word_set(
    "little much many few less dozens dozen hundreds thousands millions handful couple"
)


def _gerund_with_object(words: list[str]) -> bool:
    """Whether a phrase is a verb in -ing and its object ("offering short contracts",
    "knowing our budget"): the word after the -ing form is an adjective such as "short" or
    "more", or a determiner, never a noun it names a kind of ("funding rounds", "waiting
    times")."""
    return (
        len(words) > 1
        and len(words[0]) > 4
        and words[0].endswith("ing")
        and (words[1] in OBJECT_ADJECTIVES or words[1] in OBJECT_OPENERS)
    )


# Past forms in -eed ("will be agreed"), beside the words in -eed that are none ("need").
PAST_IN_EED = _word_set("agreed disagreed guaranteed freed decreed")


def _participle(word: str) -> bool:
    """A word that looks like a past participle ("attached", "renamed", "agreed"; not "need",
    "bed", "speed")."""
    return (
        len(word) > 4 and word.endswith("ed") and (not word.endswith("eed") or word in PAST_IN_EED)
    )


def _around(phrase: str, texts: list[str]) -> list[tuple[str, str]]:
    """The word before and the word after each use of ``phrase`` ("" across punctuation);
    "that" closing a clause is given as "that." ("a settlement fixes that.")."""
    words = r"[\s-]".join(re.escape(w) for w in re.split(r"[\s-]", phrase))
    pattern = re.compile(
        rf"(?:({_WORD}) )?(?<![\w-]){words}(?![\w-])(?: ({_WORD})(?![\w-])([.;:!?,]|$)?)?"
    )
    return [
        (
            m.group(1) or "",
            "that." if m.group(2) == "that" and m.group(3) is not None else m.group(2) or "",
        )
        for t in _having(re.split(r"[\s-]", phrase)[0], texts)
        for m in pattern.finditer(t)
    ]


def _having(word: str, texts: list[str] | tuple[str, ...]) -> list[str]:
    """The texts that hold ``word`` as written: every pattern here that matches a word or
    phrase needs it verbatim, so the others are not scanned (the keywords' main cost)."""
    return [t for t in texts if word in t]


def _verb_forms(word: str, texts: list[str]) -> bool:
    """Whether the answers also write ``word`` with a verb's ending ("funded", "improving"):
    "to" before it then marks a verb ("to fund teacher placements"), not a place ("to
    industrial estates")."""
    stem = re.escape(word[:-1] if word.endswith("e") else word)
    pattern = re.compile(rf"\b{stem}(?:e?d|ing)\b")
    return any(pattern.search(t) for t in texts)


@remember_text_sets(CLAUSE_CHARS)
def _clauses(texts: tuple[str, ...]) -> tuple[str, ...]:
    """The answers' sentences without their openers ("Overall, ", "We would ask the
    combined authority to "), so that a word opening what is left opens a clause.
    Remembered per set of answers (each word of a theme asks again), bounded by the
    characters of the answers held (:data:`analysis.remembered.CLAUSE_CHARS`)."""
    return tuple(strip_openers(s) for t in texts for s in sentences(t))


def _befores(word: str, texts: list[str]) -> list[str]:
    """The word before each use of ``word`` in the answers: "" where it opens a clause (a
    sentence's start once its opener is taken off, after a semicolon or colon, or after an
    adverb such as "simply"), "," after a comma (a list goes on: "insulation, solar
    panels")."""
    pattern = re.compile(
        rf"(?:^|[;:()]\s*|(,)\s*|(?:({_WORD}) )?({_WORD}) )(?<![\w-]){re.escape(word)}(?![\w-])"
    )
    return [
        ","
        if m.group(1)
        else CAUSED
        if m.group(2) in CAUSATIVES and m.group(3) in CAUSED_OBJECTS
        else RELATIVE
        if m.group(3) in RELATIVE_PRONOUNS and _plural_subject(m.group(2))
        else NEGATED
        if m.group(3) == "not" and m.group(2) in AUXILIARIES
        else ""
        if m.group(3) in CLAUSE_ADVERBS | {None}
        else m.group(3)
        for clause in _having(word, _clauses(tuple(texts)))
        for m in pattern.finditer(clause)
    ]


_NOT_SUBJECTS = STOP_WORDS | VAGUE | CLAUSE_VERBS


def _plural_subject(word: str | None) -> bool:
    """Whether ``word`` is a plural noun that can be a subject ("officers", "buses"): not a
    stop word ("towards", "always"), a filler or a verb in -s ("shows that", "helps")."""
    return bool(word and _plural(word) and word not in _NOT_SUBJECTS and not _verb_s(word))


def _verb_s(word: str) -> bool:
    """A verb's -s form from :data:`S_VERBS` ("happens", "helps", "pays"; "-ies" for "-y")."""
    if not word.endswith("s") or len(word) < 4:
        return False
    bases = {word[:-1]}
    if word.endswith("es"):
        bases.add(word[:-2])
    if word.endswith("ies"):
        bases.add(word[:-3] + "y")
    return bool(bases & S_VERBS)


def verb_led(phrase: str, texts: list[str]) -> bool:
    """Whether the answers use the first word of ``phrase`` as a verb: never after a
    determiner, mostly after "to", "not", a modal, a subject (a pronoun or a plural noun:
    "lessons reflect real jobs"), an adverb such as "already", or opening a clause
    (an imperative: "Improve rail links", "should not abolish intellectual property"), and
    written after a modal or pronoun, with a verb's ending elsewhere ("improved"), or one
    of the :data:`VERBS` that are rarely nouns (answers written to one template give no
    other sign: "Improve rail links", "Invite school groups"; a noun opens sentences and
    follows "to" too: "Warm homes and clean air", "to Coventry. Coventry has ..."); a word
    in -ing, a plural or a hyphenated first word is never taken for a verb ("waiting time",
    "shift workers", "part-time work")."""
    words = phrase.split()
    first = words[0]
    if _verb_chain(words):
        return True
    if "-" in first or first.endswith("ing") or _plural(first) or _participle(first):
        return False
    befores = _befores(first, texts)
    # "firms that pay", "countries that abolish": "that" opens a clause before a listed verb
    determiners = DETERMINERS - {"that"} if first in VERBS else DETERMINERS
    if not befores or determiners.intersection(befores):
        return False
    # a plural noun before a phrase or a listed verb is its subject ("lessons reflect",
    # "companies provide"); not before any single word ("make streets safer")
    phrase_subject = " " in phrase or first in VERBS
    verbal = sum(
        b in VERB_MARKERS
        or b in LEADS
        or b in MARKED
        or (phrase_subject and b in PRE_VERB_ADVERBS)
        or (phrase_subject and b == "that" and first in VERBS)
        or (phrase_subject and b not in {",", "that"} and _plural(b))
        for b in befores
    )
    # a word after a plural noun in every use (twice at least) is its verb: a plural does
    # not modify the next word ("officers spend months", not a kind of "spend")
    after_subjects = " " in phrase and len(befores) > 1 and all(map(_plural_subject, befores))
    return 2 * verbal > len(befores) and bool(
        VERB_MARKERS.intersection(befores)
        or MARKED.intersection(befores)
        or after_subjects
        or _verb_forms(first, texts)
        or first in VERBS
    )


# Verbs that take a verb in -ing after them ("stopped selling", "started offering"); after any
# other past form a word in -ing is a noun it describes ("reduced funding", "ring-fenced
# housing").
CATENATIVES = _word_set("stop start keep finish avoid begin continue quit try enjoy risk resume")


def _verb_chain(words: list[str]) -> bool:
    """Whether a phrase opens on the past form of one of the :data:`CATENATIVES` and a verb
    in -ing ("stopped selling", "started offering"): a verb chain, not a participle before the
    noun it describes ("reduced funding")."""
    if len(words) < 2 or not _participle(words[0]) or not words[1].endswith("ing"):
        return False
    first = words[0]
    bases = {first[:-2], first[:-1], first[:-3] + "y"}
    if len(first) > 5 and first[-3] == first[-4]:  # "stopped"
        bases.add(first[:-3])
    return bool(bases & CATENATIVES)


def _ends_on_verb(words: list[str]) -> bool:
    """Whether a phrase is a subject and one of the :data:`S_VERBS` in -s ("homeschooling
    allows", "money pays"; not "heat pumps", "energy efficiency upgrades")."""
    if len(words) < 2 or _plural(words[-2]) or not words[-1].endswith("s"):
        return False
    return _verb_s(words[-1])


def _verb_evidence(phrase: str, texts: list[str]) -> bool:
    """Whether the answers mostly use ``phrase`` as part of a clause rather than as a noun
    phrase: followed by a verb's object ("the settlement ends the juggling", "power to
    question how"), its first word after a modal or a subject pronoun ("would stop", "we
    pay"; a phrase's first word mostly after "to" or a modal, never after a determiner:
    "to fund teacher placements"), a participle after "been" or "have" or closing a clause
    ("have only been renamed.",
    "conditions remain attached,"), or a time noun after "each" or "every" before a verb in
    -ing ("each year writing bids")."""
    uses = _around(phrase, texts)
    words = phrase.replace("-", " ").split()
    # "give councils the money", "pooling the funding": a plural or a gerund takes an object
    # as a noun too, so only a singular before the last word ("settlement ends") or a single
    # plain word ("question how") marks a verb
    takes_object = (
        not (_plural(words[-1]) or words[-1].endswith("ing"))
        if len(words) == 1
        else (not _plural(words[-2]))
    )
    # after a singular, a word in -s is a verb ("punishment provides closure") when the
    # answers also write it after "it", "which" or "this" ("it provides"; alone, after "it",
    # "he" or "she"); a plural noun ("tv shows", "bus services") never follows them
    if _plural(words[-1]) and (len(words) == 1 or not _plural(words[-2])):
        subjects = "it|he|she" if len(words) == 1 else "it|he|she|which|this"
        singular_subject = re.compile(rf"\b(?:{subjects}) {re.escape(words[-1])}\b")
        if any(singular_subject.search(t) for t in texts):
            return True
    if verb_led(phrase, texts) or _ends_on_verb(words) or (len(words) == 1 and _verb_s(phrase)):
        return True
    verbal = sum(
        (takes_object and after in OBJECT_OPENERS)
        or before in VERB_MARKERS
        or (_participle(words[0]) and before in PERFECT_MARKERS)
        or (
            len(words) == 1
            and (_participle(words[0]) or words[0] in IRREGULAR_PARTICIPLES)
            and before in PASSIVE_MARKERS | PERFECT_MARKERS
        )
        or (len(words) == 1 and _participle(words[0]) and not after)
        or (before in EACH and len(words) > 1 and words[1].endswith("ing"))
        for before, after in uses
    )
    return verbal * 2 > len(uses)


def theme_form(keyword: str, tokenizer: Tokenizer, texts: list[str]) -> str:
    """The surface form of a stem these texts use most ("evenly" for the stem "even" in a
    theme about money spread evenly, though "evening" is commoner in all the answers), else
    the commonest form over all answers (:meth:`Tokenizer.display`)."""
    forms = tokenizer.surface_.get(keyword)
    if not forms or len(forms) == 1 or PHRASE_JOINER in keyword:
        return tokenizer.display(keyword)
    counts = {
        form: sum(
            len(re.findall(rf"(?<![\w-]){re.escape(form.lower())}(?![\w-])", t)) for t in texts
        )
        for form in forms
    }
    best = min(counts.items(), key=lambda item: (-item[1], item[0]))
    return best[0] if best[1] else tokenizer.display(keyword)


def _texts(member_texts: list[str]) -> list[str]:
    return [" ".join(t.lower().replace("’", "'").split()) for t in member_texts]


# The most words a phrase of two keywords' words grows to ("electric vehicle supply chains").
LONGEST_PHRASE = 4


def _shown_together(first: str, second: str, texts: list[str]) -> str | None:
    """The commonest way two words are written side by side ("part-time" or "part time"),
    when at least two answers (or the only one) do so, extended word by word by the word
    that nearly always follows ("fewer competitive bids", "electric vehicle supply chains":
    never stopping at "electric vehicle supply"); else None."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(first)}([\s-]){re.escape(second)}(?![\w-])")
    matches = [m for t in texts for m in pattern.finditer(t)]
    if len({id(t) for t in texts if pattern.search(t)}) < min(2, len(texts)):
        return None
    joins = Counter(m.group(1) for m in matches)
    phrase = f"{first}{'-' if joins['-'] > joins[' '] else ' '}{second}"
    last = second
    while len(re.split(r"[\s-]", phrase)) < LONGEST_PHRASE:
        word = _usual_next(phrase, texts)
        if word is None or word in VAGUE or _fragment(last, word):
            break
        longer = f"{phrase} {word}"
        if _verb_evidence(longer, texts):
            break
        phrase, last = longer, word
    return phrase


def _usual_next(phrase: str, texts: list[str]) -> str | None:
    """The word written after ``phrase`` in at least 80 % of its uses (a hyphen or a space
    between its words), if any."""
    words = r"[\s-]".join(re.escape(w) for w in re.split(r"[\s-]", phrase))
    pattern = re.compile(rf"(?<![\w-]){words}(?![\w-])(?: ({_WORD}))?")
    matches = [m for t in texts for m in pattern.finditer(t)]
    following = Counter(m.group(1) for m in matches if m.group(1))
    if not following:
        return None
    word, times = min(following.items(), key=lambda item: (-item[1], item[0]))
    return word if times >= 0.8 * len(matches) else None


def _compound(prefix: str, texts: list[str]) -> str | None:
    """The commonest hyphenated word starting with ``prefix`` ("non-constituent")."""
    found = Counter(m.group(0) for t in texts for m in re.finditer(rf"\b{prefix}-{_WORD}", t))
    return min(found.items(), key=lambda item: (-item[1], item[0]))[0] if found else None


# Prefixes that turn a word into its opposite when hyphened to it ("non-constituent").
NEGATING = ("non", "anti", "un")


def _negated_form(word: str, texts: list[str]) -> str:
    """``word``, or its negated compound ("non-constituent") when at least half of its uses
    in ``texts`` carry a :data:`NEGATING` prefix and a hyphen, or "" (left out) when a
    quarter to half do: the word alone would say the opposite of what many of the answers
    say (smoke11 #7: "constituent" for a theme on "non-constituent" councils)."""
    prefixes = "|".join(NEGATING)
    pattern = re.compile(rf"(?<![\w'-])(?:({_WORD})-)?{re.escape(word)}(?![\w'-])")
    matches = [m for t in _having(word, texts) for m in pattern.finditer(t)]
    negated = Counter(m.group(0) for m in matches if re.fullmatch(prefixes, m.group(1) or ""))
    times = sum(negated.values())
    if not times or 4 * times < len(matches):
        return word
    if 2 * times < len(matches):
        return ""
    return min(negated.items(), key=lambda item: (-item[1], item[0]))[0]


# Prepositions that join two content words into one phrase a reader knows ("sums on offer",
# "access to finance", "cost of living").
LINKS = _word_set("of on to for in at")


@lru_cache(maxsize=1)
def _link_parts() -> tuple[str, str]:
    """The content word and link alternatives of :func:`_linked`, built once."""
    general = "|".join(sorted(STOP_WORDS | GENERAL | NO_END))
    return rf"(?!(?:{general})(?![\w'-])){_WHOLE}", "|".join(sorted(LINKS))


@lru_cache(maxsize=256)
def _linked(escaped: str) -> re.Pattern[str]:
    """A pattern for ``escaped`` (a word) joined to a content word by one of the
    :data:`LINKS` on either side ("sums on offer" for "sums" or "offer")."""
    content, links = _link_parts()
    return re.compile(
        rf"(?<![\w'-])(?:{escaped} (?:{links}) {content}|{content} (?:{links}) {escaped})"
        rf"(?![\w'-])"
    )


_NEXT_WORD = re.compile(rf" ({_WORD})")


def _not_after_to(word: str, texts: list[str]) -> bool:
    """Whether the answers write ``word`` somewhere other than straight after "to" (a noun
    then: "access to finance" beside "finance is hard to get"), and never after a modal or
    a pronoun ("should sit": a verb), not only as an infinitive."""
    pattern = re.compile(rf"(?:({_WORD}) )?(?<![\w'-]){re.escape(word)}(?![\w'-])")
    befores = [m.group(1) or "" for t in _having(word, texts) for m in pattern.finditer(t)]
    return any(b != "to" for b in befores) and not VERB_MARKERS.intersection(befores)


def _usual_phrase(word: str, texts: list[str], share: float = 0.8) -> str | None:
    """The two-word phrase (with a content word, hyphen kept) a word appears in at least
    ``share`` of the times it is used, e.g. "non-constituent" for "constituent"."""
    holding = _having(word, texts)
    uses = sum(len(re.findall(rf"\b{re.escape(word)}\b", t)) for t in holding)
    if not uses:
        return None
    pairs: Counter[str] = Counter()
    escaped = re.escape(word)
    for text in holding:
        # a hyphenated word is taken whole on either side ("media start-ups", never "media
        # start"), and the phrase is never cut inside one
        for match in re.finditer(rf"(?<![\w-])({_WHOLE})([\s-]){escaped}(?![\w'-])", text):
            if match.group(2) == "-" or not (
                match.group(1) in STOP_WORDS | VAGUE
                or _plural(match.group(1).rsplit("-", 1)[-1])
                or word in ADVERBS  # "school early"
            ):
                pairs[match.group(0)] += 1
        for match in re.finditer(rf"(?<![\w'-]){escaped}([\s-])({_WHOLE})(?![\w'-])", text):
            if match.group(1) == "-" or not (
                match.group(2) in VAGUE or _fragment(word, match.group(2).split("-", 1)[0])
            ):
                pairs[match.group(0)] += 1
        for match in _linked(escaped).finditer(text):
            first, link, last = match.group(0).split(" ")
            following = _NEXT_WORD.match(text, match.end())
            if following and following.group(1) not in STOP_WORDS:
                continue  # cut short: "courses in cyber" (security), "cluster of local"
            # "to" before a verb is an infinitive ("certainty to commit", "board to meet"):
            # the word after "to" must be a gerund or be written elsewhere without "to"
            if link != "to" or not (
                _plural(first)
                or _participle(first)
                or last in VERBS
                or not (last.endswith("ing") or _not_after_to(last, texts))
            ):
                pairs[match.group(0)] += 1
    if not pairs:
        return None
    phrase, count = min(pairs.items(), key=lambda item: (-item[1], item[0]))
    return phrase if count >= share * uses and count >= 2 else None


def _part_of_phrasal_verb(word: str, texts: list[str]) -> bool:
    """Whether ``word`` is mostly followed by a verb's particle ("buses that do not turn up",
    "I was looked after very well"): a part of a phrasal verb, no keyword alone; never a
    word the answers write after a determiner ("their money back")."""
    uses = _around(word, texts)
    if DETERMINERS.intersection(before for before, _ in uses):
        return False  # a noun: "give the money away"
    return 2 * sum(after in PARTICLES for _, after in uses) > len(uses) > 0


def _in_idioms(word: str, texts: list[str]) -> bool:
    """Whether half or more of the uses of ``word`` are inside one of the :data:`IDIOMS` ("mind" in
    "nothing springs to mind", "class" in "first class care")."""
    pattern = re.compile(rf"(?<![\w'-]){re.escape(word)}(?![\w'-])")
    holding = _having(word, texts)
    uses = sum(len(pattern.findall(t)) for t in holding)
    idioms = [i for i in IDIOMS if word in i.split()]
    if not uses or not idioms:
        return False
    inside = sum(
        len(re.findall(rf"(?<![\w'-]){re.escape(i)}(?![\w'-])", t)) for t in holding for i in idioms
    )
    return 2 * inside >= uses


def mostly_in_openers(word: str, texts: list[str]) -> bool:
    """True when most uses of a word are in openers that carry no content ("From our
    experience, ...", "We think ...")."""
    pattern = re.compile(rf"\b{re.escape(word)}\b")
    texts = _having(word, texts)
    uses = sum(len(pattern.findall(t)) for t in texts)
    kept = sum(len(pattern.findall(strip_openers(s))) for t in texts for s in sentences(t))
    return uses > 0 and kept < 0.5 * uses


def _within(short: str, long: str) -> bool:
    """True when one keyword is a whole-word part of another ("constituent authorities" of
    "non-constituent authorities")."""
    return f" {short.replace('-', ' ')} " in f" {long.replace('-', ' ')} "


def _adjective(word: str) -> bool:
    """A word that reads as an adjective, no keyword alone when a verb is taken off
    ("provide valuable", "spread false")."""
    return word in _word_set("false true real") or word.endswith(
        ("able", "ible", "ful", "ous", "less")
    )


# Prepositions a verb takes before what it acts on ("rely on buses", "wait for appointments",
# "invest in skills"): the object is named without them (smoke26r finding 9: "rely on
# buses", the demo's usual phrase for "buses", left a 24-answer theme showing "staff" alone).
VERB_PREPOSITIONS = _word_set("on for in with about from into at")


def _object(phrase: str, texts: list[str]) -> str | None:
    """What a verb-led phrase names without its verb ("rail" for "improve rail", "human
    cloning" for "ban human cloning", "intellectual property" for "abolish intellectual"
    when the answers nearly always write it so) and without a preposition the verb takes
    before it (:data:`VERB_PREPOSITIONS`: "buses" for "rely on buses"), when that reads
    alone (not "school early" for "left school early"); else None."""
    if " " not in phrase or not verb_led(phrase, texts):
        return None
    rest = phrase.split(" ", 1)[1]
    words = rest.split()
    if _verb_chain(phrase.split()):  # "stopped selling to europe": what is sold, if said
        words = words[1:]
        rest = " ".join(words)
        if not words:
            return None
    if len(words) > 1 and words[0] in VERB_PREPOSITIONS:  # "buses" for "rely on buses"
        words = words[1:]
        rest = " ".join(words)
    if len(words) == 1 and (rest in GENERAL or rest in NO_END or len(rest) < 3 or _adjective(rest)):
        return None
    if words[0] in STOP_WORDS | VAGUE or words[-1] in STOP_WORDS | VAGUE | NO_END:
        return None
    usual = _usual_phrase(rest, texts) if len(words) == 1 else None
    if usual and usual.startswith(rest):  # "intellectual property" for "abolish intellectual"
        rest = usual
    return None if _verb_evidence(rest, texts) else rest


def _subject(phrase: str) -> str | None:
    """What a clause is about without its verb ("homeschooling" for "homeschooling
    allows"), when that reads alone; else None."""
    words = phrase.split()
    if not _ends_on_verb(words):
        return None
    rest = " ".join(words[:-1])
    if len(words) == 2 and (rest in GENERAL or rest in NO_END or len(rest) < 3):
        return None
    return None if words[0] in STOP_WORDS | VAGUE or words[-2] in STOP_WORDS else rest


def readable_keywords(
    keywords: list[str],
    tokenizer: Tokenizer,
    member_texts: list[str],
    count: int = 10,
    bland: bool = False,
) -> list[str]:
    """Up to ``count`` keywords as a reader would recognise them, in the order given (best
    first). ``keywords`` are stems and stem phrases; ``member_texts`` the theme's answers.
    With ``bland``, the :data:`BLAND` words may be shown alone (the last resort of a theme
    whose keywords are all of them)."""
    texts = _texts(member_texts)
    shown: list[str] = []
    covered: set[str] = set()
    for keyword in keywords:
        display = theme_form(keyword, tokenizer, member_texts).lower()
        if PHRASE_JOINER in keyword:
            first, _, second = display.partition(" ")
            phrase = _shown_together(first, second, texts) if second else None
            if phrase is None or first in VAGUE or second in VAGUE or _fragment(first, second):
                continue
            if _in_idioms(first, texts):  # "class care" of "first class care"
                continue
            display = phrase
        else:
            if display in PREFIXES:
                display = _compound(display, texts) or ""
            elif bland and display in BLAND:  # the last resort: "informed", "responses"
                display = _usual_phrase(display, texts) or display
            elif display in NOT_ALONE:  # "part-time", never "time" alone
                display = _usual_phrase(display, texts) or ""
            elif (
                display in GENERAL
                or display in NO_END
                or len(display) < 3
                or mostly_in_openers(display, texts)
                or _in_idioms(display, texts)
                or where_from_only(display, member_texts)  # "In Wolverhampton, ..." (kw29)
            ):
                continue
            else:
                display = _usual_phrase(display, texts) or display
                if " " not in display and "-" not in display:  # "non-constituent"
                    display = _negated_form(display, texts)
            if not display or display in covered:
                continue
            if " " not in display and _part_of_phrasal_verb(display, texts):
                continue  # "turn" of "turn up", "looked" of "looked after"
        words = re.split(r"[\s-]", display)
        if any(_NAME_MASK.fullmatch(w) for w in words):  # "XXXX": a name left out, not a word
            continue
        if _adverb(words[-1]) or (_adverb(words[0]) and not _describes(display, texts)):
            continue  # "set nationally", "nationally leave little room"; not "morally wrong"
        if len(words) > 1 and QUANTIFIERS.intersection(words):  # "leave little room"
            continue
        if _gerund_with_object(words):  # "offering short contracts" -> "short contracts"
            display = " ".join(words[1:]) if len(words) > 2 else ""
            if not display or display in covered:
                continue
        if _verb_evidence(display, texts):  # a verb or a clause, not a thing a reader can place
            display = _object(display, texts) or _subject(display) or ""
            if not display or display in covered:
                continue
        if " " in display and crosses_boundary(display, texts):
            continue  # "people voters", "vote blurs", "services join" (kw18)
        if any(_within(display, other) for other in shown):
            continue
        inside = [i for i, other in enumerate(shown) if _within(other, display)]
        if inside:  # a longer phrase replaces the pieces already shown, where the first was
            shown[inside[0]] = display
            shown = [w for i, w in enumerate(shown) if i not in inside[1:]]
        else:
            shown.append(display)
        covered.update(re.split(r"[\s-]", display))
        covered.add(display)
        if len(shown) >= count:
            break
    return shown
