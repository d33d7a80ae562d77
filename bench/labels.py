"""Theme labels against the key points experts wrote, on ArgKP's motions (24 in its dev split).

    .venv/bin/python -m bench.labels [--engine auto] [--seed 0] [--option NAME=VALUE ...] [--write]

Per motion, the arguments that match exactly one key point are themed by the product
(``ThemeModel`` with k = the motion's number of key points); themes are matched one-to-one
to key points by their members (Hungarian on overlap), and each matched theme's label is
compared with its key point: cosine similarity of all-MiniLM-L6-v2 vectors (the project's
packaged model, :mod:`analysis.embeddings`) and word-overlap F1 (ROUGE-1 on lower-case
words). Beside our labels, two reference labellers on the same themes: the theme's top four
keywords joined, and the first ten words of its first quote. Six motions (every fourth in
alphabetical order) were kept aside while the labeller was tuned on the other eighteen;
both groups are reported, named with their number of motions (another data folder, such as
the held-out motions in $CONSULT_DATA_DIR, has its own). Data is read from
../shared/data/argkp (or $CONSULT_DATA_DIR/argkp), never copied.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from analysis.api import ThemeModel
from analysis.embeddings import MiniLMEmbedder
from analysis.statements import ends_badly
from bench.common import add_option_argument, data_dir, machine, write_section

_WORDS = re.compile(r"[a-z0-9']+")
HELD_OUT_EVERY = 4  # motions kept aside while tuning: every fourth, alphabetically


@dataclass
class Motion:
    """One motion's arguments (matching exactly one key point) and its key points."""

    topic: str
    ids: list[str]
    texts: list[str]
    truth: list[str]  # the key point id of each argument
    key_points: dict[str, str]  # id -> text


def load_motions() -> list[Motion]:
    """The data folder's ArgKP motions (the dev split's 24), alphabetically."""
    root = data_dir() / "argkp"

    def rows(name: str) -> list[dict[str, str]]:
        with (root / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    matches: dict[str, list[str]] = defaultdict(list)
    for row in rows("labels_train.csv"):
        if row["label"] == "1":
            matches[row["arg_id"]].append(row["key_point_id"])
    key_points: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows("key_points_train.csv"):
        key_points[row["topic"]][row["key_point_id"]] = row["key_point"]
    found: dict[str, Motion] = {}
    for row in rows("arguments_train.csv"):
        points = matches.get(row["arg_id"], [])
        if len(points) != 1:
            continue
        topic = row["topic"]
        motion = found.setdefault(topic, Motion(topic, [], [], [], key_points[topic]))
        motion.ids.append(row["arg_id"])
        motion.texts.append(row["argument"])
        motion.truth.append(points[0])
    return [found[t] for t in sorted(found)]


def held_out(index: int) -> bool:
    """True for the motions kept aside while tuning."""
    return index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1


def matched_themes(model: ThemeModel, motion: Motion) -> list[tuple[dict, str]]:
    """(theme, key point id) pairs: Hungarian matching on the number of shared members."""
    points = sorted(motion.key_points)
    themes = model.themes_
    index = {theme["id"]: i for i, theme in enumerate(themes)}
    table = np.zeros((len(themes), len(points)))
    for primary, point in zip(model.theme_ids_, motion.truth, strict=True):
        if primary in index:
            table[index[primary], points.index(point)] += 1
    rows, cols = linear_sum_assignment(-table)
    return [(themes[r], points[c]) for r, c in zip(rows, cols, strict=True) if table[r, c] > 0]


def first_words(text: str, count: int = 10) -> str:
    return " ".join(text.split()[:count])


def overlap_f1(label: str, reference: str) -> float:
    """ROUGE-1 F1 on lower-case word sets."""
    ours, theirs = set(_WORDS.findall(label.lower())), set(_WORDS.findall(reference.lower()))
    common = len(ours & theirs)
    if not common:
        return 0.0
    precision, recall = common / len(ours), common / len(theirs)
    return 2 * precision * recall / (precision + recall)


LABELLERS = ("ours", "keywords", "first quote")


def labels_of(theme: dict) -> dict[str, str]:
    """Each labeller's label for a theme."""
    quote = theme["quotes"][0]["text"] if theme["quotes"] else ""
    return {
        "ours": theme["label"],
        "keywords": " ".join(theme["keywords"][:4]),
        "first quote": first_words(quote),
    }


def run(engine: str, seed: int, options: dict | None = None) -> tuple[list[dict], dict]:
    """One row per matched theme: motion, group, key point and each labeller's label
    (``options``: more ``ThemeModel`` settings for every fit)."""
    motions = load_motions()
    found = []
    timing = {"fit": 0.0}
    used = None
    for number, motion in enumerate(motions):
        started = time.perf_counter()
        model = ThemeModel(
            n_themes=len(motion.key_points), engine=engine, seed=seed, **(options or {})
        )
        model.fit(motion.texts, ids=motion.ids, question=motion.topic)
        timing["fit"] += time.perf_counter() - started
        used = model.engine_
        for theme, point in matched_themes(model, motion):
            found.append(
                {
                    "motion": motion.topic,
                    "held_out": held_out(number),
                    "key_point": motion.key_points[point],
                    "summary": [s["text"] for s in theme["summary"]],
                    **labels_of(theme),
                }
            )
    timing["engine"] = used
    return found, timing


def score(rows: list[dict]) -> None:
    """Add each labeller's MiniLM cosine and word-overlap F1 to every row."""
    embedder = MiniLMEmbedder()
    texts = sorted({r[k] for r in rows for k in (*LABELLERS, "key_point")})
    vectors = dict(zip(texts, embedder.embed(texts), strict=True))
    for row in rows:
        point = vectors[row["key_point"]]
        for name in LABELLERS:
            row[f"{name} cosine"] = float(vectors[row[name]] @ point)
            row[f"{name} f1"] = overlap_f1(row[name], row["key_point"])


def motion_means(rows: list[dict], column: str) -> float:
    """The mean over motions of the mean over a motion's matched themes."""
    per: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        per[row["motion"]].append(row[column])
    return statistics.mean(statistics.mean(v) for v in per.values())


def motion_count(rows: list[dict]) -> int:
    """How many motions the rows come from."""
    return len({row["motion"] for row in rows})


def table(rows: list[dict]) -> str:
    tuning = [r for r in rows if not r["held_out"]]
    held = [r for r in rows if r["held_out"]]
    groups = [
        (f"tuning motions ({motion_count(tuning)})", tuning),
        (f"held-out motions ({motion_count(held)})", held),
        (f"all {motion_count(rows)} motions", rows),
    ]
    groups = [(name, part) for name, part in groups if part]  # fewer than 4: none held out
    lines = [
        "| Labeller | "
        + " | ".join(f"cosine, {name}" for name, _ in groups)
        + " | word F1, all | words | ends on a function word or a verb needing an object |",
        "|---|" + "---|" * (len(groups) + 3),
    ]
    names = {
        "ours": "our label",
        "keywords": "top four keywords joined",
        "first quote": "first ten words of the first quote",
    }
    for name in LABELLERS:
        cells = [f"{motion_means(part, f'{name} cosine'):.3f}" for _, part in groups]
        words = statistics.mean(len(r[name].split()) for r in rows)
        dangling = sum(ends_badly(r[name]) for r in rows) / len(rows)
        lines.append(
            f"| {names[name]} | {' | '.join(cells)} | {motion_means(rows, f'{name} f1'):.3f} "
            f"| {words:.1f} | {100 * dangling:.0f} % |"
        )
    return "\n".join(lines)


def summary_figures(rows: list[dict]) -> str:
    """Summary sentences per theme and the share of sentence pairs within a theme that say
    nearly the same thing (word Jaccard at least 0.6)."""
    pairs = near = 0
    for row in rows:
        words = [set(_WORDS.findall(s.lower())) for s in row["summary"]]
        for one in range(len(words)):
            for two in range(one + 1, len(words)):
                pairs += 1
                union = words[one] | words[two]
                near += bool(union) and len(words[one] & words[two]) / len(union) >= 0.6
    sentences = statistics.mean(len(r["summary"]) for r in rows)
    share = 100 * near / pairs if pairs else 0.0
    return (
        f"Summaries: {sentences:.1f} sentences per theme on average; {share:.1f} % of the "
        f"{pairs} sentence pairs within a theme are near-duplicates (word Jaccard >= 0.6)."
    )


def examples(rows: list[dict], count: int = 8) -> str:
    held = [r for r in rows if r["held_out"]]
    step = max(1, len(held) // count)
    lines = ["| Expert key point | Our label | cosine |", "|---|---|---|"]
    for row in held[::step][:count]:
        lines.append(f"| {row['key_point']} | {row['ours']} | {row['ours cosine']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    parser.add_argument("--json", help="also write every matched theme's labels to this file")
    add_option_argument(
        parser, "a ThemeModel setting for every fit (a Python literal, e.g. encoder='auto')"
    )
    args = parser.parse_args()
    if args.write and args.option:
        parser.error("--write takes the default settings (no --option)")
    rows, timing = run(args.engine, args.seed, dict(args.option))
    score(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, default=float), encoding="utf-8")
    text = table(rows)
    print(text)
    print(summary_figures(rows))
    print(examples(rows))
    if args.write:
        command = f".venv/bin/python -m bench.labels --engine {args.engine} --seed {args.seed}"
        write_section(
            f"labels-{timing['engine']}",
            f"## Theme labels against ArgKP's expert key points ({timing['engine']} engine)\n\n"
            f"`{command} --write` on {machine()}, under load from other users of the machine; "
            f"{len(rows)} matched themes on {motion_count(rows)} motions, k = the number of "
            "key points, "
            f"seed {args.seed}; fitting took {timing['fit']:.0f} s in all.\n\n"
            "Per motion, the arguments matching exactly one key point are themed, themes are "
            "matched to key points by their members (Hungarian on overlap), and each label is "
            "compared with its key point: cosine of all-MiniLM-L6-v2 vectors (mean over "
            "motions) and word-overlap F1. The labeller was tuned on "
            f"{motion_count([r for r in rows if not r['held_out']])} motions; "
            f"{motion_count([r for r in rows if r['held_out']])} (every "
            "fourth alphabetically) were kept aside and are reported apart. Each motion is "
            "given as the question's wording, as the workspace gives a question's, so a "
            "statement that only restates it is not taken as a label while a reason is left."
            "\n\n"
            f"{text}\n\n{summary_figures(rows)}\n\n"
            f"A sample of held-out motions:\n\n{examples(rows)}\n",
        )


if __name__ == "__main__":
    main()
