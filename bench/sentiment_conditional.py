"""Sentiment with and without the conditional-support rule (:mod:`analysis.conditional_support`,
sent26), same answers, same process.

    .venv/bin/python -m bench.sentiment_conditional [--engine fast|semantic] [--held-out]
        [--weight W] [--list] [--no-demo] [--argkp]

Spearman rho against people's ratings on NHS FFT phase 1 (``bench.sentiment``'s parts and
scorers: the development trusts' rated rows; with ``--held-out``, the held-out trust's, to be
run only once the adoption rule is written in BENCHMARKS.md), each scorer with
``analysis.sentiment.CONDITION_RULES`` off (before) and on (now, at ``--weight``, default the
shipped :data:`analysis.sentiment.CONDITION_WEIGHT`), and how many rated answers the rule
touches. Then the demo consultation's answers (``bench.demo_report.demo_questions``) scored
as each engine scores them, counting those whose score or tone changes; ``--list`` prints
every distinct answer whose score changes, to be read. ``--argkp`` lists the ArgKP arguments
(``argkp/arguments_train.csv``) the rule finds, with their scores before and now (rules
alone, the motion as a call for views), to be read.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter

import analysis.sentiment as sentiment_module
from analysis.conditional_support import conditional_sentences
from analysis.sentiment import Sentiment, tone


def _scored(flag: bool, weight: float, work):
    """``work()`` run with ``CONDITION_RULES`` set to ``flag`` at ``weight``."""
    old = sentiment_module.CONDITION_RULES, sentiment_module.CONDITION_WEIGHT
    sentiment_module.CONDITION_RULES, sentiment_module.CONDITION_WEIGHT = flag, weight
    try:
        return work()
    finally:
        sentiment_module.CONDITION_RULES, sentiment_module.CONDITION_WEIGHT = old


def nhs_table(engine: str, held_out: bool, weight: float) -> list[str]:
    """One row per scorer: rho before and now on the part asked for."""
    from bench.sentiment import HELD_OUT, development_rows, load, measure, scorers

    rows = load()
    part = [r for r in rows if r[2] == HELD_OUT and r[1]] if held_out else development_rows(rows)
    ratings = [r[1] for r in part]
    name = f"held out ({HELD_OUT}), rated rows" if held_out else "development (Trust A, B), rated"
    touched = sum(bool(conditional_sentences(r[0])) for r in part)
    lines = [
        f"NHS FFT phase 1, {name}: {len(part):,} answers, {touched} with conditional support; "
        f"weight {weight}",
        "",
        "| scorer | rho before | rho now | complaints negative % before / now "
        "| praise positive % before / now |",
        "|---|--:|--:|--:|--:|",
    ]
    for column, scorer in scorers(engine).items():
        if column in ("VADER", "fast, no question"):
            continue
        old = measure(_scored(False, weight, lambda scorer=scorer: scorer(part)), ratings)
        new = measure(_scored(True, weight, lambda scorer=scorer: scorer(part)), ratings)
        lines.append(
            f"| {column} | {old['rho']:.4f} | {new['rho']:.4f} | "
            f"{100 * old['complaints_negative']:.1f} / {100 * new['complaints_negative']:.1f} | "
            f"{100 * old['praise_positive']:.1f} / {100 * new['praise_positive']:.1f} |"
        )
    return lines


def _engine_scores(engine: str, wording: str, texts: list[str]) -> list[float]:
    scorer = Sentiment(question=wording)
    if engine == "fast":
        from analysis.static_vectors import plain_vectors

        return scorer.score_answers(texts, static=plain_vectors(texts))
    from analysis.embeddings import MiniLMEmbedder

    return scorer.score_answers(texts, MiniLMEmbedder().embed(texts))


def demo_changes(engine: str, weight: float, listing: bool) -> list[str]:
    """The demo answers whose score changes, and those whose tone changes by kind."""
    from bench.demo_report import demo_questions

    changes: Counter[str] = Counter()
    listed, total, moved = [], 0, 0
    with demo_questions() as questions:
        for wording, answers in questions:
            texts = [t for t in answers.texts if t and t.strip()]
            total += len(texts)
            old = _scored(False, weight, lambda w=wording, t=texts: _engine_scores(engine, w, t))
            new = _scored(True, weight, lambda w=wording, t=texts: _engine_scores(engine, w, t))
            seen = set()
            for text, a, b in zip(texts, old, new, strict=True):
                if a == b:
                    continue
                moved += 1
                if tone(a) != tone(b):
                    changes[f"{tone(a)} -> {tone(b)}"] += 1
                if text not in seen:
                    seen.add(text)
                    listed.append(f"  {a:+.2f} -> {b:+.2f}  {text}")
    lines = [
        f"Demo answers ({engine} engine, weight {weight}): {total} answers, {moved} scored "
        f"differently ({len(listed)} distinct), tone changed for {sum(changes.values())}: "
        + (", ".join(f"{k} {v}" for k, v in sorted(changes.items())) or "none"),
    ]
    if listing:
        lines += ["", "Distinct answers scored differently:", *sorted(listed, key=lambda x: x[20:])]
    return lines


def argkp_list(weight: float) -> list[str]:
    """The ArgKP arguments with conditional support, the rules' score before and now."""
    from bench.common import data_dir

    path = data_dir() / "argkp" / "arguments_train.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if conditional_sentences(r["argument"])]
    lines = [f"ArgKP arguments with conditional support: {len(rows)}"]
    for row in rows:
        scorer = Sentiment(question=f"{row['topic']}: why do you say that?")
        old = _scored(False, weight, lambda r=row, s=scorer: s._score(r["argument"]))
        new = _scored(True, weight, lambda r=row, s=scorer: s._score(r["argument"]))
        lines.append(f"  {old:+.2f} -> {new:+.2f}  [{row['stance']}] {row['argument']}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="fast", choices=["fast", "semantic"])
    parser.add_argument("--held-out", action="store_true", help="score the held-out trust")
    parser.add_argument("--weight", type=float, default=sentiment_module.CONDITION_WEIGHT)
    parser.add_argument("--no-nhs", action="store_true", help="leave out the NHS table")
    parser.add_argument("--no-demo", action="store_true", help="leave out the demo's changes")
    parser.add_argument("--list", action="store_true", help="print the demo answers that change")
    parser.add_argument("--argkp", action="store_true", help="list ArgKP's conditional support")
    args = parser.parse_args(argv)
    lines = [] if args.no_nhs else nhs_table(args.engine, args.held_out, args.weight)
    if not args.no_demo:
        lines += ["", *demo_changes(args.engine, args.weight, args.list)]
    if args.argkp:
        lines += ["", *argkp_list(args.weight)]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
