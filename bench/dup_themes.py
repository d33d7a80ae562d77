"""Two themes of one run that make one point (dup32, issue 12): why pairs escape
:mod:`analysis.same_point` and :mod:`analysis.alike`, and the hints a switch would give.

    .venv/bin/python -m bench.dup_themes fit --set demo|nhs|argkp --engine fast|semantic \
        [--fast-minilm-hints] --out FILE.json
    .venv/bin/python -m bench.dup_themes score FILE.json [...] > FILE.rows
    .venv/bin/python -m bench.dup_themes table FILE.rows [...]
    .venv/bin/python -m bench.dup_themes auc FILE.rows [...]
    .venv/bin/python -m bench.dup_themes compare OFF.json ON.json

``fit`` themes a set (seed 0) as :mod:`bench.grab_bags` does and writes, per run, each theme's
document (with the run's own ``alike`` hints), its members, each member's known points (the
demo's planted points, NHS FFT's human label for Trust A and B's first 1,000 answers, ArgKP's
key point), the pairs the run joined and the vectors the run compares labels with: the demo and
NHS with the automatic count (as the workspace runs them), ArgKP with the experts' count given
(``CONSULT_DATA_DIR`` chooses the motions: the 24 dev ones, or the 7 fresh ones).
``--fast-minilm-hints`` turns :data:`analysis.alike.FAST_MINILM_HINTS` on.

``score`` gives every pair of themes of every run its truth (one point: the point most of each
theme's members make is the same; on the demo also both labels wording one planted point) and
its signals: the labels' z over the run's pairs, with the run's vectors and with MiniLM
(:func:`analysis.alike.label_similarity`: what ``same_point`` and ``alike`` read), and the
members' test (:func:`analysis.dup_themes.member_scores`) and shared summary points
(:func:`summary_scores`). ``auc`` gives each signal's AUC, ``table`` tallies the pairs each
rule (:data:`RULES`) flags; ``compare`` the hints two sets of fits gave themselves, and
whether their groupings are the same.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
from collections import Counter
from typing import Any

import numpy as np


def fit_set(name: str, engine: str) -> list[dict[str, Any]]:
    from bench import grab_bags

    if name == "demo":
        return _recorded(lambda: grab_bags.fit_demo(engine))
    if name == "nhs":
        return _recorded(lambda: _fit_nhs(engine))
    if name == "nhsC":
        return _recorded(lambda: _fit_nhs(engine, "C"))
    return _recorded(
        lambda: (
            grab_bags.fit_argkp("even", engine=engine) + grab_bags.fit_argkp("odd", engine=engine)
        )
    )


def _fit_nhs(engine: str, trusts: str = "AB") -> list[dict[str, Any]]:
    """NHS FFT's first 1,000 answers of each of ``trusts``' questions (A and B tune; C, the
    held-out trust, with ``"C"``)."""
    import csv

    from analysis import ThemeModel
    from bench.grab_bags import run_record
    from bench.summaries import QUESTIONS, _data_file

    found = []
    for question, wording in QUESTIONS[:2] if trusts == "AB" else QUESTIONS[2:]:
        with _data_file().open(encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r["question"] == question][:1000]
        model = ThemeModel(engine=engine, seed=0).fit(
            [r["feedback"] for r in rows], ids=[r["row_index"] for r in rows], question=wording
        )
        by_id = {r["row_index"]: r["label"] for r in rows}
        found.append(run_record(f"nhs: {question}", model, [[by_id[i]] for i in model.ids_]))
    return found


def _recorded(fit) -> list[dict[str, Any]]:
    """Each record with the pairs its run joined (``joined_themes_``) and the vectors the
    library would compare (``analysis.stages._quote_embedder``: MiniLM for the semantic
    engine, the fast engine's static vectors) of its labels and of its answers."""
    from analysis import alike as alike_module
    from analysis import stages
    from analysis.alike import label_similarity
    from bench import grab_bags

    runs: list[stages.FitRun] = []
    hinted: list[dict[str, Any]] = []
    spread, original = stages.label_spread, grab_bags.run_record
    hints = stages.alike

    def kept(run):
        runs.append(run)
        return spread(run)

    def both(run):
        """The run's hints with :data:`analysis.alike.CENTROID_Z` off (``hints_off``) and as
        set (the themes' ``alike``), the themes' sides and members' centroids' z (cent33)."""
        chosen = alike_module.CENTROID_Z
        alike_module.CENTROID_Z = None
        try:
            hints(run)
        finally:
            alike_module.CENTROID_Z = chosen
        off = [list(entry["alike"]) for entry in run.themes]
        hints(run)
        centroids = stages._member_centroids(run)
        hinted.append(
            {
                "hints_off": off,
                "centroid_z_set": chosen,
                "sides": stages.theme_sides(run),
                "centroids": None if centroids is None else np.round(centroids, 6).tolist(),
                "centroid_z": None
                if centroids is None
                else np.round(label_similarity(centroids)[1], 4).tolist(),
            }
        )

    def record(name, model, truth):
        found = original(name, model, truth)
        found["joined"] = [list(pair) for pair in model.joined_themes_]
        found.update(hinted[-1])
        embed = stages._quote_embedder(runs[-1].representation)
        found["label_vectors"] = np.round(embed([t["label"] for t in found["themes"]]), 5).tolist()
        found["text_vectors"] = np.round(embed(found["texts"]), 5).tolist()
        return found

    stages.label_spread, grab_bags.run_record, stages.alike = kept, record, both
    try:
        return fit()
    finally:
        stages.label_spread, grab_bags.run_record, stages.alike = spread, original, hints


def theme_point(points: list[list[str]]) -> tuple[str | None, float]:
    """The point most of a theme's members make, and its share of them."""
    counts: Counter = Counter(p for made in points for p in set(made))
    if not counts:
        return None, 0.0
    point, most = min(counts.items(), key=lambda item: (-item[1], item[0]))
    return point, most / len(points)


def label_points(labels: list[str]) -> list[str | None]:
    """The demo point each label words (``bench.demo_report._phrasings``), None if none."""
    from bench.demo_report import _phrasings

    phrasings = _phrasings()
    found = []
    for label in labels:
        cut = label.lower().rstrip(".")[1:]
        points = sorted({p for core, p in phrasings.items() if cut and cut in core})
        found.append(points[0] if len(points) == 1 else None)
    return found


def summary_scores(themes: list[dict[str, Any]], embed) -> dict[str, np.ndarray]:
    """Shared summary points, MiniLM, in standard deviations above the run's median pair:
    ``summary_z``, the nearest two of either theme's label and summary sentences;
    ``label_summary_z``, either label against the other theme's label and summary."""
    k = len(themes)
    said = [[t["label"]] + [s["text"] for s in t.get("summary", [])] for t in themes]
    vectors = [_unit(np.asarray(embed(texts), dtype=np.float64)) for texts in said]
    shared, labelled = np.zeros((k, k)), np.zeros((k, k))
    for a in range(k):
        for b in range(k):
            if a != b:
                shared[a, b] = float((vectors[a] @ vectors[b].T).max())
                labelled[a, b] = max(
                    float((vectors[a][:1] @ vectors[b].T).max()),
                    float((vectors[b][:1] @ vectors[a].T).max()),
                )
    found = {}
    for name, matrix in (("summary_z", shared), ("label_summary_z", labelled)):
        values = matrix[np.triu_indices(k, 1)] if k >= 2 else np.zeros(1)
        spread = float(values.std()) or 1.0
        found[name] = (matrix - float(np.median(values))) / spread
    return found


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)


def signal_auc(files: list[str]) -> str:
    """Per score file, each signal's AUC for pairs making one point (members' truth)."""
    from sklearn.metrics import roc_auc_score

    lines = []
    for name in files:
        with open(name, encoding="utf-8") as handle:
            for line in handle:
                found = json.loads(line)
                rows = found["rows"]
                truth = [row["same"] for row in rows]
                keys = [key for key, value in rows[0].items() if isinstance(value, float)]
                tag = found["file"].rsplit("/", 1)[-1].removesuffix(".json")
                lines.append(
                    f"{tag}: "
                    + ", ".join(
                        f"{key} {roc_auc_score(truth, [row[key] for row in rows]):.2f}"
                        for key in keys
                    )
                )
    return "\n".join(lines)


def pair_rows(record: dict[str, Any], embed, embed_members: bool = False) -> list[dict[str, Any]]:
    """Every pair of the run's themes with its truth and signals."""
    from analysis.alike import label_similarity
    from analysis.dup_themes import member_scores

    themes = record["themes"]
    k = len(themes)
    if k < 2:
        return []
    labels = [t["label"] for t in themes]
    members = record["members"]
    label_vectors = np.asarray(record["label_vectors"], dtype=np.float64)
    cosine, z = label_similarity(label_vectors)
    # what same_point and alike read: MiniLM's label vectors
    mini_cosine, mini_z = label_similarity(np.asarray(embed(labels), dtype=np.float64))
    scores = member_scores(label_vectors, np.asarray(record["text_vectors"]), members)
    if embed_members:  # the members' test with MiniLM's vectors too (the fast engine's runs)
        mini = member_scores(
            np.asarray(embed(labels), dtype=np.float64),
            np.asarray(embed(record["texts"]), dtype=np.float64),
            members,
        )
        scores.update({f"minilm_{key}": value for key, value in mini.items()})
    summary = summary_scores(themes, embed)
    points = [theme_point([record["truth"][m] for m in ms]) for ms in members]
    joined = {tuple(sorted(p)) for p in record.get("joined", [])}
    hinted = {
        (a, b)
        for a in range(k)
        for b in range(k)
        if any(h["id"] == themes[b]["id"] for h in themes[a].get("alike", []))
    }
    said = label_points(labels) if record["run"].split(" ", 1)[-1].startswith("demo") else None
    rows = []
    for a in range(k):
        for b in range(a + 1, k):
            same = points[a][0] is not None and points[a][0] == points[b][0]
            rows.append(
                {
                    "run": record["run"],
                    "a": themes[a]["id"],
                    "b": themes[b]["id"],
                    "labels": (labels[a], labels[b]),
                    "sizes": (len(members[a]), len(members[b])),
                    "points": (points[a], points[b]),
                    "same": same,
                    # the demo: both labels are wordings of one planted point
                    "same_label": bool(said and said[a] and said[a] == said[b]),
                    "cosine": float(cosine[a, b]),
                    "z": float(z[a, b]),
                    "minilm_cosine": float(mini_cosine[a, b]),
                    "minilm_z": float(mini_z[a, b]),
                    "hinted": (a, b) in hinted or (b, a) in hinted,
                    "joined_before": tuple(sorted((labels[a], labels[b]))) in joined,
                    **{key: float(value[a, b]) for key, value in scores.items()},
                    **{key: float(value[a, b]) for key, value in summary.items()},
                }
            )
    return rows


def mutual_nearest(rows: list[dict[str, Any]], key: str = "minilm_cosine") -> None:
    """Marks each pair whose labels are each other's nearest of the run (``mutual``)."""
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for row in rows:
        for x, y in ((row["a"], row["b"]), (row["b"], row["a"])):
            if row[key] > best.get((row["run"], x), (-9.0, ""))[0]:
                best[(row["run"], x)] = (row[key], y)
    for row in rows:
        row["mutual"] = (
            best[(row["run"], row["a"])][1] == row["b"]
            and best[(row["run"], row["b"])][1] == row["a"]
        )


RULES = {
    "the run's hints now (analysis.alike)": lambda r: r["minilm_z"] if r["hinted"] else None,
    "labels z >= 2.0 (MiniLM, both engines)": lambda r: (
        r["minilm_z"] if r["minilm_z"] >= 2.0 else None
    ),
    "labels each other's nearest, z >= 1.0": lambda r: (
        r["minilm_z"] if r["mutual"] and r["minilm_z"] >= 1.0 else None
    ),
    "labels each other's nearest, z >= 1.5": lambda r: (
        r["minilm_z"] if r["mutual"] and r["minilm_z"] >= 1.5 else None
    ),
    "either (z >= 2.0, or nearest and z >= 1.0)": lambda r: (
        r["minilm_z"] if r["minilm_z"] >= 2.0 or (r["mutual"] and r["minilm_z"] >= 1.0) else None
    ),
}


def evaluate(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per rule: the pairs it flags, those making one point by the truth (caught), those
    that do not (false) and the share false."""
    found = {}
    for name, rule in RULES.items():
        flagged = [r for r in rows if rule(r) is not None]
        caught = sum(r["same"] for r in flagged)
        found[name] = {
            "pairs": len(rows),
            "same": sum(r["same"] for r in rows),
            "flagged": len(flagged),
            "caught": caught,
            "false": len(flagged) - caught,
            "labels_caught": sum(r.get("same_label", False) for r in flagged),
        }
    return found


def hinted_pairs(record: dict[str, Any]) -> dict[str, int]:
    """The pairs of themes a run's own hints name (``alike``), each once: how many, how many
    make one point by their members' truth (caught) and how many two (false)."""
    themes = record["themes"]
    index = {t["id"]: i for i, t in enumerate(themes)}
    points = [theme_point([record["truth"][m] for m in ms])[0] for ms in record["members"]]
    pairs = {
        tuple(sorted((i, index[h["id"]])))
        for i, t in enumerate(themes)
        for h in t.get("alike", [])
        if h["id"] in index
    }
    caught = sum(points[a] is not None and points[a] == points[b] for a, b in pairs)
    return {"hinted": len(pairs), "caught": caught, "false": len(pairs) - caught}


def compare(off: str, on: str) -> dict[str, Any]:
    """Today's hints (``off``'s fits) against the switch's (``on``'s: the same fits with
    ``--fast-minilm-hints``), summed over the runs, and whether every run's themes and
    members are the same."""
    with open(off, encoding="utf-8") as handle:
        before = json.load(handle)
    with open(on, encoding="utf-8") as handle:
        after = json.load(handle)
    found: dict[str, Any] = {"runs": len(before), "same_grouping": len(before) == len(after)}
    for name, records in (("off", before), ("on", after)):
        total = Counter()
        for record in records:
            total.update(hinted_pairs(record))
        found[name] = dict(total)
    for a, b in zip(before, after, strict=False):
        if a["members"] != b["members"] or [t["label"] for t in a["themes"]] != [
            t["label"] for t in b["themes"]
        ]:
            found["same_grouping"] = False
    return found


def pair_counts(record: dict[str, Any], hints: list[list[str]]) -> dict[str, int]:
    """The pairs ``hints`` (per theme, the ids its hints name) name, each once: how many,
    how many make one point by the members' truth (caught), how many two."""
    return hinted_pairs(
        {
            **record,
            "themes": [
                {**t, "alike": [{"id": i} for i in h]}
                for t, h in zip(record["themes"], hints, strict=True)
            ],
        }
    )


def centroid_hints(record: dict[str, Any], z: float | None) -> list[list[str]]:
    """The themes each theme's hints would name with :data:`analysis.alike.CENTROID_Z` at
    ``z`` (None: off), from what ``fit`` recorded: the run's own hints with it off
    (``hints_off``), joined by the themes whose members' centroids stand out by ``z`` (the
    recorded ``centroid_z``) and lean to no opposite side, most alike labels first (the
    labels' MiniLM cosine), at most :data:`analysis.alike.ALIKE_LIMIT`, as
    :func:`analysis.alike.alike_themes` ranks them. Replaying today's hints from the
    recorded label vectors instead would move a pair at the z's edge (they are rounded)."""
    from analysis.alike import ALIKE_LIMIT

    themes = record["themes"]
    ids = [t["id"] for t in themes]
    off = [[h["id"] for h in hints] for hints in record["hints_off"]]
    matrix = record.get("centroid_z")
    if z is None or matrix is None or len(themes) < 4:
        return off
    unit = _unit(np.asarray(record["label_vectors"], dtype=np.float64))
    cosine = unit @ unit.T
    sides = record["sides"]
    found = []
    for a in range(len(themes)):
        others = {ids.index(i) for i in off[a]} | {
            b
            for b in range(len(themes))
            if b != a and matrix[a][b] >= z and {sides[a], sides[b]} != {"for", "against"}
        }
        ranked = sorted(others, key=lambda b: (-cosine[a, b], b))[:ALIKE_LIMIT]
        found.append([ids[b] for b in ranked])
    return found


def label_side_hints(record: dict[str, Any], apart: bool) -> list[list[str]]:
    """The themes each theme's hints name, replayed with :func:`analysis.alike.alike_themes`
    from the recorded label vectors and sides, with (``apart``) or without the labels' own
    sides keeping opposite claims apart (:data:`analysis.alike.LABEL_SIDES_APART`, hint33),
    which the product applies only when stance was not measured: here, when no theme has a
    side."""
    from analysis.alike import alike_themes, opposite_labels

    themes = record["themes"]
    if len(themes) < 4:
        return [[] for _ in themes]
    labels = [t["label"] for t in themes]
    sides = record["sides"]
    opposed = opposite_labels(labels) if apart and not any(sides) else None
    found = alike_themes(
        np.asarray(record["label_vectors"], dtype=np.float64),
        [t["id"] for t in themes],
        sides,
        opposed=opposed,
    )
    return [[h["id"] for h in hints] for hints in found]


def _pairs_row(tag: str, setting: object, total: Counter) -> str:
    """One table row: the set, the setting, pairs hinted, one point, false and the false share."""
    share = f"{100 * total['false'] / total['hinted']:.0f} %" if total["hinted"] else "-"
    return (
        f"| {tag} | {setting} | {total['hinted']} | {total['caught']} | "
        f"{total['false']} | {share} |"
    )


@contextlib.contextmanager
def _words_as_count33():
    """Labels' claims read with their words matched as before count34
    (:data:`analysis.label_sides.UNIFY_WORDS` off: no spellings unified, light nouns kept)."""
    from analysis import label_sides

    saved = label_sides.UNIFY_WORDS
    label_sides.UNIFY_WORDS = False
    try:
        yield
    finally:
        label_sides.UNIFY_WORDS = saved


def label_side_table(files: list[str]) -> str:
    """Per fitted file: the runs' own hints (switch off), the replayed hints off and on
    (:func:`label_side_hints`), on also with the claims' words matched as before count34
    (:func:`_words_as_count33`): pairs hinted, one point (members' truth), false, false share,
    and in how many runs the replay off equals the runs' own hints."""
    lines = [
        "| set | hints | hinted pairs | one point (members) | false | false share |",
        "|---|---|--:|--:|--:|--:|",
    ]
    notes = []
    for name in files:
        with open(name, encoding="utf-8") as handle:
            records = json.load(handle)
        tag = name.rsplit("/", 1)[-1].removesuffix(".json")
        own = [[[h["id"] for h in hints] for hints in r["hints_off"]] for r in records]
        off = [label_side_hints(r, False) for r in records]
        with _words_as_count33():
            before = [label_side_hints(r, True) for r in records]
        on = [label_side_hints(r, True) for r in records]
        rows = (
            ("runs' own", own),
            ("replay off", off),
            ("replay on, words as count33", before),
            ("replay on", on),
        )
        for what, hints in rows:
            total: Counter = Counter()
            for record, found in zip(records, hints, strict=True):
                total.update(pair_counts(record, found))
            lines.append(_pairs_row(tag, what, total))
        equal = sum(a == b for a, b in zip(own, off, strict=True))
        sided = sum(bool(any(r["sides"])) for r in records)
        notes.append(
            f"{tag}: {len(records)} runs, replay off equals the runs' own hints in {equal}; "
            f"runs with a side (switch not applied): {sided}"
        )
    return "\n".join(lines + [""] + notes)


def run_nmi(record: dict[str, Any]) -> float | None:
    """NMI % of the run's themes (members, by rows) against each row's one known point
    (rows with none or several left out); None when no row has one."""
    from sklearn.metrics import normalized_mutual_info_score

    theme_of = {m: t for t, members in enumerate(record["members"]) for m in members}
    pairs = [
        (theme_of[row], made[0])
        for row, made in enumerate(record["truth"])
        if len(made) == 1 and row in theme_of
    ]
    if not pairs:
        return None
    return 100 * normalized_mutual_info_score(*zip(*pairs, strict=True))


def centroid_table(files: list[str], grid: list[float | None]) -> str:
    """Per fitted file (``fit``'s JSON) and centroid z (None: off): the runs' hinted pairs,
    caught (one point) and false, with the false share; then the signal's AUC over every pair
    and the runs' mean NMI, with the hints the runs gave themselves at the fit's z (the
    themes' ``alike``) checked against the replayed ones."""
    from sklearn.metrics import roc_auc_score

    lines = [
        "| set | centroid z | hinted pairs | one point (members) | false | false share |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    notes = []
    for name in files:
        with open(name, encoding="utf-8") as handle:
            records = json.load(handle)
        tag = name.rsplit("/", 1)[-1].removesuffix(".json")
        for z in grid:
            total: Counter = Counter()
            for record in records:
                total.update(pair_counts(record, centroid_hints(record, z)))
            lines.append(_pairs_row(tag, "off" if z is None else z, total))
        truth, score = [], []
        on_equal = all(
            centroid_hints(r, r.get("centroid_z_set"))
            == [[h["id"] for h in t["alike"]] for t in r["themes"]]
            for r in records
        )
        for record in records:
            points = [theme_point([record["truth"][m] for m in ms])[0] for ms in record["members"]]
            matrix = record.get("centroid_z")
            if matrix is None:
                continue
            for a in range(len(points)):
                for b in range(a + 1, len(points)):
                    truth.append(points[a] is not None and points[a] == points[b])
                    score.append(matrix[a][b])
        auc = roc_auc_score(truth, score) if 0 < sum(truth) < len(truth) else float("nan")
        nmis = [v for v in (run_nmi(r) for r in records) if v is not None]
        notes.append(
            f"{tag}: {len(records)} runs, {len(truth)} pairs ({sum(truth)} one point), centroid "
            f"z AUC {auc:.2f}, mean NMI {statistics.mean(nmis) if nmis else float('nan'):.2f}, "
            f"replayed hints equal the runs' own at the fit's z "
            f"({records[0].get('centroid_z_set') if records else None}): {on_equal}"
        )
    return "\n".join(lines + [""] + notes)


def rule_table(files: list[str]) -> str:
    """Per score file (one line each: a fitted set) and rule: pairs flagged, caught and false,
    as a Markdown table."""
    lines = [
        "| set | rule | pairs (one point) | flagged | one point (members) | false | false share "
        "| one point (demo's planted wordings) |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for name in files:
        with open(name, encoding="utf-8") as handle:
            for line in handle:
                found = json.loads(line)
                rows = found["rows"]
                mutual_nearest(rows)
                tag = found["file"].rsplit("/", 1)[-1].removesuffix(".json")
                for rule, f in evaluate(rows).items():
                    share = f"{100 * f['false'] / f['flagged']:.0f} %" if f["flagged"] else "-"
                    planted = f["labels_caught"] if tag.startswith("demo") else ""
                    lines.append(
                        f"| {tag} | {rule} | {f['pairs']} ({f['same']}) | {f['flagged']} | "
                        f"{f['caught']} | {f['false']} | {share} | {planted} |"
                    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fit = sub.add_parser("fit")
    fit.add_argument("--set", required=True, choices=["demo", "nhs", "nhsC", "argkp"])
    fit.add_argument("--engine", default="semantic", choices=["fast", "semantic"])
    fit.add_argument("--out", required=True)
    fit.add_argument(
        "--fast-minilm-hints", action="store_true", help="analysis.alike.FAST_MINILM_HINTS on"
    )
    score = sub.add_parser("score")
    score.add_argument("files", nargs="+")
    versus = sub.add_parser("compare", help="the runs' own hints, switch off against on")
    versus.add_argument("off")
    versus.add_argument("on")
    aucs = sub.add_parser("auc", help="each signal's AUC from score's output")
    aucs.add_argument("files", nargs="+")
    table = sub.add_parser("table", help="the rules' figures from score's output")
    table.add_argument("files", nargs="+")
    centred = sub.add_parser("centroids", help="cent33: hints by members' centroids, per z")
    centred.add_argument("files", nargs="+")
    centred.add_argument("--grid", default="off,1.5,1.75,2.0,2.25,2.5,3.0")
    apart = sub.add_parser("labelsides", help="hint33: opposite labels kept apart, off/on")
    apart.add_argument("files", nargs="+")
    fit.add_argument(
        "--centroid-z", type=float, default=None, help="analysis.alike.CENTROID_Z (cent33)"
    )
    args = parser.parse_args(argv)
    if args.command == "centroids":
        grid = [None if z == "off" else float(z) for z in args.grid.split(",")]
        print(centroid_table(args.files, grid))
        return 0
    if args.command == "labelsides":
        print(label_side_table(args.files))
        return 0
    if args.command == "compare":
        print(json.dumps(compare(args.off, args.on)))
        return 0
    if args.command == "auc":
        print(signal_auc(args.files))
        return 0
    if args.command == "table":
        print(rule_table(args.files))
        return 0
    if args.command == "fit":
        from analysis import alike

        alike.FAST_MINILM_HINTS = args.fast_minilm_hints
        alike.CENTROID_Z = args.centroid_z
        records = fit_set(args.set, args.engine)
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(records, handle)
        return 0
    from analysis.embeddings import MiniLMEmbedder

    embed = MiniLMEmbedder(threads=1).embed
    for name in args.files:
        with open(name, encoding="utf-8") as handle:
            records = json.load(handle)
        for index, record in enumerate(records):  # the demo asks "Why do you say that?" thrice
            record["run"] = f"{index:02d} {record['run']}"
        rows = [row for record in records for row in pair_rows(record, embed, "fast" in name)]
        print(json.dumps({"file": name, "rows": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
