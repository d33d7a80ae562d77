"""Hits and misses of the analysis's per-text caches (:mod:`analysis.remembered`) over one
whole CLI run, as ``bench.scale`` runs it (fast engine, auto themes, a partner-type segment).

``python -m bench.text_cache_hits INPUT.csv OUT_DIR``: runs ``consult-analyse themes`` on
``INPUT.csv`` (written by ``bench.scale.make_input``) in this process, then prints each cache's
``cache_info()`` as one JSON line, and the process's peak resident set size. Works on a tree
whose caches are ``functools.lru_cache`` too (no character counts there).
"""

from __future__ import annotations

import json
import resource
import sys

from analysis import remembered
from analysis.cli import main as analyse


def main(argv: list[str] | None = None) -> None:
    source, out = (argv if argv is not None else sys.argv[1:])[:2]
    code = analyse(
        [
            "themes",
            source,
            "--text-column",
            "text",
            "--id-column",
            "id",
            "--segment-column",
            "partner_type",
            "--quiet",
            "--engine",
            "fast",
            "--threads",
            "1",
            "--out",
            out,
        ]
    )
    for cached in remembered.caches():
        info = cached.cache_info()._asdict()
        print(json.dumps({"cache": cached.__qualname__, **info}))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"exit": code, "peak_mb": round(peak)}))


if __name__ == "__main__":
    main()
