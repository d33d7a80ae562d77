"""Sentiment with and without the courtesy and "but" rules (:mod:`analysis.courtesy`, kw18),
same answers, same process.

    .venv/bin/python -m bench.sentiment_courtesy [--engine fast|semantic] [--held-out] [--list]

Spearman rho against people's ratings on NHS FFT phase 1 (``bench.sentiment``'s parts and
scorers: the development trusts' rated rows; with ``--held-out``, the held-out trust's, to
be run only once the adoption rule is written in BENCHMARKS.md), each scorer scored with
``analysis.sentiment.COURTESY_RULES`` off (before) and on (now). Then the demo
consultation's answers (``bench.demo_report.demo_questions``), scored as each engine scores
them (the fast engine's static probe; the semantic engine's MiniLM probe where its question
is not a call for views), counting the answers whose sign (the report's tone: positive,
neutral, negative) changes; ``--list`` prints them to be read.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import analysis.sentiment as sentiment_module
from analysis.sentiment import Sentiment, tone


def _scored(flag: bool, work):
    """``work()`` run with ``COURTESY_RULES`` set to ``flag``."""
    old = sentiment_module.COURTESY_RULES
    sentiment_module.COURTESY_RULES = flag
    try:
        return work()
    finally:
        sentiment_module.COURTESY_RULES = old


def nhs_table(engine: str, held_out: bool) -> list[str]:
    """One row per scorer: rho before and now on the part asked for."""
    from bench.sentiment import HELD_OUT, development_rows, load, measure, scorers

    rows = load()
    part = [r for r in rows if r[2] == HELD_OUT and r[1]] if held_out else development_rows(rows)
    ratings = [r[1] for r in part]
    name = f"held out ({HELD_OUT}), rated rows" if held_out else "development (Trust A, B), rated"
    lines = [
        f"NHS FFT phase 1, {name}: {len(part):,} answers",
        "",
        "| scorer | rho before | rho now | complaints negative % before / now "
        "| praise positive % before / now |",
        "|---|--:|--:|--:|--:|",
    ]
    for column, scorer in scorers(engine).items():
        if column in ("VADER", "fast, no question"):
            continue
        old = measure(_scored(False, lambda scorer=scorer: scorer(part)), ratings)
        new = measure(_scored(True, lambda scorer=scorer: scorer(part)), ratings)
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


def demo_flips(engine: str, listing: bool) -> list[str]:
    """The demo answers whose tone changes, counted per kind of change."""
    from bench.demo_report import demo_questions

    changes: Counter[str] = Counter()
    listed, total = [], 0
    with demo_questions() as questions:
        for wording, answers in questions:
            texts = [t for t in answers.texts if t and t.strip()]
            total += len(texts)
            old = _scored(False, lambda w=wording, t=texts: _engine_scores(engine, w, t))
            new = _scored(True, lambda w=wording, t=texts: _engine_scores(engine, w, t))
            seen = set()
            for text, a, b in zip(texts, old, new, strict=True):
                if tone(a) != tone(b):
                    changes[f"{tone(a)} -> {tone(b)}"] += 1
                    if text not in seen:
                        seen.add(text)
                        listed.append(f"  {a:+.2f} -> {b:+.2f}  {text}")
    lines = [
        f"Demo answers ({engine} engine): {total} answers, tone changed for "
        f"{sum(changes.values())}: "
        + (", ".join(f"{k} {v}" for k, v in sorted(changes.items())) or "none"),
    ]
    if listing:
        lines += ["", "Distinct answers whose tone changed:", *listed]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="fast", choices=["fast", "semantic"])
    parser.add_argument("--held-out", action="store_true", help="score the held-out trust")
    parser.add_argument("--no-demo", action="store_true", help="leave out the demo's flips")
    parser.add_argument("--list", action="store_true", help="print the demo answers that change")
    args = parser.parse_args(argv)
    lines = nhs_table(args.engine, args.held_out)
    if not args.no_demo:
        lines += ["", *demo_flips(args.engine, args.list)]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
