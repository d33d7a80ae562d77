"""Support given on a condition, read as qualified support rather than praise (sent26, issue 12).

Answering a call for views, "Control is welcome if the funding formula protects the smaller
boroughs", "We support this provided that the money is ring-fenced" and "This would be good
as long as small providers are protected" support a proposal on a condition, and the
condition is usually the point: often a worry (the smaller boroughs may lose out). VADER reads
the approval ("welcome", "fine", "support") and the condition's hoped-for words ("protects",
"free") as praise: +0.65 for the first, as warm as "Control is welcome." alone.

:func:`is_conditional_support` finds such a sentence: an approval (a copula and an approving
word, "is welcome", "would be good", "are fine to use"; or a person's "we support", "I would
welcome", "we agree with") followed in its clause by a condition ("if", "only if", "provided
(that)", "providing", "as long as", "so long as", "on (the) condition that", "subject to",
"unless"), or a sentence opening with the condition ("As long as the free courses stay,
devolution is fine."). Not a condition: "even if" (support whatever happens), "if needed",
"if you need anything" and the like (a service there when wanted), nor "if" after a verb of
asking or deciding. :func:`without_conditional_praise` gives the text with the words VADER
scores positive taken out of those sentences (the approval and what the condition hopes
for) and the condition's negations too, so its worry reads as one ("as long as colleges do
not lose out" reads "lose out", not VADER's praise for "not lose"); the sentiment rules read it
beside the whole text (:data:`analysis.sentiment.CONDITION_WEIGHT`).

Pure and deterministic: the same text always gives the same result.
"""

from __future__ import annotations

import re

# An approving word after a copula ("is welcome", "would be fine", "can be a good thing").
_APPROVING = (
    r"(?:welcome|fine|good|great|ok|okay|acceptable|sensible|reasonable|positive|beneficial|"
    r"useful|helpful|worthwhile|sound|right|happy|content|glad|pleased|supportive|"
    r"a (?:good|great|positive|sensible|welcome|useful|reasonable) \w+)"
)
_COPULA = r"(?:is|are|was|were|be|been|'s|'re|seems?|seemed|remains?)"
_MODIFIER = (
    r"(?:also|still|only|perfectly|quite|very|broadly|generally|probably|really|entirely|"
    r"largely|in principle|more than|absolutely|certainly)"
)
_APPROVAL_STATE = rf"\b{_COPULA}\s+(?:{_MODIFIER}\s+){{0,2}}{_APPROVING}\b"
# A person approving: "we support", "I would welcome", "we broadly agree with".
_APPROVAL_ACT = (
    r"\b(?:we|i|they)\s+(?:(?:would|could|can|do|does|will|also|broadly|fully|generally|"
    r"strongly|therefore|still|only|in principle|happily)\s+){0,3}"
    r"(?:support|welcome|accept|agree|back|endorse|favour|favor)s?\b"
)
_APPROVAL = rf"(?:{_APPROVAL_STATE}|{_APPROVAL_ACT})"
# "provided" / "providing" opening a clause ("provided the money is ring-fenced"), not a
# participle ("the service provided"): followed by "that" or a clause's first word.
_NEXT = (
    r"\s+(?:the|a|an|it|they|we|there|this|these|those|our|their|its|his|her|you|he|she|"
    r"all|every|each|no|any|enough|some|everyone|nobody|councils?|funding|money)\b"
)
# The condition that qualifies it.
_CONDITION = (
    r"(?:(?<!even )(?<!as )(?<!and )(?<!or )\bif\b|\bonly if\b|"
    rf"\bprovid(?:ed|ing)(?= that\b|{_NEXT})|"
    r"\bas long as\b|\bso long as\b|\bon (?:the )?condition that\b|\bsubject to\b|\bunless\b)"
)
# Conditions that are no reservation: a service there when wanted.
_GENERIC = re.compile(
    r"^(?:if|only if|provided|providing)\s+(?:(?:needed|necessary|required|possible|ever|"
    r"need be|so)\b|(?:you|i|we|they|he|she|one|anyone|someone|somebody|people)\s+"
    r"(?:\w+\s+)?(?:need|needs|needed|want|wants|wanted|wish|wishes|wished|like|liked|"
    r"require|required|choose|chooses|so)\b)",
    re.I,
)
# An approval inside a condition or an indirect question ("asking if everything is okay").
_ASKED = re.compile(r"\b(?:if|whether)\b", re.I)
# The approval, then up to a few words in its clause, then the condition.
_AFTER = re.compile(rf"{_APPROVAL}(?:\s+[^.!?;:,]{{0,40}}?)?,?\s+(?P<cond>{_CONDITION}.*)", re.I)
# A sentence opening with the condition, its clause with the approval after a comma.
_BEFORE = re.compile(
    rf"^\s*(?:but\s+|and\s+|so\s+)?(?P<cond>{_CONDITION}[^.!?]{{1,120}}?),\s*[^.!?;]{{0,40}}?"
    rf"{_APPROVAL}",
    re.I,
)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# A negation inside the condition names the worry: "as long as colleges do not lose out"
# fears they lose out (VADER would read "not lose" as praise).
_NEGATOR = re.compile(r"\b(?:not|never|no longer)\b|(?<=\w)n't\b", re.I)


def condition_span(sentence: str) -> tuple[int, int] | None:
    """Where the condition of ``sentence``'s conditional support is (start, end), or None
    when the sentence gives no support on a condition (see the module docstring)."""
    for pattern in (_AFTER, _BEFORE):
        for match in pattern.finditer(sentence or ""):
            if _GENERIC.match(match.group("cond")):
                continue
            if pattern is _AFTER and _ASKED.search(sentence, 0, match.start()):
                continue  # "asking if everything is okay": the approval is asked about
            return match.span("cond")
    return None


def is_conditional_support(sentence: str) -> bool:
    """Whether ``sentence`` approves of something on a condition (see the module docstring)."""
    return condition_span(sentence) is not None


def conditional_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that give support on a condition, stripped, in order."""
    return [s.strip() for s in _SENTENCE.findall(text or "") if is_conditional_support(s)]


def without_conditional_sentences(text: str) -> str:
    """``text`` without its sentences giving support on a condition ("" when it has only
    those); ``text`` itself when it has none."""
    sentences = _SENTENCE.findall(text or "")
    kept = [s.strip() for s in sentences if not is_conditional_support(s)]
    return text if len(kept) == len(sentences) else " ".join(s for s in kept if s)


def without_conditional_praise(text: str, lexicon: dict[str, float]) -> str:
    """``text`` with the words VADER's ``lexicon`` scores positive taken out of each
    sentence giving support on a condition (the approval and what the condition hopes for),
    and the condition's negations ("not", "never", "n't"), so a worry it names reads as one;
    negative words and every other sentence stay as they are. ``text`` itself when it has no
    such sentence."""
    parts, changed = [], False
    for sentence in _SENTENCE.findall(text or ""):
        span = condition_span(sentence)
        if span is not None:
            start, end = span
            condition = _NEGATOR.sub("", sentence[start:end])
            kept = _WORD.sub(
                lambda m: "" if lexicon.get(m.group(0).lower(), 0.0) > 0 else m.group(0),
                sentence[:start] + condition + sentence[end:],
            )
            kept = re.sub(r"\s{2,}", " ", kept)
            kept = re.sub(r"\s+([.!?,;:])", r"\1", kept)
            changed = changed or kept != sentence
            sentence = kept
        parts.append(sentence.strip())
    return " ".join(p for p in parts if p) if changed else text
