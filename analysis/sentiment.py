"""Sentiment that reads answers as people do: VADER's lexicon and rules, plus what VADER
misses in feedback and consultation answers.

VADER scores "Bus services are unreliable" as neutral, "We need better support" as positive
("better", "support") and "Nothing - perfect" as negative ("nothing" negates "perfect"). These
additions, all written here (no third-party data), put such answers where a reader would:

* problem words VADER's lexicon lacks ("unreliable", "delays", "overcrowded", "shortage"),
  added to its lexicon with negative valence;
* requests and complaints ("more staff", "needs to improve", "should", "would have liked",
  "too long", "not enough"): each cue moves the score down, and the praise words a request
  uses ("better", "improve", "help", "support") stop counting as praise inside one;
* satisfied replies ("no complaints", "can't fault", "nothing to improve", "couldn't be
  better") move it up, and a bare "No"/"Nothing" is neutral rather than negative;
* criticism of a policy or service ("spread too thinly", "will not even repair the roads",
  "left out", "no say", "cannot afford", "at risk", "falls short", "a step backwards"):
  each cue moves the score down, counted with the request cues (once for "not enough"), and
  also in answers to a call for proposals or reasons, where request cues move nothing;
* a service failing people in words VADER reads as neutral ("cannot rely on buses that often
  do not turn up", "nobody answers", "has never been consulted", "it takes months"):
  criticism cues too, each weighing a little more where request cues count
  (:data:`FAILING_WEIGHT`), so such a complaint reads negative whatever the question;
* a hedged answer ("may", "might", "could", "we think", "a concern": :func:`is_hedged`)
  says its view mildly: the rules' score is damped (:data:`HEDGE_SCALE`), so "We think
  expensive engineering courses may lose out" reads -0.7, not -1.0 (sent11);
* in a call for views, criticism cues do not stack on VADER's own words (:data:`STACK_RULES`:
  a cue repeating a word VADER scores negative counts no further, one sentence's cues count
  once, stacked cues never reach -1), and a problem followed by its remedy ("a multi-year
  settlement fixes that", "the principle is right") reads as mixed (sent12); a remedy its
  sentence qualifies ("the principle is right but the amount is too small") is conceded, not
  a remedy, and the praise words of a "but" clause asking for something ("..., but smaller
  councils need a fair share") are not praise (:data:`CONCESSION_RULES`, rev16);
* there too, a problem named as what a proposal ends ("fewer bids means less money wasted",
  "would stop funding being wasted") is not the answer's tone, and a remedy clause after a
  problem ("panels are too often ignored; a formal role would make their advice count") is
  a remedy (:data:`REMEDY_RULES`, :mod:`analysis.sentiment_remedy`, fixs18).
* a stock courtesy ("Thank you for the chance to respond.") and a passive "agreed" count for
  nothing, and praise conceded before "but" ("We welcome the direction, but the allocation
  will not cover ...") weighs half (:data:`COURTESY_RULES`, :mod:`analysis.courtesy`, kw18).
* support on a condition ("Control is welcome if the funding formula protects the smaller
  boroughs", "fine as long as ...") is qualified support: its praise weighs a quarter, and it
  never pulls an answer below how the answer reads without it (:data:`CONDITION_RULES`,
  :mod:`analysis.conditional_support`, sent26).

The question's wording (``Sentiment(question=...)``, :func:`question_kind`) changes the
reading: a bare "Nothing" answering "What could we do better?" is positive and answering
"What was good?" negative, and answering "What was good?" the praise words a request uses
("helped me get better") count as praise again; answering "Do you agree with the proposed
changes?" a bare "No" disagrees (neutral, not content) and a request proposes.
:meth:`Sentiment.score_answers` also blends in a ridge probe on the answers' MiniLM vectors
when the semantic engine has them (:mod:`analysis.sentiment_probe`); answering "What was
good?", its praise head also grades praise by how warmly it is said
(:mod:`analysis.praise_intensity`). The fast engine blends in a like probe over static
word-piece vectors instead (``static=``, :data:`analysis.sentiment_probe.STATIC_PROBE_FILE`).
Answering "What could we do better?" or "What was good?", either engine's blend is also
moved part of the way to ridge heads on a bag of the answer's word pieces and piece bigrams
(:mod:`analysis.sentiment_pieces`).

Scores stay in -1..1, like VADER's compound score. Measured against people's ratings in
``bench/sentiment.py`` (figures in BENCHMARKS.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from .conditional_support import (
    conditional_sentences,
    without_conditional_praise,
    without_conditional_sentences,
)
from .courtesy import TURN_WEIGHT, readings
from .praise_intensity import NAMES, intensity_matrix
from .sentiment_pieces import PIECE_KINDS, PIECE_PROBE_FILE, load_piece_probe
from .sentiment_probe import PROBE_FILE, STATIC_MODEL, STATIC_PROBE_FILE, load_probe
from .sentiment_remedy import remedy_clauses, removed_problems, without_removed
from .statements import sentences, strip_openers

# Problem words missing from VADER's lexicon, with valences on its -4..4 scale.
PROBLEM_WORDS: dict[str, float] = {
    "unreliable": -2.0,
    "unreliability": -2.0,
    "late": -1.2,
    "later": -0.3,
    "delay": -1.5,
    "delays": -1.5,
    "delayed": -1.5,
    "cancelled": -1.5,
    "cancellations": -1.5,
    "infrequent": -1.5,
    "overcrowded": -1.8,
    "crowded": -1.0,
    "unaffordable": -2.0,
    "expensive": -1.3,
    "costly": -1.2,
    "shortage": -1.6,
    "shortages": -1.6,
    "lack": -1.5,
    "lacking": -1.5,
    "lacks": -1.5,
    "insufficient": -1.7,
    "inadequate": -1.8,
    "inconsistent": -1.3,
    "slow": -1.2,
    "slower": -1.0,
    "broken": -1.6,
    "dirty": -1.8,
    "rushed": -1.5,
    "ignored": -1.8,
    "forgotten": -1.3,
    "struggle": -1.5,
    "struggling": -1.6,
    "struggled": -1.5,
    "wait": -0.8,
    "waiting": -0.9,
    "waited": -1.0,
    "queue": -0.8,
    "queues": -1.0,
    "confusing": -1.5,
    "unclear": -1.0,
    "difficult": -1.2,
    "harder": -1.0,
    "cuts": -1.2,
    "closure": -1.2,
    "closures": -1.2,
    "worse": -2.0,
    "worsening": -2.0,
    "underfunded": -1.8,
    "understaffed": -1.8,
    "overstretched": -1.6,
    "unsafe": -2.0,
    "inaccessible": -1.8,
    "impossible": -1.5,
    "barrier": -1.2,
    "barriers": -1.2,
    "pity": -1.3,
    "complaint": -1.5,
    "complaints": -1.5,
    "issue": -0.8,
    "issues": -0.8,
    "excessive": -1.5,
    "overly": -0.8,
    "forgot": -1.3,
    "sometimes": -0.5,
    "bureaucracy": -1.2,
    "bureaucratic": -1.2,
    # a service that leaves people waiting or without one (sent10)
    "unanswered": -1.5,
    "unreturned": -1.5,
    "stranded": -1.6,
    "fobbed": -1.5,
}

# Every cue below begins where a word begins (a request's instruction may also begin at a
# line's start, before spaces). Saying so once, before the alternatives, lets the matcher pass
# every other position without trying each alternative there: the same matches, so the same
# counts, in about half the time (BENCHMARKS "scale60").
_AT_WORD = r"\b(?=\w)"
_AT_WORD_OR_LINE = rf"(?:{_AT_WORD}|^)"

# Cues of a request or a complaint: what a respondent wants changed.
_REQUEST_CUES = (
    r"\b(?:more|fewer|less)\s+(?!than\b|or\b|and\b|of (?:the )?same\b)[a-z]"
    r"|(?<!when i )(?<!when we )(?<!when you )(?<!when they )\bneeds?\b|\bneeded\b"
    r"|\bshould(?:n't| not)?\b|\bmust\b|\bought to\b"
    r"|\bcould (?:be|have been|do|have done) (?:better|more|improved|quicker|faster|clearer)"
    r"|\bwould (?:like|prefer|have liked|have preferred|be (?:better|nice|good|helpful))"
    r"|\bwould (?:have )?(?:really )?(?:appreciated?|been (?:appreciated|nice|good|helpful|useful))"
    r"|\bwould be (?:appreciated|useful)|\b(?:may|might) be (?:helpful|useful|good|nice|better)"
    r"|\bsuggest(?:ion)?s?\b|\bmaybe\b|\bcould improve\b"
    r"|\bwish(?:ed)?\b|\bif only\b|\bplease\b"
    r"|\bimprov(?:e|ed|ing|ement|ements)\b"
    r"|(?<!much )(?<!feel )(?<!felt )(?<!getting )(?<!got )(?<!feeling )"
    r"\bbetter\b(?! than expected| now)"
    r"|\btoo (?:long|short|few|many|much|little|slow|late|early|far|expensive|busy|small)\b"
    r"|\b(?:not|isn't|aren't|wasn't|weren't|never) (?:enough|sufficient|available|possible)"
    r"|\bnot (?:always|very|really|quite|easy|clear|good|great|helpful|listened|told)\b"
    r"|\b(?:no|nobody|no one|nothing) (?:one )?(?:help|helped|helps|listen|listened|told|"
    r"contact|called|explained|followed)"
    r"|\b(?:didn't|did not|don't|do not|doesn't|does not|wasn't|was not|won't|can't|cannot|"
    r"couldn't|could not) (?:get|know|work|listen|answer|call|explain|understand|respond|help|"
    r"see|have|feel|seem|find|reach|afford|access)\b"
    r"|\bonly\b|\bstill\b|\bhowever\b|\bbut\b|\bideal(?:ly)?\b"
    r"|\b(?:no one|nobody) (?:is |was )?(?:help|listen|call|contact|answer|told|explain)\w*"
    # an instruction to the service: "Be more helpful", "Give lifts", "Not lock people up"
    r"|^\s*(?:to |please )?(?:be|have|give|make|making|ask|treat|listen|get|provide|offer|"
    r"allow|let|stop|start|increase|reduce|ensure|check|tell|answer|respond|reply|employ|"
    r"hire|fund|invest|introduce|consider|look|put|bring|take|learn|train|speed|explain|"
    r"not|don't|do not|never)\b"
)
_REQUEST = re.compile(rf"{_AT_WORD_OR_LINE}(?:{_REQUEST_CUES})", re.I | re.M)
# A service that fails the people it serves, in words VADER reads as neutral (sent10): no
# negative word, only a negated or slow everyday verb. Reliance ("cannot rely on", "can't
# depend on"), no-shows ("do not turn up", "never arrive on time"), no reply ("nobody
# answers", "never returns our calls"), not being heard ("has never been consulted", "were
# not asked") and delay ("it takes months", "took weeks"). "take" itself is left out:
# "projects that take years to plan need multi-year funding" proposes.
_NOT = (
    r"(?:cannot|can't|can not|could not|couldn't|unable to|do not|don't|does not|doesn't|"
    r"did not|didn't|will not|won't|never|rarely|seldom|hardly ever|no longer|fail to|"
    r"fails to|failed to)"
)
_FAILING = (
    # one word boundary before the whole alternation: about twice as fast as one per branch
    r"\b(?:(?:cannot|can't|can not|could not|couldn't|unable to|no longer) "
    r"(?:rely|depend|count) on\b"
    rf"|{_NOT} (?:\w+ )?(?:turn up|turns up|show up|shows up|arrive|come on time|"
    r"run on time|run to time|keep to (?:the |their )?timetables?"
    r"|answer|answers|reply|replies|respond|responds|call back|ring back|"
    r"get back to|return (?:\w+ )?(?:calls|emails|messages))\b"
    r"|(?:nobody|no one|no-one) (?:ever |really |seems to |bothers to )?(?:answers|replies|"
    r"responds|returns|calls back|rings back|gets back|listens|cares|turns up|"
    r"shows up|takes responsibility|follows up)\b"
    r"|(?:never|not|\w+n't|rarely|seldom|hardly ever) (?:once |even |properly |really )?"
    r"(?:been |being )?(?:consulted|asked|informed|involved|listened to|kept informed|"
    r"kept up to date|engaged with)\b"
    r"|(?:takes|took|taking|taken) (?:\w+ ){0,2}(?:months|weeks|years|ages|forever)\b)"
)
_FAILS = re.compile(rf"{_AT_WORD}{_FAILING}", re.I)
# Criticism of a policy or a service: under-provision ("too thinly", "not even", "not enough",
# "falls short"), exclusion ("left out", "no say", "lose out"), harm ("cannot afford", "at
# risk", "a step backwards") and a plan that will not do its job ("will not cover"). Unlike a
# request cue, these criticise whatever the question asked, so they count in answers to a
# call for proposals or reasons too (where "should" and "more" only propose).
_CRITICISM_CUES = (
    r"\btoo (?:thinly|thin|small|little|few|short|late|slow|tight|narrow|weak|low)\b"
    r"|\bnot even\b|\bnot (?:real|genuine)\b"
    r"|\b(?:not|never|isn't|aren't|wasn't|weren't) (?:enough|sufficient|adequate|guaranteed)\b"
    # "left out", but not "nothing was left out"
    r"|(?<!nothing was )(?<!nothing is )(?<!no one was )(?<!no one is )(?<!nobody was )"
    r"(?<!nobody is )(?<!nobody felt )(?<!no one felt )"
    r"\b(?:left|shut|locked|leave \w+|leaves \w+) out\b|\b(?:lose|loses|losing|lost|miss|"
    r"misses|missing|missed) out\b"
    r"|\b(?:no|little|without (?:a|any)) (?:say|voice|vote|seat)\b"
    r"|\b(?:cannot|can't|can not|could not|couldn't|unable to) afford\b"
    r"|\bat risk\b|\brisks? (?:being|losing|leaving)\b"
    r"|\b(?:fall|falls|fell|falling) short\b|\bsteps? backwards?\b|\bbackward step\b"
    r"|\b(?:does|do|did|will do|would do) (?:nothing|little) (?:for|to)\b"
    r"|\b(?:leave|leaves|see|sees|get|gets) (?:little|none|nothing)\b|\blittle room\b"
    r"|\b(?:will not|won't|would not|wouldn't|does not|doesn't|cannot|can't) (?:even )?(?:cover|"
    r"reduce|fix|solve|repair|deliver|pay for|meet|address|tackle|stretch|last|make (?:a|any) "
    r"difference)\b"
    # a service that fails people, said without a negative word (sent10): "cannot rely on
    # buses", "buses that often do not turn up", "nobody answers", "has never been
    # consulted", "it takes months"
    rf"|{_FAILING}"
)
_CRITICISM = re.compile(rf"{_AT_WORD}(?:{_CRITICISM_CUES})", re.I)
# A request or a criticism, each counted once ("not enough" is both).
_COMPLAINT = re.compile(
    rf"{_AT_WORD_OR_LINE}(?:(?:{_REQUEST_CUES})|(?:{_CRITICISM_CUES}))", re.I | re.M
)
# Satisfied replies: nothing to change, nothing to complain about.
_SATISFIED = re.compile(
    rf"{_AT_WORD}(?:"
    r"\b(?:nothing|no one|nobody|not much|(?:i )?(?:don't|do not) think|can't see|cannot see)"
    r"\b[^.!?]{0,60}?\b(?:better|improv\w*|differently|more)\b"
    r"|\bnothing but\b|\b(?:don't|do not) have any (?:improvements?|complaints?|concerns?)"
    r"|\bno (?:complaints?|concerns?|issues?|problems?|improvements? (?:needed|necessary|required))"
    r"|\b(?:can't|cannot|could not|couldn't|can not|cant|carn't) (?:fault|complain|"
    r"think of (?:anything|any way|a thing)"
    r"(?:[^.!?]{0,50}?\b(?:better|improv\w*|chang\w*|differently)\b)?)"
    r"|\b(?:difficult|hard) to think of anything|\bnothing (?:i|we) (?:could|can) think of"
    r"|\b(?:don't|do not|doesn't|does not) (?:have|need) to change anything"
    r"|\bnothing (?:needed|needs|need) (?:to be )?chang\w*|\bnothing different\b"
    r"|\b(?:can't|cannot|can not|cant) thank\b[^.!?]{0,40}\benough\b"
    r"|\bnothing (?:to (?:improve|change|add|complain)|"
    r"(?:could|can|would|needs to) be (?:better|improved|changed)|better|at all|more|else|"
    r"i can think of|comes to mind|really|springs to mind)"
    r"|\b(?:couldn't|could not|can't|cannot) (?:be|have been|do|have done) "
    r"(?:better|more|any better)"
    r"|\bkeep (?:it )?up\b|\bkeep doing\b|\bcarry on\b|\bdon't change\b)",
    re.I,
)
_BARE_NO = re.compile(
    r"^\s*(?:no[\s.,!-]+)?(?:no|nope|none|nothing|nil|not really|nothing really|no thanks?|"
    r"no thank you|not (?:a lot|much|a thing)|no a lot|no improvements?)[\s.!?,-]*$",
    re.I,
)
# Replies that say nothing either way, whatever the question.
_NO_OPINION = re.compile(
    r"^\s*(?:n/?a|not sure|no (?:further |other |more )?comments?|"
    r"(?:i )?(?:don't|do not|dont) know|no idea|unsure)"
    r"[\s.!?,-]*$",
    re.I,
)
_LEADING_NO = re.compile(
    r"^\s*(?:absolutely |really )?(?:no|nope|none|nothing)(?:\s*[.!,;:\-]+\s*(?=\S)|\s+(?="
    r"(?:it|they|very|all|everything|i'm|im|i am|i was|we were|happy|great|perfect|excellent|good|"
    r"fine|you|the service|staff|been|have been)\b))",
    re.I,
)
# Words VADER counts as praise that a request uses to ask for change.
REQUEST_WORDS = (
    "better",
    "improve",
    "improved",
    "improvement",
    "improvements",
    "help",
    "support",
    "like",
    "please",
    "care",
    "enough",
    "well",
    "clear",
    "clearer",
)

# A question asking what to change: there a bare "Nothing" or "No" means nothing needs to.
_ASKS_FOR_CHANGE = re.compile(
    r"\b(?:do better|done better|be better|improve\w*|change\w*|differently|dislike\w*|"
    r"problems?|concerns?|worse|complain\w*|missing|wrong)\b",
    re.I,
)
# A question asking what was good: there a bare "Nothing" means nothing was.
_ASKS_FOR_PRAISE = re.compile(
    r"\b(?:was|were|is|are|has been|have been) (?:\w+ )?(?:good|great|helpful|best|positive)\b"
    r"|\bwent well\b|\bdo(?:ne)? well\b|\bdid (?:you|they) (?:like|enjoy|value)\b"
    r"|\b(?:liked?|enjoyed?|valued?) (?:most|best|about)\b|\bstrengths?\b|\bpositives?\b",
    re.I,
)
# A question asking for proposals, reasons or views ("How should the combined authority work
# with councils?", "What opportunities should the deal unlock?", "Why do you say that?"):
# there "should", "more" and "need" propose; they are not complaints.
_ASKS_FOR_PROPOSALS = re.compile(
    r"\bhow (?:should|can|could|might|would|do you think)\b|\bwhat (?:should|would)\b"
    r"|\bopportunit\w*|\bsuggest\w*|\bideas?\b|\bpriorit\w*|\bproposals?\b"
    r"|\bwhy do you (?:say|think)\b|\banything else\b",
    re.I,
)
# "late" naming a time of day ("after late classes", "late shifts", "a late evening", "buses
# that run late at night") is not lateness: the word is dropped before scoring, so "More
# evening buses so students can get home after late classes" is not a complaint (smoke9
# finding 18), nor "Shift workers need buses that run early in the morning and late at
# night" (sent10).
_LATE_HOUR = re.compile(
    r"\blate (?=(?:classes|class|lectures?|shifts?|evenings?|nights?|opening|hours|finish\w*|"
    r"at night|in the evening|into the (?:evening|night))\b)",
    re.I,
)
# A question asking which change people would make ("What one change would most improve buses
# in your area?", "What would improve the service?", "What should the council do?", "How could
# bus services be improved?"): a call for proposals, though its words ask for change, so its
# suggestions ("More evening buses from Aldridge", "Late-night buses, please") are not
# complaints; a bare "Nothing" still says nothing needs to change (smoke9 finding 18). The
# NHS Friends and Family Test's "What could we do better?", "Is there anything we could
# improve?" and "How could we improve?" ask what went wrong, and stay "change".
_ASKS_WHICH_CHANGE = re.compile(
    r"\bwhat (?:one |single |main |key |biggest |top |two |three |\w+ )?"
    r"(?:changes?|improvements?|things?) (?:would|should|could|might|do you|would you)\b"
    r"|\bwhat would (?:\w+ )?(?:improve|make \w+(?: \w+)? better|help)\b"
    r"|\bwhat should (?:\w+ ){1,6}do\b"
    r"|\bhow (?:should|could|can|might|would) (?!we\b|i\b)(?:\w+ ){1,6}(?:be )?improved?\b",
    re.I,
)
# A question asking how things could be better, and not whether one agrees with a change
# ("Do you agree with the proposed changes?"): there a bare "No" or "Nothing" is content.
_ASKS_TO_IMPROVE = re.compile(
    r"\b(?:do better|done better|be better|improv\w*|differently)\b", re.I
)
_ASKS_TO_AGREE = re.compile(
    r"\b(?:agree|disagree|support|oppose|favour|favor|approve|accept|welcome)\b", re.I
)
# A question asking whether one agrees with or supports something ("Do you agree with the
# proposed changes?", "Do you support the changes to bus franchising?", "To what extent do you
# agree ...?", "Are you in favour of ...?"): a call for views, not for changes, though its
# words may name them (textfix, issue 12). Not "What support would help?".
_ASKS_IF_AGREE = re.compile(
    r"\b(?:do|does|did|would|will|could|can) (?:you|your \w+)(?: \w+)? "
    r"(?:agree|disagree|support|oppose|favou?r|approve|accept|welcome|back|endorse)\b"
    r"|\b(?:are|is) (?:you|your \w+) (?:\w+ )?(?:in favou?r|for or against|supportive|opposed)\b",
    re.I,
)
# The kinds whose answers are views or proposals: a request there proposes and is no
# complaint, and the probe (which learnt from service feedback) reads none of their answers.
VIEW_KINDS = ("proposal", "agreement")
BARE_SATISFIED = 0.5
BARE_NOTHING_GOOD = -0.3
# The semantic engine's score for a bare "No"/"Nothing" answering a question that asks how
# things could be better (:func:`asks_to_improve`): chosen by leaving one of the probe's four
# training sources out at a time (BENCHMARKS.md, sentfollow); beside the fast engine's
# static-vector probe too (sent8). The rules alone keep BARE_SATISFIED; a no-opinion reply
# ("n/a", "not sure") stays 0.
BARE_SATISFIED_BLEND = 0.9


def question_kind(question: str | None) -> str:
    """ "change" when the question asks what should change or be better, "praise" when it
    asks what was good, "proposal" when it asks for proposals, reasons or views (and not what
    should change) or which change people would make ("What one change would most improve
    ...?"), "agreement" when it asks whether one agrees with or supports something ("Do you
    agree with the proposed changes?": a bare "No" there disagrees, and says nothing of what
    should change), else "" (a question that asks both, or none of these)."""
    if not question:
        return ""
    change = bool(_ASKS_FOR_CHANGE.search(question))
    praise = bool(_ASKS_FOR_PRAISE.search(question))
    if not praise and _ASKS_WHICH_CHANGE.search(question):
        return "proposal"
    if _ASKS_IF_AGREE.search(question):
        return "agreement"
    if change and not praise:
        return "change"
    if praise and not change:
        return "praise"
    if not change and _ASKS_FOR_PROPOSALS.search(question):
        return "proposal"
    return ""


def asks_to_improve(question: str | None) -> bool:
    """True when the question asks what could be better or improved ("What could we do
    better?", "How could we improve?"), not whether one agrees with a change or supports it."""
    return (
        question_kind(question) == "change"
        and bool(_ASKS_TO_IMPROVE.search(question or ""))
        and not _ASKS_TO_AGREE.search(question or "")
    )


REQUEST_WEIGHT = 0.3
REQUEST_CAP = 3
CRITICISM_WEIGHT = 0.4
SATISFIED_WEIGHT = 0.5
# Beside the request cue each failure ("nobody answers") already counts as, where request cues
# count (no question, "what could be better?"): the smallest step of 0.1 that reads the
# complaints of tests/analysis/test_sentiment_failing.py negative with no question by both
# engines (sent10; the development trusts' Spearman did not fall for 0.1 to 0.3).
FAILING_WEIGHT = 0.2
PRAISE_REQUEST_WEIGHT = 0.0
# A hedged answer ("may", "might", "could", "we think", "a concern") says its view mildly:
# the rules' score of an answer with a hedge is multiplied by this (sent11), before it is
# kept in -1..1, so "We think expensive engineering courses may lose out" is not read as
# furious (-1.0) nor a mild suggestion as a complaint. 1.0 turns it off.
HEDGE_SCALE = 0.7
# The rules read an answer without its stock courtesies ("Thank you for the chance to
# respond."), its praise conceded before "but" and a passive "agreed"
# (:func:`analysis.courtesy.for_scoring`, kw18; smoke18r #9).
COURTESY_RULES = True
# Support on a condition ("Control is welcome if the funding formula protects the smaller
# boroughs", "We support this provided that ...") is qualified support: the rules score such an
# answer (1 - CONDITION_WEIGHT) as written and CONDITION_WEIGHT without the positive words of
# its conditional sentences (:func:`analysis.conditional_support.without_conditional_praise`,
# sent26), but never below the answer read without those sentences (or as written, if that is
# lower): the support is mild, and not a criticism of its own. 0.75 reads a conditional
# sentence alone in the neutral band (+0.16 for +0.62), as mixed support.
CONDITION_RULES = True
CONDITION_WEIGHT = 0.75
_HEDGE = re.compile(
    r"\b(?:may|might|perhaps|possibly|probably"
    r"|could(?! not| (?:be|have been|do|have done) (?:any )?better| fault| complain)"
    r"|(?:we|i) (?:also )?(?:think|believe|feel)"
    r"|concerns?|concerned|worr(?:y|ied|ies))\b",
    re.I,
)


# Criticism cues stacked on VADER's own words (sent12). In a call for views or proposals
# ("Why do you say that?") the criticism cues alone pull an answer down beyond VADER's part,
# and two or three of them on VADER's own negative words reached -1.0 ("Non-constituent
# authorities risk being left out of decisions": "risk" in VADER, then "risk being" and "left
# out" as cues), supportive answers with a reservation near it. With STACK_RULES on, in the
# answers to such questions (VIEW_KINDS): a cue with a word VADER already scores clearly
# negative ("risk being", "lose out", "no say": STACKED_WORD) is not counted again; one
# sentence's cues count once; each counted cue moves the score down CRITICISM_WEIGHT, as
# before, or once the score is below 0 that share of the way left to -1 (from VADER's 0:
# -0.4, -0.64, -0.78), so stacked cues come near -1 but never reach it; and a problem
# followed by its remedy ("a multi-year settlement fixes that", "would solve this", "the
# principle is right") moves the score up SOLUTION_WEIGHT a remedy, to at most
# SOLUTION_WEIGHT, so it reads as mixed.
STACK_RULES = True
SOLUTION_WEIGHT = 0.4
# A word VADER scores at or below this (its -4..4 scale: "risk" -1.1, "lose" -1.7, "no" -1.2)
# is its own count of the criticism; "leave" (-0.2) is not.
STACKED_WORD = -1.0
_SOLUTION = re.compile(
    rf"{_AT_WORD}(?:"
    r"(?<!not )(?<!n't )(?<!never )(?<!cannot )"
    r"\b(?:fix|fixes|solve|solves|resolve|resolves|end|ends|cure|cures|remove|removes|"
    r"addresses|tackles)\s+(?:that|this|it|those|these|the (?:problem|issue)s?)\b"
    r"|\b(?:would|will|could|can|should|might) (?:help )?(?:fix|solve|resolve|end|cure|remove|"
    r"address|tackle)\s+(?:that|this|it|those|these|the (?:problem|issue)s?)\b"
    r"|\b(?:the )?principle is (?:right|sound|good|welcome)\b|\bright in principle\b"
    r"|\b(?:agree|support|welcome) (?:it |this |the (?:idea|proposal|change) )?in principle\b"
    r")",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def solution_turns(text: str) -> list[str]:
    """The remedies an answer offers for a problem it names ("a multi-year settlement fixes
    that", "would solve this", "the principle is right"): with :data:`STACK_RULES` on, each
    moves an answer to a call for views up by :data:`SOLUTION_WEIGHT`. With
    :data:`CONCESSION_RULES` on, a turn its sentence then qualifies ("the principle is right
    but the amount is too small") is a concession (:func:`conceded`), not a remedy."""
    text = text or ""
    return [
        m.group(0)
        for m in _SOLUTION.finditer(text)
        if not (STACK_RULES and CONCESSION_RULES and conceded(text, m.end()))
    ]


# Conceded points and reservations (rev16, issue 12). "The principle is right but the amount
# is too small" concedes a point to make the one after "but": the remedy turn before it
# ("the principle is right") lifted the answer as if it resolved the problem, so "Neither"
# respondents read +0.27 to +0.40. And in "We support more control, but smaller councils need
# a fair share", VADER weighs the clause after "but" 1.5 times, and its positive words ("fair",
# "share") are what the answer asks for, not praise: a "Strongly disagree" answer read +0.27.
# With CONCESSION_RULES on, in answers to a call for views (VIEW_KINDS): a remedy turn followed
# in its sentence by a qualifier (_QUALIFIER) lifts nothing, and in a sentence "A, but B" whose
# B asks for something (_ASKS), the words of B VADER scores positive are not counted.
CONCESSION_RULES = True
_QUALIFIER = re.compile(r"\b(?:but|however|yet|though|although)\b", re.I)
_SENTENCE_STOP = re.compile(r"[.!?](?:\s|$)")
_BUT = re.compile(r"\bbut\b", re.I)
_ASKS = re.compile(r"\b(?:needs?|needed|must|should|ought to|has to|have to)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


# Problems an answer says a proposal ends, and remedies that follow a problem (fixs18, issue
# 12; :mod:`analysis.sentiment_remedy`). "Fewer competitive bids means less money wasted on
# consultants writing applications" gives a reason to agree, yet VADER's "wasted" read it
# -0.30; "Advisory panels are too often ignored; a formal role would make employers' advice
# count" read -0.42. With REMEDY_RULES on, in answers to a call for views (VIEW_KINDS): the
# negative words and criticism cues of a removed problem ("less money wasted", "stop funding
# being wasted", "no more delays", the removal word included) are not read (+0.18 then, not
# -0.30), and a remedy clause after a clearly negative word is a remedy turn (SOLUTION_WEIGHT,
# as "fixes that" is: -0.42 to -0.02, mixed). A removed problem is no remedy turn itself:
# lifting it too read a "Neither" answer with two reservations +0.40.
REMEDY_RULES = True


def remedies_after_problem(text: str, analyzer) -> list[str]:
    """The remedy clauses of ``text`` (:func:`analysis.sentiment_remedy.remedy_clauses`)
    that follow a word ``analyzer``'s lexicon scores clearly negative (:data:`STACKED_WORD`
    or below: "ignored", "shortages"; not "pay"): the problem they answer."""
    lexicon = analyzer.lexicon
    found = []
    for clause in remedy_clauses(text, lexicon):
        before = text[: text.find(clause)]
        if any(lexicon.get(w.lower(), 0.0) <= STACKED_WORD for w in _WORD.findall(before)):
            found.append(clause)
    return found


def conceded(text: str, end: int) -> bool:
    """Whether the sentence of ``text`` going on from ``end`` (a remedy turn's end) qualifies
    it ("... right but the amount is too small", "..., however, ..."): then the turn
    concedes a point rather than resolving the problem."""
    stop = _SENTENCE_STOP.search(text, end)
    return bool(_QUALIFIER.search(text, end, stop.start() if stop else len(text)))


def without_asked_praise(text: str, lexicon: dict[str, float]) -> str:
    """``text`` with the words VADER's ``lexicon`` scores positive taken out of each
    sentence's clause after "but" that asks for something (:data:`_ASKS`: "smaller councils
    need a fair share" loses "fair" and "share"): they name what is asked for, not praise.
    Other words, negative ones included, and every other clause stay as they are."""
    parts, changed = [], False
    for sentence in _SENTENCE_END.split(text):
        but = _BUT.search(sentence)
        if but and _ASKS.search(sentence, but.end()):
            after = _WORD.sub(
                lambda m: "" if lexicon.get(m.group(0).lower(), 0.0) > 0 else m.group(0),
                sentence[but.end() :],
            )
            changed = changed or after != sentence[but.end() :]
            sentence = sentence[: but.end()] + re.sub(r"\s{2,}", " ", after)
        parts.append(sentence)
    return " ".join(parts) if changed else text


def joined(text: str) -> str:
    """The answer's sentences without their openers ("Put simply, ", "In our view, ") and
    without "late" naming a time of day, joined by spaces: the text the rules read."""
    text = " ".join(strip_openers(sentence) for sentence in sentences(text))
    return _LATE_HOUR.sub("", text)


def prepared(text: str) -> str:
    """:func:`joined` without its satisfied replies and a leading "No": the text the rules'
    cues and VADER read (the satisfied replies count apart)."""
    return _SATISFIED.sub(" ", _LEADING_NO.sub("", joined(text))).strip()


def is_hedged(text: str) -> bool:
    """True when the answer hedges its view ("may", "might", "could", "perhaps", "we think",
    "I believe", "a concern", "worried"): the rules damp its score (:data:`HEDGE_SCALE`)."""
    return bool(_HEDGE.search(text or ""))


# A mean score shown (two decimals) within this of 0 reads "neutral"; the one rule for every
# report, the CLI's and the workspace's.
NEUTRAL_BAND = 0.2


def tone(value: float) -> str:
    """'positive', 'negative' or 'neutral' for a (mean) score, chosen from the value as
    shown to two decimals, so one shown number always gets one word."""
    shown = round(float(value), 2)
    if shown >= NEUTRAL_BAND:
        return "positive"
    if shown <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def graded_as_praise(rules, kinds, above: float = 0.0) -> np.ndarray:
    """True for each answer the probe grades as praise (by how warmly it praises: see
    :mod:`analysis.praise_intensity`): the rules read it as positive (its score is above
    ``above``) and its question (``kinds``, :func:`question_kind` of each) does not ask what
    should change, where a long or emphatic answer is a long complaint."""
    rules = np.asarray(rules, dtype=np.float64)
    change = np.array([kind == "change" for kind in kinds], dtype=bool).reshape(rules.shape)
    return (rules > above) & ~change


class Sentiment:
    """Sentiment scores (-1 to 1): VADER with problem words, request cues and satisfied
    replies (see the module docstring), cached for repeated answers. ``probe_file`` is the
    probe :meth:`score_answers` blends in (the shipped one unless another is given, as the
    benchmarks do to compare probes), ``static_probe_file`` the fast engine's,
    ``piece_probe_file`` the bag-of-word-pieces heads mixed into the probe's blend (None: not
    mixed in)."""

    def __init__(
        self,
        question: str | None = None,
        probe_file: Path = PROBE_FILE,
        static_probe_file: Path = STATIC_PROBE_FILE,
        piece_probe_file: Path | None = PIECE_PROBE_FILE,
    ) -> None:
        # "Nothing" answering "What could we do better?" is praise; answering "What was
        # good?" it is a complaint; elsewhere it is neutral.
        self.kind = question_kind(question)
        self._bare = {"change": BARE_SATISFIED, "praise": BARE_NOTHING_GOOD}.get(self.kind, 0.0)
        if self.kind == "proposal" and _ASKS_FOR_CHANGE.search(question or ""):
            self._bare = BARE_SATISFIED  # "Nothing" to "What one change would ...?"
        # Beside the probe, a bare "Nothing" answering "What could we do better?" ranks with
        # the warmest answers, as the coders rate it.
        self._bare_blend = BARE_SATISFIED_BLEND if asks_to_improve(question) else None
        self._analyzer = SentimentIntensityAnalyzer()
        self._analyzer.lexicon.update(PROBLEM_WORDS)
        self._request_analyzer = SentimentIntensityAnalyzer()
        self._request_analyzer.lexicon.update(PROBLEM_WORDS)
        for word in REQUEST_WORDS:
            self._request_analyzer.lexicon.pop(word, None)
        self._vader = SentimentIntensityAnalyzer()
        self._cache: dict[str, float] = {}
        self.probe_file = probe_file
        self.static_probe_file = static_probe_file
        self.piece_probe_file = piece_probe_file
        self.praise_request_weight = PRAISE_REQUEST_WEIGHT

    def vader(self, text: str) -> float:
        """VADER's own compound score, unchanged (the baseline)."""
        return round(self._vader.polarity_scores(text)["compound"], 4) if text else 0.0

    def score_answers(
        self,
        texts: list[str],
        vectors: np.ndarray | None = None,
        static: np.ndarray | None = None,
    ) -> list[float]:
        """Each answer's score (:meth:`score`), read with the question in mind.

        With ``vectors`` (the answers' all-MiniLM-L6-v2 vectors, one row per answer, as the
        semantic engine makes them), the shipped probe (:mod:`analysis.sentiment_probe`)
        reads each vector and its prediction is blended with the rules; bare replies
        ("Nothing", "No", "n/a") keep the rules' score, which the question decides, except a
        bare "No"/"Nothing" answering a question that asks how things could be better
        (:func:`asks_to_improve`), which scores :data:`BARE_SATISFIED_BLEND`.

        Without ``vectors``, ``static`` (the answers' static word-piece vectors,
        :func:`analysis.static_vectors.plain_vectors`, as the fast engine makes them) lets
        the fast engine's probe (:data:`analysis.sentiment_probe.STATIC_PROBE_FILE`: heads
        over the vector and every answer's praise cues, a general one and one for praise
        answering "What was good?") be blended with the rules in the same way, bare replies
        likewise (sent8)."""
        rules = [self.score(t) for t in texts]
        if vectors is None and static is not None:
            return self._score_static(list(texts), rules, static)
        # The probe learnt from service feedback, where a suggestion is a complaint; answers
        # to a call for proposals or views (and to "Do you agree?") keep the rules' reading.
        wanted = vectors is not None and len(texts) and self.kind not in VIEW_KINDS
        probe = load_probe(self.probe_file) if wanted else None
        if probe is None:
            return rules
        vectors = np.asarray(vectors)
        general = probe.head("general")
        if vectors.shape != (len(texts), general.coef.shape[0]):
            raise ValueError("vectors must have one row per answer, as long as the probe's")
        # The praise head learnt only gradations of praise: it grades the answers the rules
        # read as positive and never turns a complaint into praise. A head with praise cues
        # (how warmly an answer praises) weighs them for the answers graded as praise only.
        graded = graded_as_praise(rules, [self.kind] * len(texts), probe.graded_above)
        praise = probe.head(self.kind) if self.kind == "praise" else general
        heads = {id(general): general, id(praise): praise}.values()
        cues = None
        if any(head.feature_coef is not None for head in heads) and graded.any():
            cues = np.zeros((len(texts), len(NAMES)))
            cues[graded] = intensity_matrix([t for t, g in zip(texts, graded, strict=True) if g])
        predicted = {id(head): head.predict(vectors, cues, graded) for head in heads}
        bare = [self.is_bare(text) for text in texts]
        blended = np.zeros(len(texts))
        for row, rule in enumerate(rules):
            head = praise if graded[row] else general
            value = head.weight * float(predicted[id(head)][row]) + (1 - head.weight) * rule
            blended[row] = round(self.squash(value), 4)
        self._mix_pieces(list(texts), blended, bare, graded)
        return self._with_bare(texts, rules, bare, blended)

    def _mix_pieces(
        self,
        texts: list[str],
        blended: np.ndarray,
        bare: Sequence[bool],
        graded: np.ndarray,
        fast: bool = False,
        cues: np.ndarray | None = None,
    ) -> None:
        """Move ``blended`` (in place) part of the way to the bag-of-word-pieces heads'
        prediction (:mod:`analysis.sentiment_pieces`, sent9) for the answers that are not
        bare, the praise head grading the answers to "what was good?" graded as praise; only
        for the question kinds of service feedback (:data:`PIECE_KINDS`). ``fast``: the fast
        engine's blend, at its own share; ``cues``: every text's praise cues, when known."""
        wanted = self.piece_probe_file is not None and self.kind in PIECE_KINDS
        pieces = load_piece_probe(self.piece_probe_file) if wanted else None
        keep = ~np.array(bare, dtype=bool)
        share = None if pieces is None else pieces.fast_share if fast else pieces.share
        if share is None or not keep.any():
            return
        kept = [text for text, k in zip(texts, keep, strict=True) if k]
        praise_rows = np.asarray(graded, dtype=bool)[keep] & (self.kind == "praise")
        try:
            kept_cues = intensity_matrix(kept) if cues is None else np.asarray(cues)[keep]
            predicted = pieces.predict(kept, kept_cues, praise_rows)
        except (ImportError, OSError):  # MiniLM's tokenizer is missing (ModelMissing, its
            # file; ImportError, its package): the blend alone
            return
        blended[keep] = pieces.mix(blended[keep], predicted, share)

    def _with_bare(self, texts, rules, bare, blended) -> list[float]:
        """The blended scores, bare replies keeping the rules' score except a bare
        "No"/"Nothing" answering a question that asks how things could be better
        (:data:`BARE_SATISFIED_BLEND`)."""
        scores = []
        for row, (text, rule) in enumerate(zip(texts, rules, strict=True)):
            if bare[row]:
                satisfied = self._bare_blend is not None and not _NO_OPINION.match(text)
                satisfied = satisfied and bool(_BARE_NO.match(text))
                scores.append(self._bare_blend if satisfied else rule)
                continue
            scores.append(round(float(blended[row]), 4))
        return scores

    def _score_static(self, texts: list[str], rules: list[float], static) -> list[float]:
        """:meth:`score_answers` with the fast engine's probe over static vectors; the rules
        alone for answers to a call for proposals or views, or when the probe is missing."""
        probe = load_probe(self.static_probe_file) if len(texts) else None
        if probe is None or self.kind in VIEW_KINDS or probe.model != STATIC_MODEL:
            return rules
        static = np.asarray(static)
        general = probe.head("general")
        if static.shape != (len(texts), general.coef.shape[0]):
            raise ValueError("static vectors must have one row per answer, as long as the probe's")
        # Both heads weigh every answer's praise cues; the praise head (answering "What was
        # good?") grades the answers the rules read as positive, as the semantic one does.
        cues = intensity_matrix(texts)
        every = np.ones(len(texts), dtype=bool)
        praise = probe.head(self.kind) if self.kind == "praise" else general
        graded = graded_as_praise(rules, [self.kind] * len(texts), probe.graded_above)
        predicted = general.predict(static, cues, every)
        if praise is not general:
            predicted = np.where(graded, praise.predict(static, cues, every), predicted)
        blended = np.array(
            [
                round(self.squash(head.weight * float(p) + (1 - head.weight) * r), 4)
                for p, r, head in zip(
                    predicted, rules, [praise if g else general for g in graded], strict=True
                )
            ]
        )
        bare = [self.is_bare(text) for text in texts]
        self._mix_pieces(texts, blended, bare, graded, fast=True, cues=cues)
        return self._with_bare(texts, rules, bare, blended)

    @staticmethod
    def is_bare(text: str) -> bool:
        """True for an empty answer or a bare reply ("No", "Nothing", "n/a", "not sure")."""
        return not text.strip() or bool(_NO_OPINION.match(text) or _BARE_NO.match(text))

    def score(self, text: str) -> float:
        """The answer's sentiment, -1 (negative) to 1 (positive); 0 for an empty answer."""
        value = self._cache.get(text)
        if value is None:
            value = self._cache[text] = round(self._score(text), 4)
        return value

    @staticmethod
    def squash(value: float) -> float:
        """Keep a score in -1..1."""
        return max(-1.0, min(1.0, value))

    def _score(self, text: str) -> float:
        value = self._read(text)
        if CONDITION_RULES and conditional_sentences(text):
            # support on a condition is qualified support (sent26): its praise weighs a
            # quarter, and it never reads as criticism of its own (no lower than the answer
            # read without it, or as written if that is lower)
            plain = without_conditional_praise(text, self._analyzer.lexicon)
            mixed = (1 - CONDITION_WEIGHT) * value + CONDITION_WEIGHT * self._read(plain)
            rest = self._read(without_conditional_sentences(text))
            value = self.squash(max(mixed, min(value, rest)))
        return value

    def _read(self, text: str) -> float:
        """The rules' score of ``text`` read without its stock courtesies, its conceded
        praise weighed by :data:`TURN_WEIGHT` (kw18)."""
        if COURTESY_RULES:  # stock courtesies and conceded praise set aside (kw18)
            plain, turned = readings(text)
            if turned != plain:
                whole, turn = self._hedged(plain), self._hedged(turned)
                return self.squash((1 - TURN_WEIGHT) * whole + TURN_WEIGHT * turn)
            text = plain
        return self._hedged(text)

    def _hedged(self, text: str) -> float:
        """The rules' score, damped when the answer hedges (:data:`HEDGE_SCALE`)."""
        value = self._unhedged(text)
        if HEDGE_SCALE != 1.0 and value and is_hedged(text):
            value = self.squash(value * HEDGE_SCALE)
        return value

    @staticmethod
    def _unstacked_criticisms(text: str, analyzer, removed: Sequence[tuple[int, int]] = ()) -> int:
        """The criticism cues counted under :data:`STACK_RULES`: not a cue with a word VADER
        already scores clearly negative (:data:`STACKED_WORD`: "risk being", "lose out",
        "no say"), nor one inside a problem the answer says a proposal ends (``removed``:
        spans of ``text``, :func:`analysis.sentiment_remedy.removed_problems`), and at most
        one per sentence."""
        ends = [m.start() for m in _SENTENCE_END.finditer(text)]
        lexicon = analyzer.lexicon
        counted = set()
        for match in _CRITICISM.finditer(text):
            if any(start <= match.start() < end for start, end in removed):
                continue
            words = re.findall(r"[a-z']+", match.group(0).lower())
            if any(lexicon.get(word, 0.0) <= STACKED_WORD for word in words):
                continue
            counted.add(sum(end < match.start() for end in ends))
        return len(counted)

    def _unhedged(self, text: str) -> float:
        """The rules' score before a hedge damps it."""
        if not text:
            return 0.0
        if _NO_OPINION.match(text):
            return 0.0
        if _BARE_NO.match(text):
            return self._bare
        text = joined(text)
        satisfied = len(_SATISFIED.findall(text))
        rest = _SATISFIED.sub(" ", _LEADING_NO.sub("", text)).strip()
        if self.kind in (*VIEW_KINDS, "praise"):
            requests = min(len(_REQUEST.findall(rest)), REQUEST_CAP)
        else:
            # Requests and criticism alike: each cue (one for "not enough") moves it down.
            requests = min(len(_COMPLAINT.findall(rest)), REQUEST_CAP)
        if self.kind in VIEW_KINDS:
            # A proposal is not a complaint (nor is a request answering "Do you agree?"): its
            # request cues move nothing, and the praise words a request uses ("better",
            # "support") do not count as praise. Criticism ("too thinly", "left out") still
            # counts against it.
            analyzer = self._request_analyzer if requests else self._analyzer
            concede = STACK_RULES and CONCESSION_RULES
            said = without_asked_praise(rest, analyzer.lexicon) if concede else rest
            base = analyzer.polarity_scores(said)["compound"]
            if not STACK_RULES:
                criticisms = min(len(_CRITICISM.findall(rest)), REQUEST_CAP)
                return self.squash(
                    base - CRITICISM_WEIGHT * criticisms + SATISFIED_WEIGHT * satisfied
                )
            lexicon = analyzer.lexicon
            removed = removed_problems(rest, lexicon, _CRITICISM) if REMEDY_RULES else []
            if removed:
                # a problem the proposal ends is not the answer's tone (fixs18)
                said = without_removed(said, removed_problems(said, lexicon, _CRITICISM), lexicon)
            base = analyzer.polarity_scores(said)["compound"] if removed else base
            criticisms = min(self._unstacked_criticisms(rest, analyzer, removed), REQUEST_CAP)
            # each cue moves the score CRITICISM_WEIGHT down, or once below 0 that share of
            # the way left to -1: stacked cues come near -1, never reach it on their own
            value = base
            for _ in range(criticisms):
                value -= CRITICISM_WEIGHT * min(1.0, 1.0 + value)
            turns = solution_turns(rest)
            if REMEDY_RULES:
                turns += remedies_after_problem(rest, analyzer)
            if value < SOLUTION_WEIGHT and turns:
                # a remedy after the problem: mixed, at most mildly positive
                solutions = min(len(turns), REQUEST_CAP)
                value = min(value + SOLUTION_WEIGHT * solutions, SOLUTION_WEIGHT)
            return self.squash(value + SATISFIED_WEIGHT * satisfied)
        if self.kind == "praise":
            # An answer to "What was good?" is praise unless it says otherwise: "helped me
            # get better", "the only support I had" are not requests there.
            base = self._analyzer.polarity_scores(rest)["compound"]
            value = base - self.praise_request_weight * requests + SATISFIED_WEIGHT * satisfied
        else:
            analyzer = self._request_analyzer if requests else self._analyzer
            base = analyzer.polarity_scores(rest)["compound"]
            value = base - REQUEST_WEIGHT * requests + SATISFIED_WEIGHT * satisfied
            value -= FAILING_WEIGHT * min(len(_FAILS.findall(rest)), REQUEST_CAP)
        return self.squash(value)
