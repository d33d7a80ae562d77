"""Cleaning: normalise text, mask personal data, set aside non-substantive answers, and find
exact and near-duplicate answers (campaigns and templates)."""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .flags import CAMPAIGN_MIN_SIZE, CAMPAIGN_MIN_WORDS

# --- normalising -------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


# The zero width non-joiner U+200C and joiner U+200D: part of a word in Persian ("می‌خواهم"),
# Indic scripts (after a virama) and emoji sequences (👨‍👩‍👧, 🏳️‍🌈), so kept where they join
# two of :func:`_joins`'s characters; anywhere else (at an edge, beside a space or a
# punctuation mark) they join nothing and go with the other format characters.
JOINERS = "\u200c\u200d"


def _joins(char: str) -> bool:
    """Whether a joiner beside ``char`` can be joining it: a letter, digit or combining
    mark (a virama, an emoji's variation selector U+FE0F), an emoji (a symbol, category
    "So") or an emoji's skin tone (U+1F3FB-U+1F3FF)."""
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "So" or "\U0001f3fb" <= char <= "\U0001f3ff"


def _latin(char: str) -> bool:
    """Whether ``char`` is an ASCII character or a Latin letter: no script written in them
    joins its letters with a joiner, so one between two of them joins nothing ("clo\u200dsure"
    is "closure" with a hidden mark, as zero width characters watermark a campaign's copies)."""
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN ")


def _kept(text: str, index: int) -> bool:
    """Whether the character at ``index`` of a normalised ``text`` stays: anything but a
    control or format character, a line break or tab (made a space later), and a joiner
    between two characters it can join."""
    char = text[index]
    if char in "\n\t" or unicodedata.category(char)[0] != "C":
        return True
    return (
        char in JOINERS
        and 0 < index < len(text) - 1
        and _joins(text[index - 1])
        and _joins(text[index + 1])
        and not (_latin(text[index - 1]) and _latin(text[index + 1]))
    )


def normalise(text: str | None) -> str:
    """NFKC Unicode, plain quotes and dashes, no control or format characters (but a
    zero width joiner or non-joiner inside a word or an emoji sequence: :data:`JOINERS`),
    single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES)
    # A printable text has no character of a "C" (other) category: nothing to take out.
    if not text.isprintable():
        text = "".join(text[i] for i in range(len(text)) if _kept(text, i))
    return _SPACE.sub(" ", text).strip()


# --- personal data -------------------------------------------------------------------------

_NAME = r"[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){0,2}"
PII_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    ("email", re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"), "[email]"),
    ("url", re.compile(r"\b(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)]", re.I), "[url]"),
    (
        "phone",
        re.compile(
            r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?!\w)"
        ),
        "[phone]",
    ),
    (
        "postcode",
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.I),
        "[postcode]",
    ),
    ("name", re.compile(r"(\b(?i:my name is|i am called) )" + _NAME), r"\1[name]"),
    (
        "name",
        re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor|Prof)\.?\s+" + _NAME),
        "[name]",
    ),
    (
        "name",
        re.compile(
            r"(\b(?i:regards|sincerely|faithfully|thanks|thank you|cheers|best wishes),?\s+)"
            + _NAME
            + r"\s*$"
        ),
        r"\1[name]",
    ),
]


def mask_personal_data(text: str) -> tuple[str, Counter[str]]:
    """Replace emails, URLs, UK phone numbers and postcodes, and detectable names."""
    counts: Counter[str] = Counter()
    for kind, pattern, replacement in PII_PATTERNS:
        text, found = pattern.subn(replacement, text)
        if found:
            counts[kind] += found
    return text, counts


# --- non-substantive answers ----------------------------------------------------------------

FILLER_WORDS = frozenset(
    [
        "nothing",
        "no",
        "none",
        "nope",
        "nil",
        "na",
        "n",
        "a",
        "not",
        "thing",
        "things",
        "really",
        "at",
        "all",
        "absolutely",
        "comes",
        "come",
        "to",
        "mind",
        "can't",
        "cannot",
        "cant",
        "think",
        "of",
        "anything",
        "don't",
        "dont",
        "know",
        "much",
        "sure",
        "comment",
        "comments",
        "further",
        "applicable",
        "see",
        "above",
        "as",
        "else",
        "i",
        "im",
        "i'm",
        "it",
        "its",
        "that",
        "this",
        "is",
        "was",
        "be",
        "been",
        "could",
        "would",
        "have",
        "has",
        "done",
        "say",
        "add",
        "zero",
        "very",
        "little",
        "more",
        "the",
        "answer",
        "same",
        "previous",
        "response",
        "question",
        "my",
        "our",
        "we",
        "unsure",
        "idk",
        "blank",
        "nothing's",
        "nowt",
        "nada",
        "none's",
        "n/a",
    ]
)
_NON_SUBSTANTIVE = re.compile(
    r"^(?:n/?a|tbc|\?+|-+|\.+|x+|0|same as (?:above|before)|see (?:above|below|previous|attached)"
    r"|as (?:above|before)|no comments?|no further comments?|no view|no opinion)[\s.!]*$",
    re.I,
)
_WORD = re.compile(r"[a-z']+|n/a", re.I)


# A filler core said inside a sentence: "Overall, no further comments in Coventry.",
# "We think n/a for our members.", "Thank you for the chance to respond."
_FILLER_CORE = re.compile(
    r"(?<![\w'])(?:n/?a|not applicable|nothing (?:further |more |else )?to (?:add|say)"
    r"|no (?:further |other |additional |more )?(?:comments?|views?|opinions?|remarks?)"
    r"|(?:many )?thanks?(?: you)?(?: very much)?(?: for (?:the|this|your) (?:chance|opportunity"
    r"|invitation)(?: to (?:respond|comment|contribute|take part|have (?:our|my) say))?)?"
    r"|(?:same as|see|as) (?:above|before|previous(?: answers?)?))(?![\w'])",
    re.I,
)


# Words that may frame a filler core without adding anything to theme: openers ("In our
# view,", "We think") and short trailing places or groups ("in Coventry", "for our members").
def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


FRAME_WORDS = _word_set(
    """we i our my us and members member organisation partners partner think believe feel
    say view opinion overall honestly simply put from experience as a an the in on for at
    across over to of with within around throughout this these that this its region area
    areas particular people young parts rural next five years if is deal succeed priority
    organisations like ours generally personally basically so well ok okay yes also really
    just then here time now moment stage point"""
)
# Words that turn a filler into a statement: "no comment on housing, but buses are late".
_TURNS = _word_set(
    """but however except although though apart unless because since should must need needs
    want wants would could will can cannot can't don't won't not please why what"""
)
FILLER_MAX_WORDS = 18
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
FILLER_TAIL_WORDS = 8


def _frame_only(text: str, tail: bool) -> bool:
    """True when ``text`` (what surrounds a filler core) adds nothing to theme: no sentence
    break, no word that turns the filler into a statement, and only framing words and
    capitalised place names (``tail``: a short phrase after the core, starting with a
    preposition)."""
    if re.search(r"[.;:!?]\s*\w", text.strip()):
        return False
    words = _WORD.findall(text)
    if not words:
        return True
    lowered = [w.lower() for w in words]
    if any(w in _TURNS for w in lowered):
        return False
    if tail and (len(words) > FILLER_TAIL_WORDS or lowered[0] not in FRAME_WORDS):
        return False
    return all(
        w in FRAME_WORDS or w in FILLER_WORDS or (tail and original[:1].isupper())
        for w, original in zip(lowered, words, strict=True)
    )


def is_filler(text: str) -> bool:
    """True for a filler said in a sentence: 'Overall, no further comments in Coventry.',
    'We think n/a for our members.', 'Thank you for the chance to respond.' The words
    around the filler must only frame it (an opener, a short place or group after it);
    'No comment on fares, but buses are late' is not filler."""
    text = (text or "").strip()
    if len(_WORD.findall(text)) > FILLER_MAX_WORDS:
        return False
    found = _FILLER_CORE.search(text)
    if found is None:
        return False
    before = text[: found.start()]
    after = text[found.end() :].strip(" \t\n.!,")
    return _frame_only(before.rstrip(" ,"), tail=False) and _frame_only(after, tail=True)


_SIGN_OFF = re.compile(
    r"^\s*(?:(?:this response (?:is|was) )?(?:signed|submitted|sent|written)\s+)?(?:for and )?"
    r"on behalf of\s+[^.;:!?]{1,80}[.!]?\s*$"
    r"|^\s*(?:(?:kind|best|warm|many) )?regards\b[^.;:!?]{0,60}[.!]?\s*$"
    r"|^\s*yours (?:sincerely|faithfully|truly)\b[^.;:!?]{0,60}[.!]?\s*$",
    re.I,
)
SIGN_OFF_MAX_WORDS = 14
# A subject that starts a clause of its own: "On behalf of our members, we urge ...".
_SUBJECTS = _word_set("i we you they he she it")


def is_sign_off(text: str) -> bool:
    """True for a sign-off: 'Signed on behalf of Dudley Chamber of Commerce.', 'Kind
    regards, Jo', 'Yours sincerely'. 'On behalf of our members, we think ...' and 'On behalf
    of our members, we urge ...' are not: a sign-off has no clause of its own."""
    text = (text or "").strip()
    if not text or len(_WORD.findall(text)) > SIGN_OFF_MAX_WORDS or not _SIGN_OFF.match(text):
        return False
    return not any(w.lower() in _TURNS | _SUBJECTS for w in _WORD.findall(text))


def is_non_substantive(text: str) -> bool:
    """True for answers with nothing to theme: empty, 'n/a', 'no comment', 'see above',
    'nothing', short answers made only of filler and negation words, fillers framed by an
    opener or a short place or group ('Overall, no further comments in Coventry.'),
    sign-offs (:func:`is_sign_off`), and answers whose every sentence is one of these."""
    if not text or _NON_SUBSTANTIVE.match(text):
        return True
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return True
    if len(words) <= 10 and all(word in FILLER_WORDS for word in words):
        return True
    parts = [part for part in _SENTENCE_END.split(text.strip()) if part.strip()]
    if len(parts) > 1:  # "Overall, n/a. Thank you for the chance to respond."
        return all(is_non_substantive(part) for part in parts)
    return is_filler(text) or is_sign_off(text)


# A form's field and its tick-box value, "Rang pt before visit: Yes", "Leaflet given - N/A":
# a note of what was done, not a point an answer makes (smoke9 finding 14: "Rang pt before
# vIsIt: Yes" shown as a summary point made by "about 57 of 120").
_FORM_NOTE = re.compile(
    r"^\s*(?P<field>[^:;.!?]{2,60}?)\s*(?::|\s[-\u2013]\s)\s*"
    r"(?:yes|no|y|n|n/?a|none|done|ok|true|false|unknown|not applicable|not known)"
    r"\s*[.!]?\s*$",
    re.IGNORECASE,
)
FORM_NOTE_MAX_FIELD_WORDS = 8


def is_form_note(text: str) -> bool:
    """True for a form's field and its yes/no value, "Rang pt before visit: Yes" or "Consent
    given - N/A" (a field of at most :data:`FORM_NOTE_MAX_FIELD_WORDS` words): a record, not a
    point, so never a summary point. "Yes: the staff were kind." is not one."""
    found = _FORM_NOTE.match(text or "")
    return bool(found) and len(_WORD.findall(found["field"])) <= FORM_NOTE_MAX_FIELD_WORDS


# --- duplicates and campaigns ----------------------------------------------------------------

_KEY = re.compile(r"[^a-z0-9]+")
# What makes a campaign: CAMPAIGN_MIN_WORDS and CAMPAIGN_MIN_SIZE, from analysis.flags (imported
# above), so the web app's report wording can name them without importing NumPy.


def duplicate_key(text: str) -> str:
    """The text with case, punctuation and spacing removed: equal keys are exact duplicates."""
    return _KEY.sub(" ", text.lower()).strip()


@dataclass
class Duplicates:
    """Duplicate groups over the input rows."""

    group: list[int]  # per row: group number (>= 0) or -1 when the answer is unique
    campaign: list[bool]  # per row: True when its group is a campaign (a long copied text)
    sizes: dict[int, int] = field(default_factory=dict)

    @property
    def campaign_count(self) -> int:
        return len({g for g, c in zip(self.group, self.campaign, strict=True) if c})

    @property
    def campaign_responses(self) -> int:
        return sum(self.campaign)


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _shingles(key: str, size: int = 3) -> set[int]:
    words = key.split()
    return {
        zlib.crc32(" ".join(words[i : i + size]).encode())
        for i in range(max(1, len(words) - size + 1))
    }


_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)


def _mixed(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser over unsigned 64-bit values: every input bit moves every output
    bit, so each of MinHash's "permutations" (a random mask, then this) picks its minimum
    shingle independently of the others. A linear hash ``(a * x + b) mod p`` with 31-bit
    ``a`` barely wraps, stays nearly in the order of ``x``, and so let the same small shingle
    win most permutations: two texts a few words apart could agree on a fifth of their
    signature, not the 85% their Jaccard similarity says, and a campaign's copies with
    another signature line were missed (smoke14)."""
    with np.errstate(over="ignore"):
        values = (values ^ (values >> np.uint64(30))) * _MIX_1
        values = (values ^ (values >> np.uint64(27))) * _MIX_2
    return values ^ (values >> np.uint64(31))


def near_duplicate_pairs(
    keys: list[str], threshold: float = 0.7, seed: int = 0, permutations: int = 64, bands: int = 16
) -> list[tuple[int, int]]:
    """Pairs of keys whose word 3-shingle Jaccard similarity is at least ``threshold``,
    found with MinHash and locality-sensitive hashing (deterministic for a seed)."""
    if len(keys) < 2:
        return []
    shingle_sets = [_shingles(key) for key in keys]
    rng = np.random.default_rng(seed)
    masks = rng.integers(0, np.iinfo(np.uint64).max, size=permutations, dtype=np.uint64)
    signatures = np.empty((len(keys), permutations), dtype=np.uint64)
    for index, shingles in enumerate(shingle_sets):
        values = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
        signatures[index] = _mixed(values[:, None] ^ masks).min(axis=0)
    rows = permutations // bands
    candidates: set[tuple[int, int]] = set()
    for band in range(bands):
        buckets: dict[bytes, list[int]] = {}
        block = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows])
        for index in range(len(keys)):
            buckets.setdefault(block[index].tobytes(), []).append(index)
        for members in buckets.values():
            if 1 < len(members) <= 500:
                first = members[0]
                candidates.update((first, other) for other in members[1:])
    pairs = []
    for i, j in sorted(candidates):
        union = len(shingle_sets[i] | shingle_sets[j])
        if union and len(shingle_sets[i] & shingle_sets[j]) / union >= threshold:
            pairs.append((i, j))
    return pairs


def find_duplicates(texts: list[str], seed: int = 0) -> Duplicates:
    """Group exact duplicates (same words) and near-duplicates of longer answers."""
    keys = [duplicate_key(text) for text in texts]
    unique_keys: dict[str, int] = {}
    key_index = []
    for key in keys:
        key_index.append(unique_keys.setdefault(key, len(unique_keys)))
    ordered_keys = list(unique_keys)
    finder = _UnionFind(len(ordered_keys))
    long_keys = [i for i, key in enumerate(ordered_keys) if len(key.split()) >= CAMPAIGN_MIN_WORDS]
    for i, j in near_duplicate_pairs([ordered_keys[i] for i in long_keys], seed=seed):
        finder.union(long_keys[i], long_keys[j])
    roots = [finder.find(key_index[row]) for row in range(len(texts))]
    counts = Counter(roots)
    numbering: dict[int, int] = {}
    group, campaign = [], []
    for row, root in enumerate(roots):
        if counts[root] < 2 or not keys[row]:
            group.append(-1)
            campaign.append(False)
            continue
        number = numbering.setdefault(root, len(numbering))
        group.append(number)
        campaign.append(
            len(ordered_keys[root].split()) >= CAMPAIGN_MIN_WORDS
            and counts[root] >= CAMPAIGN_MIN_SIZE
        )
    sizes = Counter(g for g in group if g >= 0)
    return Duplicates(group, campaign, dict(sizes))


@dataclass
class CleanedTexts:
    """The cleaned input: masked texts, flags and duplicate groups, row by row."""

    texts: list[str]
    non_substantive: list[bool]
    duplicates: Duplicates
    pii_counts: Counter[str]
    pii_rows: list[list[str]]  # per row: kinds of personal data masked


def clean_texts(raw: list[str | None], seed: int = 0) -> CleanedTexts:
    """Normalise and mask every answer, flag non-substantive ones, group duplicates."""
    texts, pii_rows = [], []
    totals: Counter[str] = Counter()
    cache: dict[str, tuple[str, Counter[str]]] = {}
    normalised: dict[str, str] = {}  # each distinct answer normalised once
    for value in raw:
        if isinstance(value, str):
            text = normalised.get(value)
            if text is None:
                text = normalised[value] = normalise(value)
        else:
            text = normalise(value)
        if text not in cache:
            cache[text] = mask_personal_data(text)
        masked, counts = cache[text]
        texts.append(masked)
        pii_rows.append(sorted(counts))
        totals.update(counts)
    substantive_cache: dict[str, bool] = {}
    non_substantive = []
    for text in texts:
        if text not in substantive_cache:
            substantive_cache[text] = is_non_substantive(text)
        non_substantive.append(substantive_cache[text])
    duplicates = find_duplicates(texts, seed=seed)
    return CleanedTexts(texts, non_substantive, duplicates, totals, pii_rows)
