"""How well a merged theme's summary points are counted, on the demo (issue 12, smoke8 #4).

A reviewer's merge (:func:`consult.reports.review.merge_themes`) describes the merged theme
again from its answers (:func:`analysis.group.describe_group`): its summary keeps each merged
part's main point and counts, per summary point, the answers mentioning the merged theme that
make it (``answers``), and the label's point (``label_point``). The demo consultation's
answers are built from known points (consult/demo_text.py), so the true count of each point
is known. This script themes the seven free-text questions as the workspace does (semantic
engine, automatic count, seed 0), merges every pair of a question's themes as the workspace
does (the larger first: its label kept; its answers, the other's, and those mentioning either
as another theme), and compares each counted point with the truth. The unmerged themes' own
counts are the fit's (``bench/summary_points.py``).

    .venv/bin/python -m bench.merge_counts [--pairs N] [--write]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os
import pickle
import time
from pathlib import Path
from typing import Any

import numpy as np

from analysis.label_points import statement_makers
from bench.common import machine, write_section
from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made
from bench.summary_points import says

CACHE = Path(os.environ.get("MERGE_COUNTS_CACHE", "/tmp/mergecount/fits.pickle"))


@functools.lru_cache(maxsize=1)
def _embed():
    """MiniLM's embedding function (one model for the whole run)."""
    from analysis.embeddings import MiniLMEmbedder

    return MiniLMEmbedder().embed


HEADING = "## A merged theme's summary-point counts (issue 12, smoke8 #4; `bench/merge_counts.py`)"
NOTE = (
    "Why merges over-counted: a merged theme's summary sentence is read over about twice as "
    "many answers that make a neighbouring point rather than its own (48 a sentence on the "
    "demo's merges against 26 in a run's theme, in a first sample of 21 merges), and about the "
    "same share of those pass the cosine-0.45 rule (24 % against 21 %), so the count grows "
    'with the theme rather than with the point ("53 of 62"); most demo answers make several '
    "points (83 % of those read), each near several of the merged theme's sentences. Now a "
    "merged (or split) theme's summary points are counted with each answer that makes several "
    "points read, as a whole and by each point, as making only the sentence each is nearest "
    "to; an answer making one point is counted as before "
    "(`analysis.label_points.statement_makers(..., nearest=True)`, used by "
    "`analysis.group._counted`). Applied to every answer, the nearest-only rule undercounted "
    "ArgKP's merged themes (one-point arguments whose key points overlap: median ratio to the "
    "truth 0.62, mean absolute error 16.1 against 14.5 before); hence one-point answers are "
    "left as they were. A run's own counts (`analysis.stages.summary_point_counts`) are "
    "unchanged, so the demo's, ArgKP's and NHS's unmerged figures in \"Answers that make a "
    'summary sentence\'s point" and "Summary points\' counts on real feedback" stay as they '
    "are; the last row shows what the rule would do to the demo's run counts (not used). "
    '`answers_as_label` (the count the "another point is commoner" flag compares with '
    "`label_point`) keeps the plain 0.5 rule: on 42 merges, counting it nearest-only (every "
    "answer) changed the flag's errors against the truth from 6 false and 3 missed to 3 false "
    "and 6 missed, no better. Truth: the demo answers that make the sentence's known point, "
    "among those mentioning the merged theme."
)


def fits() -> list[dict[str, Any]]:
    """Each demo question's wording, answers (texts, ids, agreement) and fitted themes
    (labels, memberships, themes), cached in ``CACHE`` between runs of one checkout."""
    if CACHE.exists():
        with CACHE.open("rb") as handle:
            return pickle.load(handle)
    found = []
    with demo_questions() as questions:
        for wording, answers in questions:
            model = fit_demo_question(wording, answers, "semantic")
            found.append(
                {
                    "wording": wording,
                    "texts": list(answers.texts),
                    "ids": list(answers.references),
                    "agreement": list(answers.agreement) if answers.agreement else None,
                    "labels": [int(x) for x in model.labels_],
                    "memberships": [list(map(int, m)) for m in model.memberships_],
                    "themes": model.themes_,
                }
            )
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with CACHE.open("wb") as handle:
        pickle.dump(found, handle)
    return found


def merge(question: dict[str, Any], first: int, second: int) -> dict[str, Any]:
    """Themes ``first`` and ``second`` of ``question`` merged as the workspace merges them:
    described from the rows whose main theme is either, counted over those and the rows
    mentioning either as another theme. The points counted, each with its truth."""
    from analysis.group import describe_group

    phrasings = _phrasings()
    texts, ids = question["texts"], question["ids"]
    pair = {first, second}
    own = [r for r, label in enumerate(question["labels"]) if label in pair]
    also = [
        r
        for r, themes in enumerate(question["memberships"])
        if question["labels"][r] not in pair and pair & set(themes)
    ]
    agreement = question["agreement"]
    labels = [question["themes"][t]["label"] for t in (first, second)]
    described = describe_group(
        [texts[r] for r in own],
        [ids[r] for r in own],
        [agreement[r] for r in own] if agreement else None,
        question["wording"],
        engine="semantic",
        seed=0,
        label=labels[0],
        points=labels,
        also=[(ids[r], texts[r]) for r in also],
    )
    read = [texts[r] for r in own + also]
    made = [points_made(text, phrasings) for text in read]
    summary = [s for s in described.summary if not s.get("only_point")]
    statements = [s["text"] for s in summary]
    recount = (
        {
            key: statement_makers(statements, read, _embed(), nearest=key == "now")
            for key in ("before", "now")
        }
        if statements
        else {}
    )
    rows = []
    for column, sentence in enumerate(summary):
        known = says(sentence["text"], phrasings)
        listed = np.array([ids[r] in set(sentence["ids"]) for r in own + also], dtype=bool)
        rows.append(
            {
                "text": sentence["text"],
                "part": sentence["text"].rstrip(".") in {x.rstrip(".") for x in labels[1:]},
                "answers": sentence.get("answers"),
                "before": int((recount["before"][:, column] | listed).sum()),
                "now": int((recount["now"][:, column] | listed).sum()),
                "truth": sum(known[0] in m for m in made) if len(known) == 1 else None,
            }
        )
    label_known = says(labels[0], phrasings)
    return {
        "labels": labels,
        "mentions": len(own) + len(also),
        "label_point": described.label_point,
        "label_truth": sum(label_known[0] in m for m in made) if len(label_known) == 1 else None,
        "points": rows,
    }


def measure(most: int | None) -> list[dict[str, Any]]:
    """Every pair of each question's themes merged (at most ``most`` pairs a question)."""
    out = []
    for number, question in enumerate(fits()):
        pairs = list(itertools.combinations(range(len(question["themes"])), 2))
        if most is not None and len(pairs) > most:
            step = len(pairs) / most
            pairs = [pairs[int(i * step)] for i in range(most)]
        for first, second in pairs:
            found = merge(question, first, second)
            out.append({"question": number, "pair": (first, second), **found})
    return out


def measure_argkp(motions: int, most: int) -> list[dict[str, Any]]:
    """ArgKP: every ``motions``-th of its 24 motions themed (semantic engine, as many themes as
    key points, seed 0) and ``most`` pairs of its themes merged as the workspace merges them.
    A summary sentence from an argument matching exactly one key point makes that point; the
    truth is how many arguments mentioning the merged theme match it (the rule was chosen on
    the demo; ArgKP was not read while choosing it)."""
    from analysis import ThemeModel
    from analysis.group import describe_group
    from bench.quality import load_argkp

    out = []
    for index, (topic, _one, _kp, truth, texts) in enumerate(load_argkp()):
        if index % motions:
            continue
        k = len({label for row in truth for label in row})
        ids = [str(i) for i in range(len(texts))]
        model = ThemeModel(n_themes=k, engine="semantic", seed=0).fit(texts, ids=ids)
        labels_ = [int(x) for x in model.labels_]
        memberships = [set(map(int, m)) for m in model.memberships_]
        pairs = list(itertools.combinations(range(len(model.themes_)), 2))
        step = max(1, len(pairs) // most)
        for first, second in pairs[::step][:most]:
            pair = {first, second}
            own = [r for r, label in enumerate(labels_) if label in pair]
            also = [r for r, m in enumerate(memberships) if labels_[r] not in pair and pair & m]
            labels = [model.themes_[t]["label"] for t in (first, second)]
            described = describe_group(
                [texts[r] for r in own],
                [ids[r] for r in own],
                None,
                topic,
                engine="semantic",
                seed=0,
                label=labels[0],
                points=labels,
                also=[(ids[r], texts[r]) for r in also],
            )
            read = [texts[r] for r in own + also]
            summary = [s for s in described.summary if not s.get("only_point")]
            statements = [s["text"] for s in summary]
            if not statements:
                continue
            recount = {
                key: statement_makers(statements, read, _embed(), nearest=key == "now")
                for key in ("before", "now")
            }
            points = []
            for column, sentence in enumerate(summary):
                made = truth[int(sentence["id"])]
                listed = set(sentence["ids"])
                shown = np.array([ids[r] in listed for r in own + also], dtype=bool)
                points.append(
                    {
                        "text": sentence["text"],
                        "part": sentence["text"] in labels[1:],
                        "answers": sentence.get("answers"),
                        "before": int((recount["before"][:, column] | shown).sum()),
                        "now": int((recount["now"][:, column] | shown).sum()),
                        "truth": (
                            sum(made[0] in truth[r] for r in own + also) if len(made) == 1 else None
                        ),
                    }
                )
            out.append({"motion": index, "labels": labels, "points": points})
    return out


def errors(rows: list[dict[str, Any]], key: str = "answers") -> dict[str, Any]:
    """Summed count and truth, mean absolute error, median ratio and share within 20 %."""
    known = [r for r in rows if r["truth"] is not None and r[key] is not None]
    if not known:
        return {"n": 0}
    counted = np.array([r[key] for r in known], dtype=float)
    truth = np.array([r["truth"] for r in known], dtype=float)
    ratio = counted / np.maximum(truth, 1)
    return {
        "n": len(known),
        "counted": int(counted.sum()),
        "truth": int(truth.sum()),
        "mae": float(np.abs(counted - truth).mean()),
        "median_ratio": float(np.median(ratio)),
        "within": int((np.abs(counted - truth) <= 0.2 * np.maximum(truth, 1)).sum()),
        "over": int((counted > 1.2 * np.maximum(truth, 1)).sum()),
    }


def unmerged() -> list[dict[str, Any]]:
    """Each run theme's summary sentences with a known point: the fit's own ``answers``
    (before and now: a run's counts are unchanged) and what the nearest-sentence rule would
    give over the same answers, with the truth."""
    phrasings = _phrasings()
    rows = []
    for question in fits():
        texts = question["texts"]
        for number, theme in enumerate(question["themes"]):
            summary = [s for s in theme["summary"] if not s.get("only_point")]
            if not summary:
                continue
            mentions = [r for r, m in enumerate(question["memberships"]) if number in m]
            read = [texts[r] for r in mentions]
            made = [points_made(text, phrasings) for text in read]
            nearest = statement_makers([s["text"] for s in summary], read, _embed(), nearest=True)
            for column, sentence in enumerate(summary):
                known = says(sentence["text"], phrasings)
                listed = set(sentence["ids"])
                ids = [question["ids"][r] for r in mentions]
                also = np.array([i in listed for i in ids], dtype=bool)
                rows.append(
                    {
                        "before": sentence.get("answers"),
                        "now": sentence.get("answers"),
                        "nearest": int((nearest[:, column] | also).sum()),
                        "truth": sum(known[0] in m for m in made) if len(known) == 1 else None,
                    }
                )
    return rows


def table(found: list[dict[str, Any]], plain: list[dict[str, Any]]) -> list[str]:
    """Error rows, before and now, for the merged themes' summary points (the merged-in
    part's own point among them) and labels, and the run's unmerged themes."""
    points = [p for f in found for p in f["points"]]
    part = [p for p in points if p["part"]]
    label = [
        {"truth": f["label_truth"], "before": f["label_point"], "now": f["label_point"]}
        for f in found
        if f["label_point"] is not None
    ]
    lines = [
        "| themes | points | count | sentences | summed | truth | mean absolute error | "
        "median ratio to truth | within 20 % | over by more than 20 % |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    groups = (
        ("merged", "summary points", points, ("before", "now")),
        ("merged", "the merged-in part's point (its label)", part, ("before", "now")),
        ("merged", "label's point (`label_point`, unchanged)", label, ("now",)),
        ("run (unmerged)", "summary points", plain, ("now", "nearest")),
    )
    names = {
        "before": "before (cosine 0.45)",
        "now": "now",
        "nearest": "if counted nearest-only (not used)",
    }
    for theme, name, rows, keys in groups:
        for key in keys:
            e = errors(rows, key)
            if not e["n"]:
                continue
            shown = (
                "fit's `answers` (unchanged)"
                if theme.startswith("run") and key == "now"
                else names[key]
            )
            lines.append(
                f"| {theme} | {name} | {shown} | {e['n']} | {e['counted']:,} | {e['truth']:,} | "
                f"{e['mae']:.1f} | {e['median_ratio']:.2f} | {e['within']} | {e['over']} |"
            )
    return lines


def argkp_table(found: list[dict[str, Any]]) -> list[str]:
    """Error rows, before and now, for ArgKP's merged themes' summary points."""
    points = [p for f in found for p in f["points"]]
    lines = [
        "| ArgKP merged themes | count | sentences | summed | truth | mean absolute error | "
        "median ratio to truth | within 20 % | over by more than 20 % |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for key, name in (("before", "before (cosine 0.45)"), ("now", "now")):
        e = errors(points, key)
        if e["n"]:
            lines.append(
                f"| summary points | {name} | {e['n']} | {e['counted']:,} | {e['truth']:,} | "
                f"{e['mae']:.1f} | {e['median_ratio']:.2f} | {e['within']} | {e['over']} |"
            )
    return lines


def worst(found: list[dict[str, Any]], count: int = 8) -> list[str]:
    """The merged themes' sentences over-counted most before, with their counts now."""
    rows = [
        (p["before"] - p["truth"], f, p)
        for f in found
        for p in f["points"]
        if p["truth"] is not None
    ]
    rows.sort(key=lambda item: (-item[0], item[2]["text"]))
    lines = [
        "Sentences over-counted most before:",
        "",
        "| merged theme (label kept) | sentence | mentions | truth | before | now |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for _, f, p in rows[:count]:
        lines.append(
            f"| {f['labels'][0]} | {p['text']} | {f['mentions']} | {p['truth']} | "
            f"{p['before']} | {p['now']} |"
        )
    return lines


def main() -> None:
    """Measure and print, or write the BENCHMARKS.md section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=None, help="at most N pairs a question")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md's section")
    parser.add_argument("--dump", type=Path, help="write the per-point rows as a pickle")
    parser.add_argument(
        "--argkp", type=int, default=0, help="also every Nth ArgKP motion (5 pairs each)"
    )
    parser.add_argument("--no-demo", action="store_true", help="ArgKP only (print, no write)")
    args = parser.parse_args()
    started = time.time()
    if args.no_demo:
        argkp = measure_argkp(args.argkp or 4, 5)
        print("\n".join(argkp_table(argkp)))
        print(f"{len(argkp)} ArgKP merges, {time.time() - started:.0f} s, {machine()}")
        if args.dump:
            with args.dump.open("wb") as handle:
                pickle.dump(argkp, handle)
        return
    found = measure(args.pairs)
    if args.dump:
        with args.dump.open("wb") as handle:
            pickle.dump(found, handle)
    lines = [
        HEADING,
        "",
        f"Command: `nice -n 10 .venv/bin/python -m bench.merge_counts"
        f"{f' --pairs {args.pairs}' if args.pairs else ''}"
        f"{f' --argkp {args.argkp}' if args.argkp else ''} --write`. Machine: {machine()}; "
        f"{time.time() - started:.0f} s (wall, shared machine). {len(found)} merges: "
        + (
            f"{args.pairs} pairs of themes a question, spread over its pairs"
            if args.pairs
            else "every pair of each question's themes"
        )
        + ", the larger theme first (its label kept).",
        "",
        NOTE,
        "",
        *table(found, unmerged()),
        "",
        *worst(found),
    ]
    if args.argkp:
        argkp = measure_argkp(args.argkp, 5)
        lines += [
            "",
            f"ArgKP (`--argkp {args.argkp}`: every {args.argkp}th of its 24 motions, 5 pairs "
            f"of themes each, {len(argkp)} merges; semantic engine, as many themes as key "
            "points, seed 0; a sentence from an argument matching one key point makes it):",
            "",
            *argkp_table(argkp),
        ]
    same = [p["answers"] == p["now"] for f in found for p in f["points"]]
    lines += [
        "",
        f"`describe_group`'s own `answers` equals the recount (now) on {sum(same)} of "
        f"{len(same)} sentences.",
    ]
    print("\n".join(lines))
    print(f"{len(found)} merges, {time.time() - started:.0f} s, {machine()}")
    if args.write:
        write_section("mergecount", "\n".join(lines))


if __name__ == "__main__":
    main()
