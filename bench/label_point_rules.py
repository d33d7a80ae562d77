"""How close each theme's "about N make the label's own point" is to the truth, under the
run's own count and under other settings (count27, counts28).

Themes the demo's seven free-text questions as the workspace does (``bench.demo_report``'s
``fit_demo_question``: automatic count, seed 0) and/or ArgKP's motions (the experts' count
given, seed 0, as ``bench.nearest_counts --argkp``; ``CONSULT_DATA_DIR`` chooses the data),
keeps each run as the fit leaves it, and recounts every label's point with
:func:`analysis.label_points.label_point_counts` from the run's own inputs (its distinct
answers, their weights, its summary sentences as rivals, the fast engine's own static
vectors, the semantic engine's coding encoder where installed), as
:func:`analysis.stages._label_point_counts` does. The recount with no option equals the run's
``label_point`` (checked and printed).

Truth: the demo's "point" (answers mentioning the theme containing any wording of the label's
point, ``consult/demo_text.py``); ArgKP: arguments mentioning the theme matching the label's key
point (labels with one key point). "Fewer than half agrees": count < mentions / 2 exactly when
the truth is.

    .venv/bin/python -m bench.label_point_rules --sets demo,argkp --engine fast
        [--option several=0.6 --option threshold=0.42] [--option lead=0.4,0.1]
        [--option sides=false]  (count31: answers on the other side from the label counted)
        [--try claims=count32]  (count33: answers' claims read as before "Without doubt" ...)
        [--try claims=count33]  (count34: claims' words matched as before: spellings, light nouns)
        [--motions 'vaccinations|USA'] [--labels] [--across] [--across-sides] [--demo-seed N]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from typing import Any

import numpy as np

from analysis import label_points, stages
from bench.common import machine

# Each run's summary sentences as its label count read them (by the run's id), before the
# count left out those it read as a label's point in other words (count30): what the run's own
# count had as rivals, so the recount with no option equals it (count32; read at the segments
# stage, after they left, the recount differed on 4 of 52 fast demo labels: 75 -> 61, 35 -> 15).
_COUNTED_RIVALS: dict[int, list[str]] = {}


def _capture() -> list[stages.FitRun]:
    """Keep every run reaching the segments stage (its counts are final there), and the
    summary sentences its label count read (:data:`_COUNTED_RIVALS`)."""
    runs: list[stages.FitRun] = []
    original, shown = stages.label_spread, stages._shown_label_points

    def kept(run: stages.FitRun) -> list[dict[str, Any]]:
        runs.append(run)
        return original(run)

    def counted(run: stages.FitRun) -> None:
        _COUNTED_RIVALS[id(run)] = stages._summary_texts(run)
        shown(run)

    stages.label_spread = kept
    stages._shown_label_points = counted
    return runs


def _inputs(run: stages.FitRun) -> dict[str, Any]:
    """What the run's label-point count reads, and the rows' texts and themes."""
    return {
        "labels": [t["label"] for t in run.themes],
        "shown": [t.get("label_point") for t in run.themes],
        "mentions": [
            [r for r, found in enumerate(run.member.themes) if t in found]
            for t in range(len(run.themes))
        ],
        "rows": [
            [r for r in range(run.count) if t in run.row_themes[r]] for t in range(len(run.themes))
        ],
        "rep_texts": list(run.rep_texts),
        "weights": stages._rows_per_rep(run).tolist(),
        "rivals": _COUNTED_RIVALS.get(id(run), stages._summary_texts(run)),
        "texts": list(run.texts_in),
        "representation": run.representation,
        # each distinct answer's stance and each label's side, when measured (count31)
        "sides": stages._sides(run),
    }


def demo_runs(engine: str, seed: int = 2026) -> list[dict[str, Any]]:
    """The demo's free-text questions (``seed``: the demo's draw), each with the truth per
    label (None: unknown)."""
    from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made

    phrasings = _phrasings()
    runs, found = _capture(), []
    with demo_questions(seed) as questions:
        for wording, answers in questions:
            fit_demo_question(wording, answers, engine)
            kept = _inputs(runs[-1])
            made = [set(points_made(t, phrasings)) for t in kept["texts"]]
            truth: list[int | None] = []
            whole: list[int | None] = []  # over the whole question (count31)
            planted: list[set[str]] = []  # each label's planted points (count34)
            for label, rows in zip(kept["labels"], kept["rows"], strict=True):
                cut = label.lower().rstrip(".")[1:]
                points = {p for core, p in phrasings.items() if cut and cut in core}
                planted.append(points)
                truth.append(sum(bool(points & made[r]) for r in rows) if points else None)
                whole.append(sum(bool(points & m) for m in made) if points else None)
            found.append(
                {
                    **kept,
                    "name": wording,
                    "truth": truth,
                    "truth_all": whole,
                    "run": runs[-1],
                    "made": made,
                    "planted": planted,
                }
            )
    return found


def argkp_runs(engine: str, motions: str | None) -> list[dict[str, Any]]:
    """ArgKP's motions (those whose name holds one of ``motions``' |-separated words)."""
    from analysis import ThemeModel
    from bench.quality import load_argkp

    runs, found = _capture(), []
    for topic, _one, _kp, truth, texts in load_argkp():
        if motions and not any(m.lower() in topic.lower() for m in motions.split("|")):
            continue
        k = len({point for row in truth for point in row})
        ThemeModel(n_themes=k, engine=engine, seed=0).fit(
            texts, ids=[str(i) for i in range(len(texts))]
        )
        kept = _inputs(runs[-1])
        counts: list[int | None] = []
        for label, rows in zip(kept["labels"], kept["rows"], strict=True):
            said = [set(truth[r]) for r in rows if label.lower() in texts[r].lower()]
            points = set().union(*said) if said else set()
            counts.append(
                sum(next(iter(points)) in truth[r] for r in rows) if len(points) == 1 else None
            )
        found.append({**kept, "name": topic, "truth": counts})
    return found


def recount(run: dict[str, Any], engine: str, options: dict[str, float]) -> list[int]:
    """The run's label-point counts as the run takes them, with ``options`` overriding."""
    representation = run["representation"]
    if engine == "fast":
        embed, check = representation.static_.transform, dict(label_points.STATIC_CHECK)
    else:
        embed, check = stages._label_point_embedder(representation), {}
    check.update(options)
    sides = check.pop("sides", True)  # sides=false: as counted before count31
    claims = check.pop("claims", None)
    before33 = claims == "count32"  # claims=count32: before count33
    before34 = claims in ("count32", "count33")  # claims=count33: words matched before count34
    with _without_sides(not sides), _claims_as_count32(before33), _words_as_count33(before34):
        return label_points.label_point_counts(
            run["labels"],
            run["mentions"],
            run["rep_texts"],
            embed,
            weights=run["weights"],
            rivals=run["rivals"],
            sides=run["sides"][0],
            label_sides=run["sides"][1],
            **check,
        )


@contextlib.contextmanager
def _without_sides(off: bool):
    """With ``off``, the count takes answers on the other side from a label as before
    count31 (neither an alias's answers on the other side nor a negated wording left out)."""
    from analysis import label_sides

    original = label_sides.other_side
    if off:
        label_sides.other_side = lambda labels, texts, *rest: np.zeros(
            (len(texts), len(labels)), dtype=bool
        )
    try:
        yield
    finally:
        label_sides.other_side = original


@contextlib.contextmanager
def _claims_as_count32(on: bool):
    """With ``on``, an answer's claim is read as before count33: "Without doubt X" as X
    negated, no claim opener past ``strip_openers``' ("We strongly disagree, X …" claims
    "We strongly disagree"), a denying opener only with "strongly"."""
    import re

    from analysis import label_sides

    saved = (label_sides._NO_NEGATION, label_sides._CLAIM_OPENER, label_sides._DENYING_OPENER)
    if on:
        label_sides._NO_NEGATION = re.compile(
            r"(?:\bnot|n['’]t)\s+(?:only|just|merely|simply)\b"
            r"|\b(?:cannot|can\s+not|can['’]t|could\s+not|couldn['’]t)\s+be\s+over[a-z]+",
            re.IGNORECASE,
        )
        label_sides._CLAIM_OPENER = re.compile(r"(?!)")
        label_sides._DENYING_OPENER = re.compile(
            r"\b(?:i|we)\s+(?:strongly\s+)?disagree\b(?!\s*[,;:.!])", re.IGNORECASE
        )
    try:
        yield
    finally:
        label_sides._NO_NEGATION, label_sides._CLAIM_OPENER, label_sides._DENYING_OPENER = saved


@contextlib.contextmanager
def _words_as_count33(on: bool):
    """With ``on``, a claim's words are matched as before count34: no spellings unified
    ("legalised" / "legalize"), light nouns ("place", "country") and "no longer"'s "longer"
    kept (:data:`analysis.label_sides.UNIFY_WORDS`)."""
    from analysis import label_sides

    saved = label_sides.UNIFY_WORDS
    label_sides.UNIFY_WORDS = saved and not on
    try:
        yield
    finally:
        label_sides.UNIFY_WORDS = saved


def score(runs: list[dict[str, Any]], counts: list[list[int]]) -> dict[str, Any]:
    """MAE, median ratio to the truth and "fewer than half" agreement over known labels."""
    errors, ratios, agree, flagged, true = [], [], 0, 0, 0
    for run, found in zip(runs, counts, strict=True):
        for index, truth in enumerate(run["truth"]):
            if truth is None:
                continue
            mentions, count = len(run["rows"][index]), found[index]
            errors.append(abs(count - truth))
            if truth:
                ratios.append(count / truth)
            agree += (count < mentions / 2) == (truth < mentions / 2)
            flagged += count < mentions / 2
            true += truth < mentions / 2
    return {
        "n": len(errors),
        "mae": float(np.mean(errors)) if errors else 0.0,
        "ratio": statistics.median(ratios) if ratios else 0.0,
        "agree": agree,
        "flagged": flagged,
        "true": true,
    }


def across_left_out(runs: list[dict[str, Any]]) -> list[str]:
    """count34: the rows the whole-question count leaves out with ``stages.SPREAD_SIDES`` on
    (a point made from one side counts no row on the other), per label with a known point,
    and how many of them make the label's point by the demo's planted truth (a row left out
    that makes it is a wrong exclusion; one that does not, a right one)."""
    from analysis import spread_points

    lines, total, wrong = [], 0, 0
    before, original = stages.SPREAD_SIDES, stages.spread
    captured: list[tuple] = []

    def capture(*args):
        captured.append(args)
        return original(*args)

    stages.spread, stages.SPREAD_SIDES = capture, True
    try:
        for run in runs:
            captured.clear()
            stages.label_spread(run["run"])
            if not captured or captured[0][4] is None:
                continue
            makes, row_rep, row_theme, _points, stances = captured[0]
            for theme, points in enumerate(run["planted"]):
                side = spread_points.point_side(makes, row_rep, stances, theme)
                other = {"for": "against", "against": "for"}.get(side)
                if not points or other is None:
                    continue
                left = [
                    row
                    for row, (rep, main) in enumerate(zip(row_rep, row_theme, strict=True))
                    if rep >= 0 and main >= 0 and makes[rep, theme] and stances[row] == other
                ]
                making = sum(bool(points & run["made"][row]) for row in left)
                total, wrong = total + len(left), wrong + making
                if left:
                    lines.append(
                        f"  {run['name'][:12]} {run['labels'][theme][:60]} (side {side}): "
                        f"{len(left)} rows left out, {making} of them make its point"
                    )
    finally:
        stages.spread, stages.SPREAD_SIDES = original, before
    return [*lines, f"  rows left out: {total}, making the label's point: {wrong}"]


def across(runs: list[dict[str, Any]], sides: bool | None = None) -> list[str]:
    """The demo's whole-question count of each label's point (``stages.label_spread``, what
    "points raised across themes" reads) against the truth over the whole question; MAE over
    labels with a known point, the points listed over 3 or more themes, and how many are
    listed as raised across themes (``spread_points.raised_across``). ``sides`` sets
    ``stages.SPREAD_SIDES`` for the count (None: as it is)."""
    from analysis.spread_points import raised_across

    errors, lines, listed = [], [], 0
    before = stages.SPREAD_SIDES
    stages.SPREAD_SIDES = before if sides is None else sides
    try:
        for run in runs:
            for index, entry in enumerate(stages.label_spread(run["run"])):
                listed += raised_across(entry)
                truth = run["truth_all"][index]
                if truth is None:
                    continue
                errors.append(abs(entry["answers"] - truth))
                if len(entry["themes"]) >= 3:
                    lines.append(
                        f"  {run['name'][:12]} {run['labels'][index][:60]}: {entry['answers']} "
                        f"(truth {truth}), {len(entry['themes'])} themes, side "
                        f"{entry.get('side', '-') or 'none'}, listed {raised_across(entry)}"
                    )
    finally:
        stages.SPREAD_SIDES = before
    head = (
        f"across themes (sides {stages.SPREAD_SIDES if sides is None else sides}): n "
        f"{len(errors)}, MAE {float(np.mean(errors)):.2f}, listed {listed}"
        if errors
        else ""
    )
    return [head or "across themes: none", *lines]


def across_changes(runs: list[dict[str, Any]]) -> list[str]:
    """Every label whose whole-question count the point's side (``stages.SPREAD_SIDES``)
    changes: off -> on, the truth and the side read, and the largest rise in a label's
    absolute error (count33's rule A)."""
    before = stages.SPREAD_SIDES
    lines, worst = ["across themes, changed by the point's side (off -> on):"], 0
    try:
        for run in runs:
            stages.SPREAD_SIDES = False
            off = stages.label_spread(run["run"])
            stages.SPREAD_SIDES = True
            on = stages.label_spread(run["run"])
            for index, (a, b) in enumerate(zip(off, on, strict=True)):
                if a["answers"] == b["answers"]:
                    continue
                truth = run["truth_all"][index]
                if truth is not None:
                    worst = max(worst, abs(b["answers"] - truth) - abs(a["answers"] - truth))
                lines.append(
                    f"  {a['answers']} -> {b['answers']} (truth {truth}, side {b['side']}): "
                    f"{run['name'][:12]} {run['labels'][index][:70]}"
                )
    finally:
        stages.SPREAD_SIDES = before
    return [*lines, f"  largest rise in a label's absolute error: {worst}"]


def _value(text: str) -> Any:
    """An option's value: a number, numbers split by commas (a tuple: lead=0.4,0.1), none
    (None) or true / false."""
    low = text.lower()
    if "," in low:
        return tuple(float(part) for part in low.split(","))
    if low in ("none", "true", "false"):
        return {"none": None, "true": True, "false": False}[low]
    if low in ("count32", "count33"):
        return low  # claims=count32 / count33: answers' claims read as before count33 / count34
    return float(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="demo", help="demo, argkp or both (comma-separated)")
    parser.add_argument("--engine", choices=("fast", "semantic"), default="fast")
    parser.add_argument("--motions", help="ArgKP motions whose names hold one of these (|)")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        help="a count setting, e.g. several=0.6, several=none, aliases=false, lead=0.4,0.1",
    )
    parser.add_argument(
        "--try",
        dest="tries",
        action="append",
        default=[],
        help="another set of count settings, space-separated, e.g. 'alias_expected=2 sides=false'",
    )
    parser.add_argument("--labels", action="store_true", help="print every changed label")
    parser.add_argument(
        "--across",
        action="store_true",
        help="also the demo's whole-question count (points raised across themes; semantic)",
    )
    parser.add_argument(
        "--across-sides",
        action="store_true",
        help="the whole-question count both without and with a point's side read (count33)",
    )
    parser.add_argument(
        "--demo-seed", type=int, default=2026, help="the demo's draw (2026: flask demo load)"
    )
    args = parser.parse_args()
    options = {key: _value(value) for key, value in (o.split("=", 1) for o in args.option)}
    sets = [options] if options else []
    sets += [
        {key: _value(value) for key, value in (o.split("=", 1) for o in tried.split())}
        for tried in args.tries
    ]
    started = time.time()
    for name in args.sets.split(","):
        runs = (
            demo_runs(args.engine, args.demo_seed)
            if name == "demo"
            else argkp_runs(args.engine, args.motions)
        )
        now = [recount(run, args.engine, {}) for run in runs]
        same = sum(
            a == b
            for run, found in zip(runs, now, strict=True)
            for a, b in zip(run["shown"], found, strict=True)
        )
        total = sum(len(run["labels"]) for run in runs)
        lines = [f"{name}, {args.engine}: the recount equals the run's own on {same} of {total}"]
        tried = [("now", now)]
        for option_set in sets:
            tried.append((str(option_set), [recount(run, args.engine, option_set) for run in runs]))
        for label, counts in tried:
            found = score(runs, counts)
            lines.append(
                f"| {label} | {found['n']} | {found['mae']:.2f} | {found['ratio']:.2f} | "
                f"{found['agree']} | {found['flagged']} / {found['true']} |"
            )
        for label, counts in tried[1:] if args.labels else []:
            lines.append(f"changed by {label}:")
            for run, before, after in zip(runs, now, counts, strict=True):
                for index, text in enumerate(run["labels"]):
                    if before[index] != after[index]:
                        lines.append(
                            f"  {before[index]} -> {after[index]} of {len(run['rows'][index])} "
                            f"(truth {run['truth'][index]}): {run['name'][:12]} {text}"
                        )
        if args.across and name == "demo":
            lines += across(runs)
        if args.across_sides and name == "demo":
            lines += across(runs, sides=False) + across(runs, sides=True)
            lines += across_changes(runs)
            lines += across_left_out(runs)
        print("\n".join(lines), flush=True)
    print(f"Machine: {machine()}; {time.time() - started:.0f} s.")


if __name__ == "__main__":
    main()
