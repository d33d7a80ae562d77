"""The coding encoder's cost beside plain MiniLM (enc26, BENCHMARKS.md "enc26"): each
``consult-analyse code`` call a subprocess with its own empty vector cache, MiniLM and the
encoder alternating (ABBA), one JSON line a call: wall seconds, the child's CPU seconds and
its peak RSS (``os.wait4``), and the ``coding_encoder`` its metrics.json records.

    python -m bench.coding_encoder_cost --encoder /work/extra/encoder --reps 2 \\
        [--codebook BOOK.csv] NAME=FILE.csv ...

FILE.csv has columns id, text and labels (';'-separated theme ids; empty when uncoded)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(data: str, setting: str, out: Path, codebook: str | None) -> dict:
    """One ``code`` call with ``CONSULT_CODING_ENCODER=setting`` and an empty cache."""
    cache = tempfile.mkdtemp(prefix="coding-encoder-cost-")
    env = dict(
        os.environ,
        CONSULT_CODING_ENCODER=setting,
        CONSULT_ANALYSIS_CACHE=cache,
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    command = [str(Path(sys.prefix) / "bin" / "consult-analyse"), "code", data]
    command += ["--text-column", "text", "--labels-column", "labels", "--id-column", "id"]
    command += ["--engine", "semantic", "--suggest", "10", "--seed", "0", "--quiet"]
    command += ["--out", str(out)] + (["--codebook", codebook] if codebook else [])
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    shutil.rmtree(cache, ignore_errors=True)
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed ({status})")
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    return {
        "wall": round(wall, 1),
        "cpu": round(usage.ru_utime + usage.ru_stime, 1),
        "rss_mb": round(usage.ru_maxrss / 1024),
        "coding_encoder": metrics.get("coding_encoder"),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", required=True, help="the coding encoder's folder")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--codebook")
    parser.add_argument("--out", default=tempfile.gettempdir() + "/coding-encoder-cost")
    parser.add_argument("data", nargs="+", help="NAME=FILE.csv")
    args = parser.parse_args(argv)
    settings = [("minilm", "minilm"), ("encoder", args.encoder)]
    for name, path in (item.split("=", 1) for item in args.data):
        for rep in range(args.reps):
            for label, setting in settings if rep % 2 == 0 else settings[::-1]:
                found = run_once(
                    path, setting, Path(args.out) / f"{name}-{label}-{rep}", args.codebook
                )
                print(json.dumps({"data": name, "rep": rep, "setting": label, **found}), flush=True)


if __name__ == "__main__":
    main()
