"""What describing a merged theme costs: the engine's one-theme fit a merge used to make
(``ThemeModel(n_themes=1)``) against :func:`analysis.group.describe_group`, which a merge
now calls (:func:`consult.reports.merging.describe_members`), in CPU seconds, median of 3.

    .venv/bin/python -m bench.review_merge [--engines fast semantic] [--rows 2000 10000]
        [--cold] [--write]

On the demo's 184-answer question (its answers as the workspace's analysis job reads them)
and on the first ``--rows`` (each size given) NHS Friends and Family Test answers (a seeded
shuffle of ``$CONSULT_DATA_DIR/nhs_fft_phase1.csv``), each taken as one merged theme. The
semantic engine's sentence vectors come from its cache, warmed by an untimed first call, as
they are after the run that found the themes; ``--cold`` also times one call of the new path
with an empty cache on the largest size (every answer embedded again: a web server not on the
worker's machine, or a cache cleared since the run). The two paths' keywords and summaries
are checked to be the same.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable

from bench.common import data_dir, machine, write_section


def nhs_answers(rows: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """The first ``rows`` non-blank NHS answers of a seeded shuffle, with ids."""
    with (data_dir() / "nhs_fft_phase1.csv").open(encoding="utf-8", newline="") as handle:
        data = [r["feedback"] for r in csv.DictReader(handle) if r["feedback"].strip()]
    random.Random(seed).shuffle(data)
    data = data[:rows]
    return data, [f"N{i:05d}" for i in range(len(data))]


def demo_answers() -> tuple[str, list[str], list[str]]:
    """The demo's 184-answer free-text question: wording, texts, references."""
    from bench.demo_report import demo_questions

    with demo_questions() as questions:
        wording, answers = next((w, a) for w, a in questions if len(a.texts) == 184)
        return wording, list(answers.texts), list(answers.references)


def cpu(call: Callable[[], object]) -> tuple[float, object]:
    """CPU seconds of the call and its result."""
    started = time.process_time()
    result = call()
    return time.process_time() - started, result


def paths(texts, ids, question, engine) -> dict[str, Callable[[], tuple[list, list]]]:
    """The old and new ways of describing the group: (keywords, summary) each."""
    from analysis import ThemeModel
    from analysis.group import describe_group

    def old():
        model = ThemeModel(n_themes=1, engine=engine, seed=0)
        theme = model.fit(texts, ids=ids, question=question).themes_[0]
        return theme["keywords"], theme["summary"]

    def new():
        described = describe_group(texts, ids, None, question, engine=engine, seed=0)
        return described.keywords, described.summary

    return {"ThemeModel(n_themes=1)": old, "describe_group": new}


def measure(name, texts, ids, question, engine, repeats: int) -> list[dict]:
    """Median CPU seconds of each path (after one untimed call warming caches)."""
    rows, results = [], {}
    for path, call in paths(texts, ids, question, engine).items():
        results[path] = call()
        times = [cpu(call)[0] for _ in range(repeats)]
        rows.append({"set": name, "engine": engine, "path": path, "cpu": statistics.median(times)})
        print(rows[-1], flush=True)
    first, second = results.values()
    if first != second:
        raise SystemExit(f"{name} {engine}: the two paths describe the group differently")
    return rows


def cold(texts, ids, engine: str) -> float:
    """CPU seconds of describe_group with an empty sentence-vector cache."""
    from analysis.group import describe_group

    before = os.environ.get("CONSULT_ANALYSIS_CACHE")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CONSULT_ANALYSIS_CACHE"] = folder
        try:
            return cpu(lambda: describe_group(texts, ids, engine=engine))[0]
        finally:
            if before is None:
                os.environ.pop("CONSULT_ANALYSIS_CACHE", None)
            else:
                os.environ["CONSULT_ANALYSIS_CACHE"] = before


def table(rows: list[dict], colds: dict[str, float], args) -> str:
    lines = [
        "Describing a merged theme's keywords and summary (review merge), CPU seconds, median "
        "of 3 after one untimed call (sentence-vector cache warm, as after the run):",
        "",
        f"    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python -m bench.review_merge "
        f"--engines {' '.join(args.engines)} --rows {' '.join(map(str, args.rows))}"
        f"{' --cold' if args.cold else ''}"
        " --write",
        "",
        f"Machine: {machine()}. Same keywords and summaries from both paths on every set.",
        "",
        "| Answers | Engine | ThemeModel(n_themes=1) (before) | describe_group (now) |",
        "|---|---|---|---|",
    ]
    keyed = {(r["set"], r["engine"], r["path"]): r["cpu"] for r in rows}
    for name, engine in dict.fromkeys((r["set"], r["engine"]) for r in rows):
        before = keyed[(name, engine, "ThemeModel(n_themes=1)")]
        now = keyed[(name, engine, "describe_group")]
        lines.append(f"| {name} | {engine} | {before:.2f} | {now:.2f} |")
    for engine, seconds in colds.items():
        lines.append(
            f"\nCold cache, {max(args.rows):,} NHS answers, {engine}, describe_group once: "
            f"{seconds:.1f} s CPU (every answer embedded again)."
        )
    slow = [
        f"{name} {engine} ({t:.1f} s)"
        for (name, engine, path), t in keyed.items()
        if path == "describe_group" and t > 5.0
    ]
    lines += [
        "",
        "describe_group leaves out what one given theme does not need (choosing a count, the "
        "answers' separate points, stability, sentiment, label-point counts, sizes); the "
        "description itself (label, quotes, summary and its points' counts) is the run's own "
        "and is most of what is left.",
    ]
    if slow or colds:
        lines.append("")
        lines.append(
            "Still above 5 s CPU with describe_group: "
            + ", ".join(slow + (["every cold-cache call"] if colds else []))
            + ". So a merge of more than `MERGE_DESCRIBE_AT_MOST` answers (2,000) is described "
            "by the job worker, not in the web request."
        )
    return "## Review merge cost\n\n" + "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", default=["fast", "semantic"])
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    wording, demo_texts, demo_ids = demo_answers()
    rows = []
    for engine in args.engines:
        rows += measure("184 (demo)", demo_texts, demo_ids, wording, engine, args.repeats)
        for size in sorted(args.rows):
            texts, ids = nhs_answers(size)
            rows += measure(f"{len(texts):,} (NHS)", texts, ids, None, engine, args.repeats)
    colds = {}
    if args.cold:
        colds["semantic"] = cold(*nhs_answers(max(args.rows)), "semantic")
    text = table(rows, colds, args)
    print(text)
    if args.write:
        write_section("review-merge-cost", text)


if __name__ == "__main__":
    main()
