"""What a reviewer's split and merge cost in the web request (smoke7 finding 9: 3.2 s and
2.9 s on the demo's 224-answer question), wall and CPU seconds, median of 3, with the MiniLM
onnxruntime sessions made anew for each action (as before: every action's new representation
opened its own) and made once a process (now: :func:`analysis.embeddings._sessions`).

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python -m bench.review_split [--write]
        [--large 2000 ...]

``--large N`` also times a large split (the first N answers of a seeded shuffle of the NHS
Friends and Family Test file, ``$CONSULT_DATA_DIR``, as one theme split into 2): in the
request as before (the fit, then each part's points counted) against what the request does
now for a theme over ``SPLIT_DESCRIBE_AT_MOST`` answers (the grouping alone,
:meth:`analysis.ThemeModel.fit_partition`), the rest being the worker's; printed, not
written.

The split is what :func:`consult.reports.review.split_theme` does with the engine: the
largest theme's own answers refitted into 2 (``ThemeModel(n_themes=2)``), and each part's
points counted over its answers (:func:`analysis.group.count_points`); the merge is the
description a merge of the 5th and 6th themes makes (:func:`analysis.group.describe_group`
under the first's label, keeping both parts' points, counted over their mentions).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench.common import machine, write_section


def timed(call: Callable[[], object], fresh: bool) -> tuple[float, float]:
    """Wall and CPU seconds of ``call``; with ``fresh`` the sessions are made again first."""
    from analysis.embeddings import _sessions

    if fresh:
        _sessions.cache_clear()
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def actions(engine: str) -> dict[str, Callable[[], object]]:
    """The split and the merge on the demo's 224-answer question, after the run's fit."""
    from analysis import ThemeModel
    from analysis.group import count_points, describe_group
    from bench.demo_report import demo_questions

    with demo_questions() as questions:
        wording, answers = questions[0]
        texts, ids, agreement = list(answers.texts), list(answers.references), answers.agreement
    model = ThemeModel(engine=engine, seed=0).fit(
        texts, ids=ids, agreement=agreement, question=wording
    )
    labels = list(model.labels_)

    def split():
        own = [i for i, label in enumerate(labels) if label == 0]
        fit = ThemeModel(n_themes=2, engine=engine, seed=0)
        fit.fit([texts[i] for i in own], ids=[ids[i] for i in own])
        for part, theme in enumerate(fit.themes_):
            rows = [own[i] for i, label in enumerate(fit.labels_) if label == part]
            count_points(
                theme["label"],
                theme["summary"],
                [texts[i] for i in rows],
                [ids[i] for i in rows],
                engine,
            )

    first, second = model.themes_[4], model.themes_[5]
    rows = [i for i, label in enumerate(labels) if label in (4, 5)]
    also = [
        (ids[i], texts[i])
        for i, found in enumerate(model.memberships_)
        if {4, 5} & set(found) and i not in rows
    ]

    def merge():
        describe_group(
            [texts[i] for i in rows],
            [ids[i] for i in rows],
            [agreement[i] for i in rows],
            wording,
            engine=engine,
            seed=0,
            label=first["label"],
            points=[first["label"], second["label"]],
            also=also,
        )

    return {f"split ({labels.count(0)} answers into 2)": split, f"merge ({len(rows)})": merge}


def large_split(rows: int, engine: str) -> dict[str, Callable[[], object]]:
    """A split of ``rows`` NHS answers into 2: in the request before (the fit and each
    part's counts, what the worker does now) and now (the grouping alone)."""
    from analysis import ThemeModel
    from analysis.group import count_points
    from bench.review_merge import nhs_answers

    texts, ids = nhs_answers(rows)

    def whole():
        fit = ThemeModel(n_themes=2, engine=engine, seed=0).fit(texts, ids=ids)
        for part, theme in enumerate(fit.themes_):
            own = [i for i, label in enumerate(fit.labels_) if label == part]
            count_points(
                theme["label"],
                theme["summary"],
                [texts[i] for i in own],
                [ids[i] for i in own],
                engine,
            )

    def partition():
        ThemeModel(n_themes=2, engine=engine, seed=0).fit_partition(texts, ids=ids)

    return {"before: fit and counts (now the worker's)": whole, "now: grouping alone": partition}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", default=["fast", "semantic"])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--large", type=int, nargs="*", default=[])
    args = parser.parse_args()
    for rows in args.large:
        for engine in args.engines:
            for name, call in large_split(rows, engine).items():
                call()  # untimed: warms the caches as the run did
                runs = [timed(call, False) for _ in range(3)]
                wall = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                print(f"| {rows:,} NHS | {engine} | {name} | {wall:.2f} / {cpu:.2f} |", flush=True)
    if args.large:
        return
    lines = [
        "## Review split cost",
        "",
        "A reviewer's split and merge in the web request on the demo's 224-answer question "
        "(after the run's fit in the same process; sentence vectors cached), wall and CPU "
        "seconds, median of 3, with the MiniLM sessions made anew for each action (before) "
        "and once a process (now):",
        "",
        "    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python -m bench.review_split --write",
        "",
        f"Machine: {machine()} (shared with other work: wall times are loaded ones).",
        "",
        "| Engine | Action | Before: wall / CPU | Now: wall / CPU |",
        "|---|---|---|---|",
    ]
    for engine in args.engines:
        for name, call in actions(engine).items():
            call()  # untimed: warms the caches as the run did
            cells = []
            for fresh in (True, False):
                runs = [timed(call, fresh) for _ in range(3)]
                wall = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                cells.append(f"{wall:.2f} / {cpu:.2f}")
            lines.append(f"| {engine} | {name} | {cells[0]} | {cells[1]} |")
            print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        write_section("review-split-cost", text)


if __name__ == "__main__":
    main()
