"""Keywords are nouns and noun phrases, not verbs (issue 12): "happens", "stopped selling",
"spend months", "helps" were among the demo's theme keywords (analysis.keywords)."""

from __future__ import annotations

from analysis.keywords import (
    NEGATED,
    RELATIVE,
    _befores,
    _verb_chain,
    _verb_s,
    readable_keywords,
    verb_led,
)
from analysis.tokens import Tokenizer


def _shown(texts: list[str]) -> list[str]:
    tokenizer = Tokenizer(min_phrase_count=1)
    tokens = tokenizer.fit_transform(texts)
    vocabulary = sorted({t for doc in tokens for t in doc})
    return readable_keywords(vocabulary, tokenizer, texts, count=len(vocabulary))


def _lower(texts: list[str]) -> list[str]:  # as readable_keywords reads them
    return [t.lower() for t in texts]


def test_verbs_and_verb_phrases_from_the_demo_are_no_keywords():
    """The demo's sentences: a verb in -s ("what happens next", "business helps choose",
    "this money pays for"), a verb chain ("firms that stopped selling"), a verb and a time
    ("officers spend months"), a verb after a relative pronoun ("buses that run early") or
    after "do not" ("do not turn up"), and a passive ("will be agreed", "could be matched",
    "would not be heard", "what changed") are no keywords; what the verb acts on is, when it
    reads alone."""
    texts = [
        *["Tell us what happens next and when the final deal will be agreed."] * 3,
        *["Private investors will follow if business helps choose the projects."] * 3,
        *["Community groups deliver many of the services this money pays for."] * 3,
        *["Firms that stopped selling to Europe need advice on rules of origin."] * 3,
        *["Our officers spend months each year writing bids to Whitehall."] * 3,
        *["Shift workers need buses that run early in the morning."] * 3,
        *["Staff cannot rely on buses that often do not turn up."] * 3,
        *["Courses could be matched to local jobs in construction."] * 3,
        *["Publish a summary of what partners said and what changed as a result."] * 3,
        *["We believe firms that pay business rates should have a say."] * 3,
        *["Large firms would dominate and small charities would not be heard."] * 3,
        *["Change courses when a new employer opens."] * 3,
    ]
    shown = _shown(texts)
    verbs = {"happens", "helps", "pays", "stopped", "selling", "spend", "months", "run"}
    verbs |= {"turn", "agreed", "matched", "changed", "pay", "heard", "opens"}
    assert not any(verbs & set(keyword.split()) for keyword in shown), shown
    for phrase in ("business rates", "rules of origin", "officers", "final deal", "new employer"):
        assert phrase in shown, (phrase, shown)


def test_nouns_that_look_like_verbs_stay_keywords():
    """A participle before a noun describes it ("reduced funding"), a noun in -s is no verb
    ("tv shows", "bus services"), "help" the answers qualify is a noun ("financial help"), and
    a participle after "was" stays ("everything was explained": what patients value)."""
    texts = [
        *["Reduced funding has hit bus services across the region."] * 3,
        *["Many tv shows make violence look normal."] * 3,
        *["Young people get financial help without waiting."] * 3,
        *["Everything was explained clearly by the nurse."] * 3,
    ]
    shown = _shown(texts)
    for phrase in ("reduced funding", "bus services", "tv shows", "financial help", "explained"):
        assert any(phrase in keyword for keyword in shown), (phrase, shown)


def test_vague_verbs_and_bare_help_are_no_keywords():
    """ "help" alone says no more than "need" or "get" (what help?): the demo showed it for
    "families who need help early" (textfix, issue 12). It is shown only as the phrase the
    answers nearly always use it in ("financial help", "early help"), as "year" is; its verb
    forms ("helps", "helping") and the other vague verbs' forms ("needing", "getting") never
    alone."""
    texts = [
        *["One shared data platform would let partners spot families who need help early."] * 3,
        *["Young people get help without waiting."] * 3,
        *["Grants would help small firms grow and helping carers matters."] * 3,
        *["Getting rid of the cap and needing fewer forms, wanting less."] * 3,
        *["Councils should fund early help for families."] * 3,
    ]
    shown = _shown(texts)
    vague = {"help", "helps", "helping", "getting", "gets", "needing", "wanting"}
    vague |= {"need", "needs", "make", "use", "want", "get"}
    assert not vague.intersection(shown), shown
    assert not any(keyword.split()[0] in vague for keyword in shown if " " in keyword), shown
    assert "early help" in shown and "shared data platform" in shown, shown


def test_the_signs_a_word_is_a_verb():
    """A relative pronoun after a plural noun and "not" after an auxiliary mark the next word
    as a verb; "that" after a verb in -s opens a clause whose subject is a noun."""
    assert _befores("run", _lower(["Buses that run early."])) == [RELATIVE]
    assert _befores("turn", _lower(["Buses often do not turn up."])) == [NEGATED]
    assert _befores("money", _lower(["It shows that money matters."])) == ["that"]
    assert _verb_chain(["stopped", "selling"]) and _verb_chain(["started", "offering", "x"])
    assert not _verb_chain(["reduced", "funding"]) and not _verb_chain(["needed", "training"])
    assert _verb_s("happens") and _verb_s("helps") and _verb_s("applies") is False
    assert not _verb_s("shows") and not _verb_s("services") and not _verb_s("pumps")
    spend = _lower(["Officers spend months writing bids.", "Our officers spend months on it."])
    assert verb_led("spend months", spend)
    assert not verb_led("capital spend", _lower(["The capital spend rose.", "Capital spend."]))
