"""Sentiment against people's ratings: the engine's scorer beside plain VADER, same answers.

    .venv/bin/python -m bench.sentiment [--write]

NHS Friends and Family Test phase 1 (``nhs_fft_phase1.csv``) has a human ``criticality``
rating per answer (-5 very critical .. 5 very positive; rows with another value are
skipped). Spearman correlation of each scorer with it, on two parts:

* development: Trust A and Trust B, where the engine's cue lists were written and tuned;
* held out: Trust C (other questions, another trust), never looked at while tuning.

Criticality 0 is used almost only by Trust B's first question, for 2,563 answers that are
nearly all praise ("Very informative.", "Well done, very good."): there it marks answers that
were not rated, not neutral ones. Each part is measured twice: with those rows, and without
rows rated 0 (the figure to read).

Also the share of clear complaints (criticality -3 or below) scored negative, and of clear
praise (3 or above) scored positive, and the answers' scoring speed.
"""

from __future__ import annotations

import argparse
import time

from scipy.stats import spearmanr

from analysis.sentiment import Sentiment
from bench.common import machine, read_columns, write_section

HELD_OUT = "Trust C"


def load() -> list[tuple[str, int, str]]:
    """(text, criticality, trust) for every answer with a rating from -5 to 5."""
    rows = []
    for text, rating, trust in read_columns(
        "nhs_fft_phase1.csv", "feedback", "criticality", "organization"
    ):
        try:
            value = int(rating)
        except ValueError:
            continue
        if -5 <= value <= 5 and text.strip():
            rows.append((text, value, trust))
    return rows


def measure(scores: list[float], ratings: list[int]) -> dict[str, float]:
    """Spearman rho, and the share of clear complaints scored negative and praise positive."""
    complaints = [s for s, r in zip(scores, ratings, strict=True) if r <= -3]
    praise = [s for s, r in zip(scores, ratings, strict=True) if r >= 3]
    return {
        "rho": float(spearmanr(scores, ratings)[0]),
        "complaints_negative": sum(s < -0.05 for s in complaints) / max(1, len(complaints)),
        "praise_positive": sum(s > 0.05 for s in praise) / max(1, len(praise)),
        "n": len(ratings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    args = parser.parse_args()
    rows = load()
    scorer = Sentiment()
    development = [r for r in rows if r[2] != HELD_OUT]
    held_out = [r for r in rows if r[2] == HELD_OUT]
    parts = {
        "development (Trust A, B), rated rows (0 skipped)": [r for r in development if r[1]],
        "development (Trust A, B), all rows": development,
        f"held out ({HELD_OUT}), rated rows (0 skipped)": [r for r in held_out if r[1]],
        f"held out ({HELD_OUT}), all rows": held_out,
    }
    lines = []
    timings = {}
    for name, part in parts.items():
        texts = [t for t, _, _ in part]
        ratings = [r for _, r, _ in part]
        clock = time.perf_counter()
        vader = [scorer.vader(t) for t in texts]
        timings.setdefault("VADER", 0.0)
        timings["VADER"] += time.perf_counter() - clock
        clock = time.perf_counter()
        fresh = Sentiment()  # a fresh scorer per part: no cache carried over
        engine = [fresh.score(t) for t in texts]
        timings.setdefault("engine", 0.0)
        timings["engine"] += time.perf_counter() - clock
        base, ours = measure(vader, ratings), measure(engine, ratings)
        lines.append(
            f"| {name} | {base['n']:,} | {base['rho']:.3f} | **{ours['rho']:.3f}** | "
            f"{100 * base['complaints_negative']:.0f} % | "
            f"{100 * ours['complaints_negative']:.0f} % | "
            f"{100 * base['praise_positive']:.0f} % | {100 * ours['praise_positive']:.0f} % |"
        )
    count = len(rows)
    text = "\n".join(
        [
            "## Sentiment against people's ratings (`bench/sentiment.py`)",
            "",
            "Command: `.venv/bin/python -m bench.sentiment --write`. "
            f"Machine: {machine()}; taken under load (2 vCPUs shared by up to 9 people).",
            "",
            "NHS FFT phase 1 answers with a human `criticality` rating (-5..5). Spearman rho of "
            "each score with the rating; the engine's cue lists were written while looking only "
            "at the development part; the held-out trust was scored once, at the end.",
            "",
            "| part | answers | VADER rho | engine rho | complaints (<= -3) negative, VADER | "
            "engine | praise (>= 3) positive, VADER | engine |",
            "|---|---|---|---|---|---|---|---|",
            *lines,
            "",
            "Reading: the engine roughly doubles VADER's correlation on both parts and turns "
            "most clear complaints negative (VADER leaves about two thirds of them neutral or "
            "positive). On the development part it passes the 0.55 target; on the held-out "
            "trust it does **not**. Trust C's ratings are mostly gradations of praise (1 to 4 "
            "for 'what was good' answers), and 870 of the 1,551 "
            "answers to its second question rated 3 are bare replies such as 'Nothing' or 'No', "
            "which the engine scores 0: without the question it cannot know that 'Nothing' "
            "answers 'what could we do better?'. The held-out part was scored once the cue "
            "lists were final; nothing was changed after seeing it. A MiniLM projection seeded "
            "with positive and negative sentences written here was tried on the development "
            "part (rho 0.25 alone, and lower when added to the rules), so it is not used. "
            "When the question is given (`--question`, or the app's question) and asks what "
            "should change, a bare 'Nothing' scores +0.5 instead of 0; the file has no question "
            "wording, so every figure above is without it.",
            "",
            f"Speed on all {count:,} answers: VADER {count / timings['VADER']:,.0f} answers/s, "
            f"engine {count / timings['engine']:,.0f} answers/s (one thread, no cache).",
        ]
    )
    print(text)
    if args.write:
        write_section("sentiment", text)


if __name__ == "__main__":
    main()
