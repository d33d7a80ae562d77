"""How well a theme's "made its label's point" count matches the truth, on the demo.

The demo consultation's answers are built from known points (consult/demo_text.py), so for
each theme whose label is one of those points we know how many of the answers mentioning it
make that point. This script themes the seven free-text questions as the workspace does
(semantic engine, automatic count, seed 0), and compares, per theme, the mentions, the answers
that truly make the label's point and the count :mod:`analysis.label_points` gives, at several
thresholds (the default is ``LABEL_POINT_THRESHOLD``).

    .venv/bin/python -m bench.label_points [--write]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from analysis.label_points import LABEL_POINT_THRESHOLD, label_point_counts
from bench.common import machine, write_section
from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made

THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65)


def measure() -> dict:
    """Per theme with a known label point: mentions, truth, and the count at each threshold."""
    from analysis.embeddings import MiniLMEmbedder

    phrasings = _phrasings()
    embed = MiniLMEmbedder().embed
    rows = []
    with demo_questions() as questions:
        for wording, answers in questions:
            texts = answers.texts
            model = fit_demo_question(wording, answers, "semantic")
            made = [points_made(t, phrasings) for t in texts]
            mentions = [
                [row for row, themes in enumerate(model.memberships_) if index in themes]
                for index in range(len(model.themes_))
            ]
            labels = [theme["label"] for theme in model.themes_]
            counts = {
                threshold: label_point_counts(labels, mentions, texts, embed, threshold)
                for threshold in THRESHOLDS
            }
            for index, theme in enumerate(model.themes_):
                point = points_made(theme["label"], phrasings)
                rows.append(
                    {
                        "question": wording,
                        "label": theme["label"],
                        "mentions": len(mentions[index]),
                        "shown": theme.get("label_point"),
                        "truth": (
                            sum(point[0] in made[row] for row in mentions[index])
                            if len(point) == 1
                            else None
                        ),
                        "counts": {t: counts[t][index] for t in THRESHOLDS},
                    }
                )
    return {"rows": rows}


def summary_table(result: dict) -> list[str]:
    """Totals and mean absolute error per threshold over the themes with a known point."""
    known = [r for r in result["rows"] if r["truth"] is not None]
    truth = sum(r["truth"] for r in known)
    mentions = sum(r["mentions"] for r in known)
    lines = [
        "| threshold | answers counted as making the label's point | truth | mentions | "
        "mean absolute error per theme | themes within 20 % of the truth |",
        "|--:|--:|--:|--:|--:|--:|",
    ]
    for threshold in THRESHOLDS:
        counted = [r["counts"][threshold] for r in known]
        errors = [abs(c - r["truth"]) for c, r in zip(counted, known, strict=True)]
        close = sum(
            abs(c - r["truth"]) <= 0.2 * max(r["truth"], 1)
            for c, r in zip(counted, known, strict=True)
        )
        mark = " (default)" if threshold == LABEL_POINT_THRESHOLD else ""
        lines.append(
            f"| {threshold}{mark} | {sum(counted):,} | {truth:,} | {mentions:,} | "
            f"{np.mean(errors):.1f} | {close} of {len(known)} |"
        )
    return lines


def theme_table(result: dict) -> list[str]:
    """The themes where mentions and the label's point differ most."""
    known = [r for r in result["rows"] if r["truth"] is not None]
    known.sort(key=lambda r: -(r["mentions"] - r["truth"]))
    lines = [
        "| label | mentions | make its point (truth) | counted (default) |",
        "|---|--:|--:|--:|",
    ]
    for row in known[:8]:
        lines.append(f"| {row['label']} | {row['mentions']} | {row['truth']} | {row['shown']} |")
    return lines


def main() -> None:
    """Measure and print, or write the BENCHMARKS.md section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md's section")
    args = parser.parse_args()
    started = time.time()
    result = measure()
    known = sum(r["truth"] is not None for r in result["rows"])
    lines = [
        "## Answers that make a theme's label point (`bench/label_points.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.label_points --write`. Machine: {machine()}; "
        f"{time.time() - started:.0f} s. The demo consultation's seven free-text questions, "
        "themed as the workspace does (semantic engine, automatic count, seed 0). Its answers "
        "are built from known points, so for the "
        f"{known} of {len(result['rows'])} themes whose label is one of those points we know "
        "how many of the answers mentioning the theme make the label's point. "
        "`analysis.label_points` counts an answer when the answer, or one of its separate "
        "points, has MiniLM cosine at least the threshold with the label (and, were the answers "
        "short, median 12 words or fewer, either a word of the label's that at most 3 % of "
        "them use or cosine 0.6). The report shows "
        "the count beside the mentions, so a label is never credited with every mention.",
        "",
        *summary_table(result),
        "",
        "The fitted model's own `label_point` equals the default row's count on "
        + (
            "every theme."
            if all(r["shown"] == r["counts"][LABEL_POINT_THRESHOLD] for r in result["rows"])
            else "NOT every theme (check)."
        ),
        "",
        "Themes whose mentions most exceed the answers making the label's point:",
        "",
        *theme_table(result),
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("label-points", text)


if __name__ == "__main__":
    main()
