"""Supportive answers that name a problem, with analysis.sentiment.REMEDY_RULES off and on.

    .venv/bin/python -m bench.sentiment_remedy demo
    .venv/bin/python -m bench.sentiment_remedy nhs --part development|held-out [--engine E]

``demo``: every free-text answer of a freshly loaded demo consultation (``flask demo load``,
as ``bench.demo_report`` loads it), scored with its question's wording as the analysis job
scores it, with the remedy rules off and on (:mod:`analysis.sentiment_remedy`). Prints the
answers whose score changed, each with its paired agreement answer, and counts the sign
flips (score below 0 before and not after, or the other way) and the changes of tone word
(:func:`analysis.sentiment.tone`) by agreement answer. Every demo question is a call for
views or proposals, where both engines score with the rules alone, so one column serves both.

``nhs``: Spearman rho against NHS FFT phase 1's ``criticality`` (``bench.sentiment``'s
scorers and parts) with the rules off and on, on one part at a time: ``development``
(Trust A and B, rated rows) or ``held-out`` (Trust C, rated rows), so the held-out trust is
scored only when asked for, after the adoption rule is written.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from analysis import sentiment
from analysis.sentiment import Sentiment, tone


@contextmanager
def remedy_rules(on: bool) -> Iterator[None]:
    """Score with :data:`analysis.sentiment.REMEDY_RULES` set to ``on``, then restore it."""
    before = sentiment.REMEDY_RULES
    sentiment.REMEDY_RULES = on
    try:
        yield
    finally:
        sentiment.REMEDY_RULES = before


def demo() -> None:
    """Print the demo's changed answers and the count of sign flips."""
    from bench.demo_report import demo_questions

    changed, flips, tones = [], Counter(), Counter()
    total = 0
    with demo_questions() as questions:
        for wording, answers in questions:
            texts = list(answers.texts)
            agreement = answers.agreement or [None] * len(texts)
            with remedy_rules(False):
                before = Sentiment(wording).score_answers(texts)
            with remedy_rules(True):
                after = Sentiment(wording).score_answers(texts)
            total += sum(1 for t in texts if t and t.strip())
            for text, agreed, old, new in zip(texts, agreement, before, after, strict=True):
                if old == new:
                    continue
                changed.append((old, new, agreed, text))
                if (old < 0) != (new < 0):
                    flips[(agreed or "-", "negative" if old < 0 else "not negative")] += 1
                if tone(old) != tone(new):
                    tones[(agreed or "-", tone(old), tone(new))] += 1
    for old, new, agreed, text in changed:
        print(f"{old:+.2f} -> {new:+.2f}  [{agreed or '-'}]  {text}")
    print(f"\n{len(changed)} of {total} answers changed score")
    print(f"sign flips: {sum(flips.values())}")
    for (agreed, was), count in sorted(flips.items()):
        print(f"  {count} {agreed}, was {was}")
    print(f"tone word changed: {sum(tones.values())}")
    for (agreed, old, new), count in sorted(tones.items()):
        print(f"  {count} {agreed}: {old} -> {new}")


def nhs(part: str, engine: str) -> None:
    """Print each scorer's Spearman rho on one NHS phase 1 part, rules off and on."""
    from bench.sentiment import HELD_OUT, development_rows, load, measure, scorers

    rows = load()
    chosen = (
        development_rows(rows)
        if part == "development"
        else [r for r in rows if r[2] == HELD_OUT and r[1]]
    )
    ratings = [r[1] for r in chosen]
    print(f"{part}: {len(chosen):,} rated answers")
    for on in (False, True):
        with remedy_rules(on):
            found = {
                name: measure(score(chosen), ratings)["rho"]
                for name, score in scorers(engine).items()
            }
        cells = ", ".join(f"{name} {rho:.4f}" for name, rho in found.items())
        print(f"  REMEDY_RULES {'on ' if on else 'off'}: {cells}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["demo", "nhs"])
    parser.add_argument("--part", choices=["development", "held-out"], default="development")
    parser.add_argument("--engine", choices=["fast", "semantic"], default="fast")
    args = parser.parse_args(argv)
    if args.what == "demo":
        demo()
    else:
        nhs(args.part, args.engine)


if __name__ == "__main__":
    main()
