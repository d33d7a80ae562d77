"""Memory held per entry by the analysis's per-text caches (:mod:`analysis.remembered`),
measured with tracemalloc on distinct NHS patient-feedback answers (review20).

``python -m bench.text_cache_memory [--longer-than CHARS] [--count N]``: the bytes each cache
adds per answer (per text for the text caches, per answer's sentences for
:func:`analysis.quote_points.said`), and what each would hold full.
"""

from __future__ import annotations

import argparse
import csv
import gc
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from analysis import describe, quote_points, remembered, signoff, statements

DATA = Path("/work/shared/data/nhs_fft_phase1.csv")


def _added(step: Callable[[], object]) -> int:
    """Bytes still allocated after ``step`` (its results dropped) that were not before."""
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    step()
    gc.collect()
    return tracemalloc.get_traced_memory()[0] - before


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--longer-than", type=int, default=0, metavar="CHARS")
    parser.add_argument("--count", type=int, default=5000)
    args = parser.parse_args(argv)
    with DATA.open(encoding="utf-8") as handle:
        answers = [row["feedback"] for row in csv.DictReader(handle)]
    wanted = [t for t in answers if t.strip() and len(t) > args.longer_than]
    texts = [t + " " for t in dict.fromkeys(wanted)][: args.count]  # fresh string objects
    statements.sentences("Warm up. The sentence splitter loads once.")
    quote_points.said("Warm up the opener tables.")
    remembered.forget()
    key_bytes = sum(sys.getsizeof(t) for t in texts) / len(texts)
    tracemalloc.start()
    rows = [
        ("sentences", statements._sentences, lambda: [statements.sentences(t) for t in texts]),
        (
            "said_sentences",
            signoff._said_sentences,
            lambda: [signoff.said_sentences(t) for t in texts],
        ),
        ("said_key", describe.said_key, lambda: [describe.said_key(t) for t in texts]),
    ]
    mean_chars = sum(map(len, texts)) / len(texts)
    print(f"{len(texts):,} distinct answers, {mean_chars:.0f} characters on average")
    total = 0.0
    for name, cached, step in rows:
        each = _added(step) / len(texts) + (key_bytes if name == "sentences" else 0)
        full = each * cached.cache_info().maxsize / 1e6
        total += full
        size = cached.cache_info().maxsize
        print(f"{name}: {each:,.0f} bytes an answer; full ({size:,}): {full:,.0f} MB")
    said = [s for t in texts for s in statements.sentences(t)]
    each = _added(lambda: [quote_points.said(s) for s in said]) / len(said)
    full = each * quote_points.said.cache_info().maxsize / 1e6
    total += full
    per = len(said) / len(texts)
    print(f"said: {each:,.0f} bytes a sentence ({per:.2f} an answer); full: {full:,.0f} MB")
    print(f"the four full: about {total:,.0f} MB")


if __name__ == "__main__":
    main()
