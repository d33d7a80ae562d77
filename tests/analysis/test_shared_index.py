""":func:`analysis.fit.shared_sentences` looks for a sentence key only in the texts holding
one of its inner words (BENCHMARKS "scale": it had tried every key on every distinct text);
the answer must be the one trying every key gives."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np

from analysis import fit as fitmod
from analysis.describe import plain_words

SENTENCES = [
    "Local control means decisions are made by people who know the region.",
    "Buses are late every single evening in town.",
    "The buses are late every single evening in town centres.",  # the above inside other words
    "Rebuses are late every single evening.",  # the key's first word inside a longer word
    "Fund skills for young people across the region.",
    "Thank you for the chance to respond.",
    "My cat prefers tuna to chicken.",
    "Honestly, fund skills for young people across the region!",
    "Work with the DWP on employment support.",
]


def _every_key_tried(texts: list[str], rows: list[int], least: int = fitmod.SHARED_MIN):
    """The search before the index: every key looked for in every distinct text."""
    wanted = [fitmod.sentence_keys(texts[row]) for row in rows]
    keys = set().union(*wanted)
    counts = dict.fromkeys(keys, 0)
    for text, times in Counter(texts).items():
        words = plain_words(text)
        hits = [key for key in keys if key in words]
        own = fitmod.sentence_keys(text) if hits else set()
        for key in hits:
            counts[key] += times if key in own else 0
    return np.array([any(counts[k] - 1 >= least for k in found) for found in wanted], dtype=bool)


def test_the_index_finds_what_trying_every_key_finds():
    rng = random.Random(3)
    texts = [" ".join(rng.sample(SENTENCES, rng.randint(1, 2))) for _ in range(30)]
    texts += [f"Road {i} is the one I use most. {rng.choice(SENTENCES)}" for i in range(40)]
    texts += [f"Nobody else says that road {i} needs mending soon." for i in range(40)]
    rows = sorted(rng.sample(range(len(texts)), 60))
    shared = fitmod.shared_sentences(texts, rows)
    assert shared.tolist() == _every_key_tried(texts, rows).tolist()
    assert shared.any() and not shared.all()


def test_a_short_key_is_still_looked_for():
    keys = {"buses are late", "a b", "local control means decisions"}
    filed = fitmod._keys_by_inner_word(keys)
    assert sorted(k for found in filed.values() for k in found) == sorted(keys)
    assert filed[""] == ["a b"]
