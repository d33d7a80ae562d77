"""Members that do not belong in their theme (issue 12, offtopic): measured, and moves tried.

    CONSULT_DATA_DIR=/work/shared/data OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python \
        -m bench.misplaced argkp [--odd] [--engines fast,semantic] [--json FILE]
    ... -m bench.misplaced demo [--engines ...] [--list N]

ArgKP (per motion, the arguments matching exactly one key point, as ``bench.quality``; the
motion as the question's wording; the arguments' gold stance given as the stance column,
``1``/``-1``; seed 0; count given and auto): per theme, the members whose key point is not
the theme's commonest ("off point") and those on the side fewer of its members took
("minority side"), pooled over themes and motions as shares of all members; NMI against the
key points as ``bench.quality`` scores it. Each candidate move is replayed on the fitted run
(with the count given, exactly what the switched-on fit gives; under auto, joins and the
description follow the moves there, not here):

- ``side m``: :func:`analysis.side_moves.side_moves` with margin ``m`` (the stance column);
- ``own m``: an answer whose own vector (before neighbour averaging) is more similar, by
  ``m``, to another theme's mean own vector than to its own theme's moves there (no stance).

The demo (every free-text question, automatic count, as the workspace themes it): per theme,
members on the other side from the theme's leaning one, and members making none of the
theme's commonest demo point though some other theme's; before and after each move.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.preprocessing import normalize

from analysis import fit as fitmod
from analysis import stages
from analysis.side_moves import SIDE_GUARD, answer_sides, column_sides, leaning_sides, side_moves
from bench.common import data_dir, machine, scores
from bench.fits_no_theme import capture_runs

SIDE_MARGINS = (0.0, 0.05, 0.1, 0.2, 1.0)
OWN_MARGINS = (0.0, 0.05)


def argkp_motions() -> list[tuple[str, list[str], list[str], list[str]]]:
    """Per motion (sorted): name, the arguments matching exactly one key point, that key
    point, and the argument's gold stance ("1"/"-1")."""
    root = data_dir() / "argkp"
    matched: dict[str, list[str]] = defaultdict(list)
    with (root / "labels_train.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["label"] == "1":
                matched[row["arg_id"]].append(row["key_point_id"])
    motions: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (root / "arguments_train.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            motions[row["topic"]].append(row)
    found = []
    for topic in sorted(motions):
        one = [r for r in motions[topic] if len(matched.get(r["arg_id"], [])) == 1]
        found.append(
            (
                topic,
                [r["argument"] for r in one],
                [matched[r["arg_id"]][0] for r in one],
                [str(int(float(r["stance"]))) for r in one],
            )
        )
    return found


def own_moves(run, primary: np.ndarray, margin: float) -> np.ndarray:
    """Each distinct answer's theme after the own-vector move (see the module docstring)."""
    own = normalize(fitmod.unsmoothed(run.representation, run.vectors))
    k = run.k
    centers = np.zeros((k, own.shape[1]))
    np.add.at(centers, primary, own * run.weights[:, None])
    centers = normalize(centers)
    similarity = own @ centers.T
    mine = similarity[np.arange(len(primary)), primary]
    other = similarity.copy()
    other[np.arange(len(primary)), primary] = -np.inf
    best = other.argmax(axis=1)
    moved = other[np.arange(len(primary)), best] > mine + margin
    return np.where(moved, best, primary)


def candidates(run) -> dict[str, np.ndarray]:
    """Per candidate, each distinct answer's main theme (``old``: the fit's own)."""
    primary = np.asarray(run.member.primary)
    sides = answer_sides(column_sides(run.agreement), run.rep_of_row, len(run.rep_rows))
    similarity = run.vectors @ run.clustering.centers.T
    found = {"old": primary}
    for margin in SIDE_MARGINS:
        found[f"side {margin:g}"] = side_moves(similarity, primary, sides, margin, run.weights)
    found["side 0.2 guarded"] = side_moves(
        similarity, primary, sides, 0.2, run.weights, guard=SIDE_GUARD
    )
    for margin in OWN_MARGINS:
        found[f"own {margin:g}"] = own_moves(run, primary, margin)
    return found


def row_labels(run, rep_primary: np.ndarray) -> np.ndarray:
    """Per row, its distinct answer's theme (-1 for none)."""
    labels = np.full(run.count, -1)
    has = run.rep_of_row >= 0
    labels[has] = rep_primary[run.rep_of_row[has]]
    return labels


def misplaced(labels: np.ndarray, truth: list[str], sides: list[str]) -> dict[str, int]:
    """Members off their theme's commonest key point, members on its minority side, and
    members, over rows with a theme."""
    off = minority = members = 0
    for theme in sorted(set(labels.tolist()) - {-1}):
        rows = np.nonzero(labels == theme)[0]
        points = Counter(truth[r] for r in rows)
        held = Counter(sides[r] for r in rows)
        off += len(rows) - points.most_common(1)[0][1]
        minority += min(held.get("1", 0), held.get("-1", 0))
        members += len(rows)
    return {"off": off, "minority": minority, "members": members}


def argkp(engines: list[str], parity: int, shuffle: bool = False) -> list[dict]:
    """Every (engine, count, motion) of the chosen parity, every candidate scored; with
    ``shuffle``, the stance column is shuffled within each motion (the same sides in the same
    proportions, unrelated to the arguments: a control for a column that says nothing of the
    answers' points), and "minority side" is read from the shuffled column."""
    from analysis import ThemeModel

    found = []
    for index, (topic, texts, truth, stance) in enumerate(argkp_motions()):
        if index % 2 != parity:
            continue
        if shuffle:
            stance = [stance[i] for i in np.random.default_rng(index).permutation(len(stance))]
        for engine in engines:
            for count in (len(set(truth)), "auto"):
                seen, original = capture_runs()
                try:
                    model = ThemeModel(n_themes=count, engine=engine, seed=0, side_margin=None).fit(
                        texts, agreement=stance, question=topic
                    )
                finally:
                    stages.assign = original
                run = seen[-1]
                assert np.array_equal(row_labels(run, run.member.primary), model.labels_)
                entry = {"motion": index, "engine": engine, "count": str(count), "moves": {}}
                for name, primary in candidates(run).items():
                    labels = row_labels(run, primary)
                    entry["moves"][name] = {
                        **misplaced(labels, truth, stance),
                        "nmi": scores(truth, labels.tolist())["nmi"],
                        "moved": int((labels != model.labels_).sum()),
                    }
                found.append(entry)
                old = entry["moves"]["old"]
                print(index, engine, count, old, entry["moves"]["side 0.1"], flush=True)
    return found


def argkp_table(found: list[dict]) -> list[str]:
    """Per engine and count: each candidate's pooled shares, moved rows and mean NMI."""
    lines = [
        "| Engine | Count | Move | Off point | Minority side | Rows moved | Mean NMI (change) |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for entry in found:
        groups[(entry["engine"], "given" if entry["count"] != "auto" else "auto")].append(entry)
    for (engine, count), entries in groups.items():
        base = statistics.mean(e["moves"]["old"]["nmi"] for e in entries)
        for name in entries[0]["moves"]:
            total = {
                key: sum(e["moves"][name][key] for e in entries)
                for key in ("off", "minority", "members", "moved")
            }
            nmi = statistics.mean(e["moves"][name]["nmi"] for e in entries)
            lines.append(
                f"| {engine} | {count} | {name} | {100 * total['off'] / total['members']:.1f} % "
                f"| {100 * total['minority'] / total['members']:.1f} % | {total['moved']} "
                f"| {nmi:.2f} ({nmi - base:+.2f}) |"
            )
    return lines


def demo(engines: list[str], listed: int) -> list[str]:
    """The demo's themes: members on the other side, members off the theme's point, before
    and after each move; up to ``listed`` examples of each kind per engine."""
    from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made

    phrasings = _phrasings()
    lines = []
    with demo_questions() as questions:
        for engine in engines:
            totals: dict[str, Counter] = defaultdict(Counter)
            examples: list[str] = []
            for number, (wording, answers) in enumerate(questions, start=1):
                seen, original = capture_runs()
                try:
                    model = fit_demo_question(wording, answers, engine)
                finally:
                    stages.assign = original
                run = seen[-1]
                made = [points_made(t, phrasings) for t in answers.texts]
                sides = column_sides(run.agreement)
                for name, primary in candidates(run).items():
                    labels = row_labels(run, primary)
                    counts = _demo_counts(labels, made, sides, run.weights, primary, run)
                    counts["moved"] = int((labels != model.labels_).sum())
                    totals[name].update(counts)
                    if name == "old":
                        examples += _demo_examples(number, model, labels, made, sides, run)
                        examples += _off_point_themes(number, model, labels, made)
            lines += [
                f"Engine {engine}, {len(questions)} questions, automatic count (rows):",
                "",
                "| Move | Rows | Off the theme's point (another theme's) | Other side | Moved |",
                "|---|---:|---:|---:|---:|",
            ]
            for name, counts in totals.items():
                lines.append(
                    f"| {name} | {counts['rows']} | {counts['off']} | {counts['other_side']} "
                    f"| {counts['moved']} |"
                )
            lines += ["", f"Examples (engine {engine}, first {listed}):", ""]
            lines += [f"- {e}" for e in examples[:listed]]
            lines.append("")
    return lines


def _demo_counts(labels, made, sides, weights, primary, run) -> Counter:
    """Rows in a theme; rows making none of their theme's commonest point though making some
    theme's commonest point; rows on the other side from their theme's leaning."""
    k = run.k
    mains = {}
    for theme in range(k):
        counts = Counter(
            p for label, m in zip(labels, made, strict=True) if label == theme for p in m
        )
        if counts:
            mains[theme] = min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
    leaning = leaning_sides(
        np.asarray(labels)[np.asarray(labels) >= 0],
        [s for s, label in zip(sides, labels, strict=True) if label >= 0],
        k,
    )
    found = Counter()
    main_points = set(mains.values())
    for label, m, side in zip(labels, made, sides, strict=True):
        if label < 0:
            continue
        found["rows"] += 1
        if mains.get(label) not in m and main_points & set(m):
            found["off"] += 1
        if side and leaning[label] and side != leaning[label]:
            found["other_side"] += 1
    return found


def _demo_examples(number, model, labels, made, sides, run) -> list[str]:
    """The rows on the other side from their theme's leaning, as a reader would see them."""
    k = run.k
    has = labels >= 0
    leaning = leaning_sides(labels[has], [s for s, h in zip(sides, has, strict=True) if h], k)
    found = []
    for row, (label, side) in enumerate(zip(labels, sides, strict=True)):
        if label >= 0 and side and leaning[label] and side != leaning[label]:
            text = model.texts_[row]
            found.append(
                f"Q{number} {model.themes_[label]['id']} ({leaning[label]}) "
                f'"{model.themes_[label]["label"]}" holds a row {side}: "{text[:140]}"'
            )
    return found


def _off_point_themes(number, model, labels, made, least: int = 5) -> list[str]:
    """The themes holding at least ``least`` rows that make none of the theme's commonest
    demo point though they make another theme's, with one such row."""
    mains = {}
    for theme in range(len(model.themes_)):
        counts = Counter(
            p for label, m in zip(labels, made, strict=True) if label == theme for p in m
        )
        if counts:
            mains[theme] = min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
    found = []
    for theme, point in mains.items():
        rows = [
            row
            for row, (label, m) in enumerate(zip(labels, made, strict=True))
            if label == theme and point not in m and set(m) & set(mains.values())
        ]
        if len(rows) >= least:
            entry = model.themes_[theme]
            found.append(
                f'Q{number} {entry["id"]} "{entry["label"]}" ({entry["size"]} rows, point '
                f"{point}): {len(rows)} rows make another theme's point, e.g. "
                f'"{model.texts_[rows[0]][:160]}" ({", ".join(made[rows[0]])})'
            )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", choices=("argkp", "demo"))
    parser.add_argument("--odd", action="store_true", help="ArgKP's odd motions (held aside)")
    parser.add_argument("--engines", default="fast,semantic")
    parser.add_argument("--list", type=int, default=12, help="demo examples to list")
    parser.add_argument(
        "--shuffle-stance", action="store_true", help="control: stance shuffled per motion"
    )
    parser.add_argument("--json", help="also write the per-motion figures to this file")
    args = parser.parse_args(argv)
    engines = args.engines.split(",")
    clock = time.perf_counter()
    if args.set == "argkp":
        found = argkp(engines, 1 if args.odd else 0, args.shuffle_stance)
        if args.json:
            Path(args.json).write_text(json.dumps(found), encoding="utf-8")
        lines = argkp_table(found)
        which = "odd (held aside)" if args.odd else "even (tuned on)"
        which += ", stance shuffled within each motion" if args.shuffle_stance else ""
        lines.insert(
            0, f"ArgKP {which} motions; {machine()}; {time.perf_counter() - clock:.0f} s.\n"
        )
    else:
        lines = demo(engines, args.list)
        lines.insert(0, f"Demo; {machine()}; {time.perf_counter() - clock:.0f} s.\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
