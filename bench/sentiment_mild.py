"""Mild answers scored at the extremes: how many of the demo's answers score |s| >= 0.9
while they hedge ("may", "might", "could", "we think", "a concern"), by each engine.

The demo is loaded fresh into a throwaway SQLite file (``bench.demo_report.demo_questions``)
and every free-text question's distinct answers are scored with its wording as the
workspace's analysis job scores them (``analysis.stages.sentiment_and_stance``): the
semantic engine with the answers' MiniLM vectors, the fast engine with their static
word-piece vectors. Prints the counts per engine and a sample of the hedged extremes;
``--json FILE`` writes the counts, so a run on another commit can be compared. sent11.

    CONSULT_DATA_DIR=/work/shared/data python -m bench.sentiment_mild \\
        [--engine fast] [--hedge-scale 1.0]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXTREME = 0.9


def demo_answers() -> list[tuple[str, list[str]]]:
    """Each free-text demo question's wording with its distinct non-empty answers."""
    from bench.demo_report import demo_questions

    found = []
    with demo_questions() as questions:
        for wording, answers in questions:
            texts = sorted({t for t in answers.texts if t and t.strip()})
            found.append((wording, texts))
    return found


def score(engine: str, wording: str, texts: list[str]) -> list[float]:
    """The answers' scores as ``sentiment_and_stance`` gives them for ``engine``."""
    from analysis import static_vectors
    from analysis.sentiment import Sentiment

    vectors = static = None
    if engine == "semantic":
        from analysis.embeddings import MiniLMEmbedder

        vectors = MiniLMEmbedder().embed(texts)
    elif static_vectors.unavailable_reason() is None:
        static = static_vectors.plain_vectors(texts)
    return Sentiment(wording).score_answers(texts, vectors, static=static)


def measure(engine: str, questions: list[tuple[str, list[str]]]) -> dict:
    """Counts of extreme and hedged extreme answers for one engine, with the hedged
    extremes themselves (question, score, text)."""
    from analysis.sentiment import is_hedged, tone

    tones = {"negative": 0, "neutral": 0, "positive": 0}
    answers = extremes = hedged = hedged_extremes = 0
    rows = []
    for wording, texts in questions:
        for text, value in zip(texts, score(engine, wording, texts), strict=True):
            answers += 1
            tones[tone(value)] += 1
            extreme = abs(value) >= EXTREME
            mild = is_hedged(text)
            extremes += extreme
            hedged += mild
            if extreme and mild:
                hedged_extremes += 1
                rows.append({"question": wording, "score": value, "text": text})
    return {
        "engine": engine,
        "answers": answers,
        "extremes": extremes,
        "hedged": hedged,
        "hedged_extremes": hedged_extremes,
        "tones": tones,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    """Score the demo's answers and print the extremes; exit 2 on a bad option."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("fast", "semantic", "both"), default="both")
    parser.add_argument("--sample", type=int, default=8, help="hedged extremes to print")
    parser.add_argument("--json", type=Path, help="write the counts to this file")
    parser.add_argument(
        "--hedge-scale",
        type=float,
        help="score with this analysis.sentiment.HEDGE_SCALE (1.0: hedges damp nothing, as "
        "before sent11)",
    )
    args = parser.parse_args(argv)
    if args.hedge_scale is not None:
        if not 0.0 <= args.hedge_scale <= 1.0:
            parser.error("--hedge-scale must be between 0 and 1")
        from analysis import sentiment

        sentiment.HEDGE_SCALE = args.hedge_scale
    engines = ("fast", "semantic") if args.engine == "both" else (args.engine,)
    questions = demo_answers()
    results = [measure(engine, questions) for engine in engines]
    for result in results:
        print(
            f"{result['engine']}: {result['answers']} distinct answers, "
            f"{result['extremes']} at |s| >= {EXTREME}, {result['hedged']} hedged, "
            f"{result['hedged_extremes']} hedged and extreme; tone words "
            + ", ".join(f"{k} {v}" for k, v in result["tones"].items())
        )
        for row in result["rows"][: args.sample]:
            print(f"  {row['score']:+.2f} [{row['question'][:40]}] {row['text'][:150]}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
