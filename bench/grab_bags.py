"""The fast engine's grab-bags: themes whose members are spread over several expert points,
and what sets them apart from single-point themes (issue 12, BENCHMARKS "grab26").

    .venv/bin/python -m bench.grab_bags fit --set demo|nhs|argkp-even|argkp-odd --out FILE
    .venv/bin/python -m bench.grab_bags score FILE [FILE ...]

(``--set demo-semantic`` and ``argkp-even-sides[-semantic]``, ArgKP with each argument's side
given as its agreement answer, serve the "Also in this group" reading of BENCHMARKS "grab26".)

``fit`` themes a set with the fast engine (seed 0) and writes, per run, each theme's document
(as themes.json holds it), its members and each member's known points: the demo's planted
points (:func:`bench.demo_report.points_made`, an answer may make several), NHS FFT's human
label (Trust A and B, first 1,000 answers each, automatic count: Trust C is held out) or
ArgKP's key point (k = the motion's key points; even motions for tuning, odd ones held out).

``score`` reads such files and prints, per theme, whether it is a grab-bag by the truth (its
members carry two or more points and no point is carried by more than half of them) and
whether :func:`analysis.mixed.mixed_themes` flags it, then precision and recall per set.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from typing import Any

from analysis.mixed import mixed_themes, multi_point_share

# A theme is a grab-bag by the truth when no point is carried by more than this share of its
# members (and they carry two or more).
TOP_SHARE = 0.5


def run_record(name: str, model: Any, truth: list[list[str]]) -> dict[str, Any]:
    """One fitted run: its themes and, per theme, its members' known points."""
    from analysis.output import themes_document

    document = themes_document(model)
    index = {theme["id"]: i for i, theme in enumerate(model.themes_)}
    members: list[list[int]] = [[] for _ in model.themes_]
    for row, primary in enumerate(model.theme_ids_):
        if primary in index:
            members[index[primary]].append(row)
    return {
        "run": name,
        "themes": document["themes"],
        "members": members,
        "texts": list(model.texts_),
        "truth": truth,
    }


def fit_demo(engine: str = "fast") -> list[dict[str, Any]]:
    """The demo's seven free-text questions as the workspace themes them (``engine``: the
    semantic engine's runs serve the "Also in this group" reading only)."""
    from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made

    phrasings = _phrasings()
    found = []
    with demo_questions() as questions:
        for wording, answers in questions:
            model = fit_demo_question(wording, answers, engine)
            truth = [points_made(text, phrasings) for text in model.texts_]
            found.append(run_record(f"demo: {wording}", model, truth))
    return found


def fit_nhs() -> list[dict[str, Any]]:
    """NHS FFT Trust A and B (tuning part; Trust C is held out), first 1,000 answers each."""
    from analysis import ThemeModel
    from bench.summaries import QUESTIONS, _data_file

    found = []
    for question, wording in QUESTIONS[:2]:
        with _data_file().open(encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r["question"] == question][:1000]
        model = ThemeModel(engine="fast", seed=0).fit(
            [r["feedback"] for r in rows], ids=[r["row_index"] for r in rows], question=wording
        )
        by_id = {r["row_index"]: r["label"] for r in rows}
        truth = [[by_id[i]] for i in model.ids_]
        found.append(run_record(f"nhs: {question}", model, truth))
    return found


def _argkp_stances() -> dict[str, str]:
    """ArgKP's side (1 or -1) of every argument and key point, by id."""
    from bench.common import data_dir

    found = {}
    for name, key in (("arguments_train.csv", "arg_id"), ("key_points_train.csv", "key_point_id")):
        with (data_dir() / "argkp" / name).open(encoding="utf-8", newline="") as handle:
            found.update({row[key]: row["stance"] for row in csv.DictReader(handle)})
    return found


def fit_argkp(part: str, sides: bool = False, engine: str = "fast") -> list[dict[str, Any]]:
    """ArgKP's even (tuning) or odd (held-out) dev motions, k = their key points; with
    ``sides``, each argument's side given as its agreement answer (stance measured) and each
    key point's side recorded (``point_sides``)."""
    from analysis import ThemeModel
    from bench.labels import load_motions

    stances = _argkp_stances() if sides else {}
    found = []
    for index, motion in enumerate(load_motions()):
        if (index % 2 == 1) != (part == "odd"):
            continue
        model = ThemeModel(n_themes=len(motion.key_points), engine=engine, seed=0)
        agreement = [stances[i] for i in motion.ids] if sides else None
        model.fit(motion.texts, ids=motion.ids, question=motion.topic, agreement=agreement)
        by_id = dict(zip(motion.ids, motion.truth, strict=True))
        truth = [[by_id[i]] for i in model.ids_]
        record = run_record(f"argkp {part}: {motion.topic}", model, truth)
        if sides:
            record["point_sides"] = {point: stances[point] for point in motion.key_points}
        found.append(record)
    return found


def is_grab_bag(points: list[list[str]]) -> tuple[bool, float]:
    """Whether members carrying ``points`` are a grab-bag by the truth (two or more points,
    none carried by more than :data:`TOP_SHARE` of them), and the top point's share."""
    counts: Counter = Counter(point for made in points for point in set(made))
    if not points or not counts:
        return False, 0.0
    top = counts.most_common(1)[0][1] / len(points)
    return len(counts) >= 2 and top <= TOP_SHARE, top


def theme_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Per theme of a run: its truth, the features a rule may read and the current flag."""
    themes = record["themes"]
    texts = record["texts"]
    multis = [multi_point_share([texts[m] for m in members]) for members in record["members"]]
    sizes = [int(theme["size"]) for theme in themes]
    flags = mixed_themes(
        sizes,
        multis,
        [theme.get("label_point") for theme in themes],
        [theme.get("mentions") for theme in themes],
        [len(theme.get("keywords") or []) for theme in themes],
    )
    mean = sum(sizes) / len(sizes) if sizes else 0.0
    rows = []
    for theme, members, multi, flag in zip(themes, record["members"], multis, flags, strict=True):
        grab, top = is_grab_bag([record["truth"][m] for m in members])
        label_point = theme.get("label_point")
        rows.append(
            {
                "run": record["run"],
                "id": theme["id"],
                "label": theme["label"],
                "size": theme["size"],
                "mentions": theme.get("mentions"),
                "relative": round(theme["size"] / mean, 2) if mean else 0.0,
                "keywords": len(theme.get("keywords") or []),
                "multi": multi,
                "label_point": label_point,
                "label_share": (
                    round(label_point / theme["mentions"], 3)
                    if isinstance(label_point, int) and theme.get("mentions")
                    else None
                ),
                "top": round(top, 3),
                "grab_bag": grab,
                "flagged": flag,
            }
        )
    return rows


def precision_recall(rows: list[dict[str, Any]], key: str = "flagged") -> dict[str, Any]:
    """Flagged themes against grab-bags by the truth."""
    hits = sum(r[key] and r["grab_bag"] for r in rows)
    flagged = sum(bool(r[key]) for r in rows)
    bags = sum(r["grab_bag"] for r in rows)
    return {
        "themes": len(rows),
        "grab_bags": bags,
        "flagged": flagged,
        "right": hits,
        "precision": round(hits / flagged, 2) if flagged else None,
        "recall": round(hits / bags, 2) if bags else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fit = sub.add_parser("fit")
    fit.add_argument(
        "--set",
        required=True,
        choices=(
            "demo",
            "demo-semantic",
            "nhs",
            "argkp-even",
            "argkp-odd",
            "argkp-even-sides",
            "argkp-even-sides-semantic",
        ),
    )
    fit.add_argument("--out", required=True)
    score = sub.add_parser("score")
    score.add_argument("files", nargs="+")
    score.add_argument("--rows", action="store_true", help="print every theme")
    args = parser.parse_args()
    if args.command == "fit":
        if args.set.startswith("demo"):
            records = fit_demo("semantic" if args.set == "demo-semantic" else "fast")
        elif args.set == "nhs":
            records = fit_nhs()
        else:
            part = args.set.split("-")[1]
            engine = "semantic" if args.set.endswith("semantic") else "fast"
            records = fit_argkp(part, "sides" in args.set, engine)
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(records, handle, ensure_ascii=False)
        return
    for path in args.files:
        with open(path, encoding="utf-8") as handle:
            records = json.load(handle)
        rows = [row for record in records for row in theme_rows(record)]
        if args.rows:
            for r in rows:
                print(json.dumps({k: v for k, v in r.items() if k != "run"}, ensure_ascii=False))
        print(path, json.dumps(precision_recall(rows)))


if __name__ == "__main__":
    main()
