"""The analysis's per-text caches, and :func:`forget` to empty them between jobs.

Several pure functions remember their answer per text or sentence so that one run reads each
answer once (BENCHMARKS "scale": up to 200,000-262,144 entries each, enough for a
100,000-answer run). A command-line run ends with its process; a job worker or web process
lives on, and its caches would stay full of earlier runs' answers: measured on NHS patient
feedback (review20), about 2.7 KB per ~100-character answer and 5 KB per ~430-character one
over the four largest caches, so 0.5-1 GB a process once full. The worker calls
:func:`forget` when it has no job left, and the web app after each report request (review edits
run analysis in the request), so a process holds at most its current work's texts.
"""

from __future__ import annotations

from collections.abc import Callable


def caches() -> list[Callable]:
    """Every ``functools.lru_cache`` the analysis keeps per text, word or sentence."""
    from . import describe, label_points, quote_points, repeats, signoff, statements

    return [
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
