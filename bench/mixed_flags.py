"""What separates a catch-all theme (answers making several different points, labelled with
one of them) from an ordinary one, and how often a "mixed" rule would fire (issue 12,
BENCHMARKS "mixedflag").

    .venv/bin/python -m bench.mixed_flags [--sets walk,demo,nhs,argkp] [--json FILE]

For every theme it records its size and mentions, how many of the answers mentioning it make
its label's point (semantic engine only), the share of its answers (main theme) that make more
than one point (:func:`analysis.clauses.split_points`) and their mean number of points against
the run's, and, where the data has human labels (the walk's file, NHS FFT), the share of its
answers carrying its commonest human label (purity). Sets: the smoke12 walk's file
(``$MIXEDFLAG_WALK``, 600 Trust A answers, fast and semantic engines), the demo's seven
questions (fast and semantic), three NHS FFT questions (first 1,000 answers each, semantic)
and ArgKP's 24 dev motions (semantic). Data is read where it lies, never copied.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
from collections import Counter
from typing import Any

from analysis.clauses import split_points


def theme_rows(
    name: str, engine: str, model: Any, human: list[str] | None = None
) -> list[dict[str, Any]]:
    """One row per theme of a fitted ``model``: the measures the module docstring names."""
    points = [len(split_points(text)) for text in model.texts_]
    labels = list(model.labels_)
    rows_in = [row for row, label in enumerate(labels) if label >= 0]
    run_points = statistics.mean(points[row] for row in rows_in) if rows_in else 0.0
    run_multi = statistics.mean(points[row] > 1 for row in rows_in) if rows_in else 0.0
    found = []
    for index, theme in enumerate(model.themes_):
        members = [row for row in rows_in if labels[row] == index]
        if not members:
            continue
        row = {
            "set": name,
            "engine": engine,
            "id": theme["id"],
            "label": theme["label"],
            "size": theme["size"],
            "mentions": theme["mentions"],
            "themes": len(model.themes_),
            "label_point": theme.get("label_point"),
            "keywords": len(theme.get("keywords") or []),
            "stability": theme.get("stability"),
            "multi": statistics.mean(points[m] > 1 for m in members),
            "points": statistics.mean(points[m] for m in members),
            "run_points": run_points,
            "run_multi": run_multi,
            "mean_size": statistics.mean(t["size"] for t in model.themes_),
        }
        if human is not None:
            counts = Counter(human[m] for m in members)
            row["purity"] = counts.most_common(1)[0][1] / len(members)
            row["human_top"] = counts.most_common(1)[0][0]
        found.append(row)
    return found


def walk(engines=("fast", "semantic")) -> list[dict[str, Any]]:
    """The smoke12 walk's 600 answers, both engines, with their human labels."""
    from analysis import ThemeModel

    path = os.environ.get("MIXEDFLAG_WALK", "/tmp/smoke12/fft600.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle)]
    texts = [r["feedback"] for r in rows]
    ids = [r["row_index"] for r in rows]
    human = [r["label"] for r in rows]
    found = []
    for engine in engines:
        model = ThemeModel(engine=engine, seed=0).fit(
            texts, ids=ids, question="What could we do better?"
        )
        found += theme_rows("walk", engine, model, human)
    return found


def demo(engines=("fast", "semantic")) -> list[dict[str, Any]]:
    """The demo's seven free-text questions, as the workspace themes them."""
    from bench.demo_report import demo_questions, fit_demo_question

    found = []
    with demo_questions() as questions:
        for wording, answers in questions:
            for engine in engines:
                model = fit_demo_question(wording, answers, engine)
                found += theme_rows(f"demo: {wording[:40]}", engine, model)
    return found


def nhs(engines=("semantic",)) -> list[dict[str, Any]]:
    """Three NHS FFT questions (first 1,000 answers each), with human labels."""
    from analysis import ThemeModel
    from bench.summaries import QUESTIONS, _data_file

    found = []
    for question, wording in QUESTIONS:
        with _data_file().open(encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r["question"] == question][:1000]
        for engine in engines:
            model = ThemeModel(engine=engine, seed=0).fit(
                [r["feedback"] for r in rows], ids=[r["row_index"] for r in rows], question=wording
            )
            found += theme_rows(f"nhs: {question}", engine, model, [r["label"] for r in rows])
    return found


def argkp(engines=("semantic",)) -> list[dict[str, Any]]:
    """ArgKP's 24 dev motions (k = the motion's number of key points), with their key
    points as human labels."""
    from analysis.api import ThemeModel
    from bench.labels import load_motions

    found = []
    for motion in load_motions():
        for engine in engines:
            model = ThemeModel(n_themes=len(motion.key_points), engine=engine, seed=0)
            model.fit(motion.texts, ids=motion.ids, question=motion.topic)
            found += theme_rows(f"argkp: {motion.topic[:40]}", engine, model, motion.truth)
    return found


SETS = {"walk": walk, "demo": demo, "nhs": nhs, "argkp": argkp}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="walk,demo,nhs,argkp")
    parser.add_argument("--json", default="")
    parser.add_argument("--engines", default="", help="e.g. fast (default: each set's own)")
    args = parser.parse_args()
    found: dict[str, list[dict[str, Any]]] = {}
    for name in args.sets.split(","):
        engines = tuple(args.engines.split(",")) if args.engines else None
        found[name] = SETS[name](engines) if engines else SETS[name]()
        if args.json:
            with open(args.json, "w", encoding="utf-8") as handle:
                json.dump(found, handle, indent=1)
    print(json.dumps({name: len(rows) for name, rows in found.items()}))


if __name__ == "__main__":
    main()
