"""The analysis's per-text caches, bounded by the characters they hold, and :func:`forget` to
empty them between jobs.

Several pure functions remember their answer per text, sentence or word so that one run reads
each answer once (BENCHMARKS "scale"). Each is a :class:`TextCache`: it keeps the texts last
asked about up to a total of characters (:func:`remember_texts`), not up to a number of
entries, so what it holds is bounded however long the answers are; each entry is charged
:data:`ENTRY_CHARS` on top of its text's length, for the memory every entry takes whatever its
size (BENCHMARKS "anlft"). A function of a whole set of answers (a theme's, whose clauses
its keywords read) is a :class:`TextsCache` (:func:`remember_text_sets`), each entry charged as
many entries as it holds answers. A command-line run ends with its process; a job worker or web
process lives on, and its caches would stay full of earlier runs' answers. The worker calls
:func:`forget` when it has no job left, and the web app after each report request (review
edits run analysis in the request), so a process holds at most its current work's texts.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, NamedTuple, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")

ENTRY_CHARS = 64
"""What each remembered entry costs beyond its text's characters: the memory any entry takes
(its key and value objects, the table's slot and links) is a few hundred bytes, about what 64
characters of text and their answer take (BENCHMARKS "anlft")."""

# The bounds, each a little over what a 100,000-answer run asks of its cache, so that such a
# run forgets nothing (BENCHMARKS "anlft": bench.scale's 100,000 answers, 93,195 distinct of 61
# characters on average, charged at most 12.9 million characters, to the sentence cache, and
# 11.0 million, 10.9 million and 1.0 million to the others). Full, they hold about 350 MB in
# all, however long the answers (measured by bench.text_cache_memory).
ANSWER_CHARS = 16_000_000
"""Per whole answer (its sentences, its sentences without the sign-off, its quote key, its
word pieces)."""
SENTENCE_CHARS = 16_000_000
"""Per sentence of an answer, as a quote compares it (:func:`analysis.quote_points.said`)."""
LABEL_CHARS = 16_000_000
"""Per answer, label or statement, as their words are compared (plain words, content words)."""
WORD_CHARS = 2_000_000
"""Per word (its Snowball stem)."""
CLAUSE_CHARS = 16_000_000
"""Per set of answers whose clauses a theme's keywords are read in
(:func:`analysis.keywords._clauses`), charged every answer in the set (:class:`TextsCache`):
a 100,000-answer run's themes, all of its answers between them, fit."""

_MISSING = object()


class TextCacheInfo(NamedTuple):
    """A :class:`TextCache`'s counts: calls answered from it and computed, entries held, and
    the characters held against the most it may hold (each entry charged its text's length
    plus :data:`ENTRY_CHARS`)."""

    hits: int
    misses: int
    currsize: int
    chars: int
    max_chars: int


class _CharBoundCache(Generic[Key, Value]):
    """A pure one-argument function remembered for the arguments last asked about, up to
    ``max_chars`` characters in all, each charged :meth:`_cost` (least recently used
    forgotten first). An argument that would cost more than ``max_chars`` alone is computed
    each time, never kept. Safe to call from several threads, as ``functools.lru_cache`` is;
    ``cache_info`` and ``cache_clear`` as there."""

    def __init__(self, function: Callable[[Key], Value], max_chars: int) -> None:
        functools.update_wrapper(self, function)
        self._function = function
        self.max_chars = max_chars
        self._entries: OrderedDict[Key, Value] = OrderedDict()
        self._chars = 0
        self._hits = 0
        self._misses = 0
        self._lock = threading.Lock()

    @staticmethod
    def _cost(key: Key) -> int:
        raise NotImplementedError

    def __call__(self, key: Key) -> Value:
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is not _MISSING:
                self._entries.move_to_end(key)
                self._hits += 1
                return value  # type: ignore[return-value]
            self._misses += 1
        value = self._function(key)
        self._keep(key, value)
        return value

    def get(self, key: Key, default: Value | None = None) -> Value | None:
        """``key``'s remembered value (counted as a hit, and now the most recent), else
        ``default`` (counted as a miss): for a caller that computes the keys it lacks all at
        once (a tokenizer's batch) and then :meth:`put` each."""
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is _MISSING:
                self._misses += 1
                return default
            self._entries.move_to_end(key)
            self._hits += 1
            return value  # type: ignore[return-value]

    def put(self, key: Key, value: Value) -> None:
        """Remember ``value`` as ``key``'s, as a call computing it would (the function's own
        answer: the cache stays a pure function's)."""
        self._keep(key, value)

    def _keep(self, key: Key, value: Value) -> None:
        cost = self._cost(key)
        if cost > self.max_chars:
            return
        with self._lock:
            if key not in self._entries:
                self._entries[key] = value
                self._chars += cost
                while self._chars > self.max_chars:
                    old, _ = self._entries.popitem(last=False)
                    self._chars -= self._cost(old)

    def cache_info(self) -> TextCacheInfo:
        """Hits, misses, entries and characters held now."""
        with self._lock:
            return TextCacheInfo(
                self._hits, self._misses, len(self._entries), self._chars, self.max_chars
            )

    def cache_clear(self) -> None:
        """Forget every entry and the counts."""
        with self._lock:
            self._entries.clear()
            self._chars = self._hits = self._misses = 0


class TextCache(_CharBoundCache[str, Value]):
    """A pure one-text function remembered for the texts last asked about, up to
    ``max_chars`` characters in all, each entry charged its text's length plus
    :data:`ENTRY_CHARS` (see :class:`_CharBoundCache`)."""

    @staticmethod
    def _cost(key: str) -> int:
        return len(key) + ENTRY_CHARS


class TextsCache(_CharBoundCache[tuple[str, ...], Value]):
    """A pure function of a tuple of texts (a theme's answers, say) remembered for the
    tuples last asked about, up to ``max_chars`` characters in all: each entry charged every
    text's length plus :data:`ENTRY_CHARS` per text, as if each text were a
    :class:`TextCache` entry of its own (the answer holds about as much per text), so a
    tuple of many long answers counts for all of them, not as one entry."""

    @staticmethod
    def _cost(key: tuple[str, ...]) -> int:
        return sum(len(text) for text in key) + ENTRY_CHARS * max(len(key), 1)


def remember_texts(max_chars: int) -> Callable[[Callable[[str], Value]], TextCache[Value]]:
    """Decorator: ``function`` as a :class:`TextCache` holding up to ``max_chars`` characters."""

    def wrap(function: Callable[[str], Value]) -> TextCache[Value]:
        return TextCache(function, max_chars)

    return wrap


def remember_text_sets(
    max_chars: int,
) -> Callable[[Callable[[tuple[str, ...]], Value]], TextsCache[Value]]:
    """Decorator: ``function`` (of a tuple of texts) as a :class:`TextsCache` holding up to
    ``max_chars`` characters."""

    def wrap(function: Callable[[tuple[str, ...]], Value]) -> TextsCache[Value]:
        return TextsCache(function, max_chars)

    return wrap


def caches() -> list[_CharBoundCache]:
    """Every cache the analysis keeps per text, word, sentence or set of answers."""
    from . import (
        describe,
        keywords,
        label_points,
        quote_points,
        repeats,
        signoff,
        statements,
        static_vectors,
    )

    return [
        keywords._clauses,
        static_vectors.piece_ids,
        statements._sentences,
        signoff._said_sentences,
        describe.said_key,
        quote_points.said,
        repeats._plain,
        label_points._content_words,
        label_points._stem,
    ]


def forget() -> None:
    """Empty :func:`caches` (their functions are pure: only speed is lost, never an answer)."""
    for cached in caches():
        cached.cache_clear()
