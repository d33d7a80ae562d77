"""Whole-pipeline speed and memory at 10k, 100k and 1M responses.

    .venv/bin/python -m bench.scale [--sizes 10000 100000 1000000] [--write]

Responses are resampled from the shared datasets (NHS FFT, StackOverflow, Banking77) and
perturbed (words dropped, swapped and borrowed from other answers) so most are distinct, with
a partner-type segment column. Each size runs the CLI in a fresh process, which reports its
own per-stage timings (run.json); peak memory is that process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import machine, read_columns, write_section

PARTNER_TYPES = [
    "business",
    "business_body",
    "fe_college",
    "school",
    "university",
    "local_authority_constituent",
    "public_body",
    "vcse",
    "individual",
    "other",
]


def source_texts() -> list[str]:
    texts = [r[0] for r in read_columns("nhs_fft_phase1.csv", "feedback")]
    texts += [r[0] for r in read_columns("stackoverflow.csv", "text")]
    texts += [r[0] for r in read_columns("banking77_train.csv", "text")]
    return texts


def perturb(text: str, rng: random.Random, donors: list[str]) -> str:
    words = text.split()
    if len(words) > 3 and rng.random() < 0.5:
        del words[rng.randrange(len(words))]
    if len(words) > 3 and rng.random() < 0.3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    if rng.random() < 0.5:
        donor = rng.choice(donors).split()
        if donor:
            words.append(rng.choice(donor))
    return " ".join(words)


def make_input(path: Path, size: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    texts = source_texts()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "partner_type"])
        for index in range(size):
            text = perturb(rng.choice(texts), rng, texts)
            writer.writerow([f"R{index}", text, rng.choice(PARTNER_TYPES)])


def install_static_table(cache: Path) -> None:
    """Copy the static word-piece table (built once per machine, at install) into ``cache``."""
    from analysis.static_vectors import load_table, table_name, unavailable_reason

    if unavailable_reason() is None:
        cache.mkdir(parents=True, exist_ok=True)
        np.save(cache / table_name(), load_table())


def run_size(size: int, folder: Path, threads: int, engine: str = "fast") -> dict:
    source = folder / f"input_{size}.csv"
    make_input(source, size)
    out = folder / f"out_{size}"
    command = [
        sys.executable,
        "-c",
        "import resource, sys; from analysis.cli import main; code = main(sys.argv[1:]); "
        "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "file=sys.stderr); sys.exit(code)",
        "themes",
        str(source),
        "--text-column",
        "text",
        "--id-column",
        "id",
        "--segment-column",
        "partner_type",
        "--quiet",
        "--engine",
        engine,
        "--threads",
        str(threads),
        "--out",
        str(out),
    ]
    # A cold embedding cache of its own, so the semantic engine embeds every answer; it holds
    # the static word-piece table that `make install` builds once per machine.
    cache = folder / f"cache_{size}"
    install_static_table(cache)
    environment = {**os.environ, "CONSULT_ANALYSIS_CACHE": str(cache)}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=environment)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"size {size} failed: {done.stderr.strip()}")
    peak_kb = int(
        next(line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK_KB"))
    )
    run = json.loads((out / "run.json").read_text())
    return {
        "size": size,
        "wall": wall,
        "peak_mb": peak_kb / 1024,
        "timings": run["timings_seconds"],
        "themes": run["themes_found"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000, 1000000])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--engine", default="fast", help="fast (default) or semantic")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            results.append(run_size(size, Path(tmp), args.threads, args.engine))
            print(json.dumps(results[-1]), flush=True)
    stages = [k for k in results[0]["timings"] if k != "total"]
    lines = [
        "## Scale (`bench/scale.py`)"
        + ("" if args.engine == "fast" else f", {args.engine} engine"),
        "",
        f"Command: `.venv/bin/python -m bench.scale --sizes {' '.join(map(str, args.sizes))} "
        f"--threads {args.threads} --engine {args.engine} --write`. Machine: {machine()}. "
        "One run per size of the "
        "whole CLI (`consult-analyse themes ... --segment-column partner_type`, auto themes) in "
        "a fresh process; seconds per stage from its run.json; peak memory is the process's "
        "maximum resident set size.",
        "",
        "| Responses | Themes | " + " | ".join(stages) + " | Total s | Wall s | Peak MB |",
        "|---|---|" + "---|" * len(stages) + "---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['size']:,} | {r['themes']} | "
            + " | ".join(f"{r['timings'][s]:.1f}" for s in stages)
            + f" | {r['timings']['total']:.1f} | {r['wall']:.1f} | {r['peak_mb']:.0f} |"
        )
    lines += [
        "",
        "Targets: 100k end to end in at most 60 s and 2 GB; 1M in at most 10 minutes and 8 GB."
        if args.engine == "fast"
        else "Each run starts with an empty embedding cache; a rerun on the same answers "
        "embeds nothing.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("scale" if args.engine == "fast" else f"scale-{args.engine}", text)


if __name__ == "__main__":
    main()
