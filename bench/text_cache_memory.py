"""Memory held by the analysis's per-text caches (:mod:`analysis.remembered`), measured with
tracemalloc on distinct NHS patient-feedback answers (review20, anlft).

``python -m bench.text_cache_memory [--longer-than CHARS] [--count N]``: the bytes each cache
adds per answer (per text for the text caches, per sentence for :func:`analysis.quote_points.
said`, per word for the stems), per character it is charged (the text's length plus
:data:`analysis.remembered.ENTRY_CHARS`), and what each holds when full (its ``max_chars``).
"""

from __future__ import annotations

import argparse
import csv
import gc
import re
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from analysis import describe, label_points, quote_points, remembered, repeats, signoff, statements

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
    words = list(dict.fromkeys(w for t in texts for w in re.findall(r"[a-z]{3,}", t.lower())))
    said = [s for t in texts for s in statements.sentences(t)]
    remembered.forget()
    tracemalloc.start()
    # In this order, each cache's row finds the ones it calls already filled, so it adds its
    # own entries only (said's includes the content words of the sentences it strips). Its
    # keys are counted where a run holds them only for the cache: the answers once (with the
    # sentences, as review20 did), the words; a quote's sentences are the sentence cache's.
    rows = [
        ("sentences", statements._sentences, texts, statements.sentences, True),
        ("said_sentences", signoff._said_sentences, texts, signoff.said_sentences, False),
        ("said_key", describe.said_key, texts, describe.said_key, False),
        ("stem", label_points._stem, words, label_points._stem, True),
        ("plain", repeats._plain, texts, repeats._plain, False),
        ("content_words", label_points._content_words, texts, label_points.content_words, False),
        ("said", quote_points.said, said, quote_points.said, False),
    ]
    mean_chars = sum(map(len, texts)) / len(texts)
    print(f"{len(texts):,} distinct answers, {mean_chars:.0f} characters on average")
    total = 0.0
    for name, cached, keys, call, own_keys in rows:
        keys = list(dict.fromkeys(keys))
        key_bytes = sum(sys.getsizeof(k) for k in keys) if own_keys else 0
        added = _added(lambda keys=keys, call=call: [call(k) for k in keys]) + key_bytes
        charged = sum(len(k) + remembered.ENTRY_CHARS for k in keys)
        per_char = added / charged
        full = per_char * cached.max_chars / 1e6
        total += full
        print(
            f"{name}: {added / len(keys):,.0f} bytes an entry ({len(keys):,} entries, "
            f"{charged / len(keys):,.0f} characters charged each), {per_char:.2f} bytes a "
            f"character; full ({cached.max_chars / 1e6:,.0f}M characters): {full:,.0f} MB"
        )
    remembered.forget()
    print(f"all full: about {total:,.0f} MB")


if __name__ == "__main__":
    main()
