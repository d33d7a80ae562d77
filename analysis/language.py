"""Whether answers look English: the themes' keywords, labels, summaries and sentiment are
built for English, so a run on answers mostly in another language says so rather than
reporting Spanish answers as "neutral". A light test, no language model: an answer of three
or more words looks English when it has one of the commonest English words; one written
mostly in another script does not."""

from __future__ import annotations

import re

# The commonest English words (function words and a few survey staples): nearly every
# English answer of three or more words has one.
COMMON = frozenset(
    [
        "a",
        "about",
        "all",
        "also",
        "am",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "there",
        "they",
        "this",
        "to",
        "too",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
        "should",
        "much",
        "staff",
        "good",
        "nothing",
    ]
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
LEAST_WORDS = 3  # shorter answers ("Parking", "Très bien") are not judged
MOSTLY = 0.5  # above this share of the judged answers not looking English, the run says so


def looks_english(text: str) -> bool | None:
    """True or False for an answer of three or more words; None for a shorter one (too short
    to tell). Mostly non-Latin letters (Japanese, Arabic, ...) is not English."""
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in letters) < 0.5 * len(
        letters
    ):
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < LEAST_WORDS:
        return None
    return any(word in COMMON for word in words)


def not_english_warning(texts: list[str]) -> str:
    """A warning when most answers long enough to judge do not look English, else ""."""
    judged = [verdict for verdict in map(looks_english, texts) if verdict is not None]
    foreign = sum(not verdict for verdict in judged)
    if not judged or foreign <= MOSTLY * len(judged):
        return ""
    return (
        f"{foreign:,} of the {len(judged):,} answers of three or more words do not look "
        "English: the keywords, labels, summaries and sentiment are built for English, so "
        "read the themes' answers before relying on them"
    )
