"""Criticism cues stacked on VADER's own words: the demo's answers scored at the extremes
(|s| >= 0.9) and the supportive ones read as hostile, with what made each score (sent12).

The demo is loaded fresh (``bench.sentiment_mild.demo_answers``), every free-text question's
answers scored with its wording as the workspace scores them, by each engine. For each
question paired with an agreement scale, an answer whose respondent agreed ("Agree",
"Strongly agree") and that scores <= -0.5 is a *misread supportive* answer. Each extreme
and misread answer is listed with the question's kind, VADER's part of the rules' score,
the criticism cues found and the "problem then solution" turns
(:func:`analysis.sentiment.solution_turns`) found.

    CONSULT_DATA_DIR=/work/shared/data python -m bench.sentiment_stack \\
        [--engine fast] [--stack off|on] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.sentiment_mild import EXTREME, score

MISREAD = -0.5
AGREED = ("Agree", "Strongly agree")


def demo_answers() -> list[tuple[str, list[str], dict[str, set[str]]]]:
    """Each free-text demo question's wording, its distinct answers and, per answer, the
    agreement labels its respondents gave (empty when the question has no paired scale)."""
    from bench.demo_report import demo_questions

    found = []
    with demo_questions() as questions:
        for wording, answers in questions:
            labels: dict[str, set[str]] = {}
            agreement = answers.agreement or [None] * len(answers.texts)
            for text, label in zip(answers.texts, agreement, strict=True):
                if text and text.strip():
                    labels.setdefault(text, set())
                    if label:
                        labels[text].add(label)
            found.append((wording, sorted(labels), labels))
    return found


def explain(wording: str, text: str) -> dict:
    """What made the rules' score: the question's kind, VADER's part, the cues found."""
    from analysis import sentiment as s

    scorer = s.Sentiment(wording)
    rest = s.prepared(text)
    requests = s._REQUEST.findall(rest) if scorer.kind in s.VIEW_KINDS else []
    analyzer = scorer._request_analyzer if requests else scorer._analyzer
    return {
        "kind": scorer.kind,
        "vader": round(analyzer.polarity_scores(rest)["compound"], 3),
        "criticism": [m.group(0) for m in s._CRITICISM.finditer(rest)],
        "solution": s.solution_turns(rest),
        "rules": scorer.score(text),
    }


def measure(engine: str, questions) -> dict:
    """Counts of extreme and misread supportive answers for one engine, with their rows."""
    answers = extremes = supportive = misread = 0
    rows = []
    for wording, texts, labels in questions:
        for text, value in zip(texts, score(engine, wording, texts), strict=True):
            answers += 1
            agreed = bool(labels[text]) and labels[text] <= set(AGREED)
            supportive += agreed
            extreme = abs(value) >= EXTREME
            wrong = agreed and value <= MISREAD
            extremes += extreme
            misread += wrong
            if extreme or wrong:
                row = {"question": wording, "score": value, "text": text, "agreed": agreed}
                rows.append(row | explain(wording, text))
    return {
        "engine": engine,
        "answers": answers,
        "extremes": extremes,
        "supportive": supportive,
        "misread_supportive": misread,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    """Score the demo's answers and list the extremes; exit 2 on a bad option."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("fast", "semantic", "both"), default="both")
    parser.add_argument("--json", type=Path, help="write the counts and rows to this file")
    parser.add_argument(
        "--stack",
        choices=("on", "off"),
        help="score with analysis.sentiment.STACK_RULES on or off (default: as the code sets)",
    )
    args = parser.parse_args(argv)
    if args.stack is not None:
        from analysis import sentiment

        sentiment.STACK_RULES = args.stack == "on"
    engines = ("fast", "semantic") if args.engine == "both" else (args.engine,)
    questions = demo_answers()
    results = [measure(engine, questions) for engine in engines]
    for result in results:
        print(
            f"{result['engine']}: {result['answers']} distinct answers, "
            f"{result['extremes']} at |s| >= {EXTREME}; {result['supportive']} from "
            f"respondents who agreed, {result['misread_supportive']} of them at <= {MISREAD}"
        )
        for row in result["rows"]:
            flag = "AGREED " if row["agreed"] else ""
            print(
                f"  {row['score']:+.2f} {flag}[{row['kind']}] vader {row['vader']:+.2f} "
                f"cues {row['criticism']} fixes {row['solution']}\n      {row['text'][:160]}"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
