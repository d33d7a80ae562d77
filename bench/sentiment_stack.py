"""Criticism cues stacked on VADER's own words: the demo's answers scored at the extremes
(|s| >= 0.9) and the supportive ones read as hostile, with what made each score (sent12).

The demo is loaded fresh (``bench.sentiment_mild.demo_answers``), every free-text question's
answers scored with its wording as the workspace scores them, by each engine. For each
question paired with an agreement scale, an answer whose respondent agreed ("Agree",
"Strongly agree") and that scores <= -0.5 is a *misread supportive* answer. Each extreme
and misread answer is listed with the question's kind, VADER's part of the rules' score,
the criticism cues found and the "problem then solution" turns
(:func:`analysis.sentiment.solution_turns`) found.

Also counted (rev16): *opposed answers read positive* (every respondent giving the answer
chose "Disagree" or "Strongly disagree", and it reads positive: >= +0.2 as shown) and
*conceded principles read positive* (every respondent chose "Neither agree nor disagree",
the answer says "the principle is right but", and it reads positive); ``--concession``
scores with :data:`analysis.sentiment.CONCESSION_RULES` on or off.

    CONSULT_DATA_DIR=/work/shared/data python -m bench.sentiment_stack \\
        [--engine fast] [--stack off|on] [--concession off|on] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from bench.sentiment_mild import EXTREME, score

MISREAD = -0.5
AGREED = ("Agree", "Strongly agree")
OPPOSED = ("Disagree", "Strongly disagree")
NEITHER = ("Neither agree nor disagree",)
CONCEDED = re.compile(r"\bprinciple is right but\b", re.I)


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
    concede = scorer.kind in s.VIEW_KINDS and s.STACK_RULES and s.CONCESSION_RULES
    said = s.without_asked_praise(rest, analyzer.lexicon) if concede else rest
    return {
        "kind": scorer.kind,
        "vader": round(analyzer.polarity_scores(said)["compound"], 3),
        "criticism": [m.group(0) for m in s._CRITICISM.finditer(rest)],
        "solution": s.solution_turns(rest),
        "rules": scorer.score(text),
    }


def measure(engine: str, questions) -> dict:
    """Counts of extreme and misread answers for one engine, with their rows: supportive
    answers read hostile, opposed ones read positive, conceded principles read positive."""
    from analysis.sentiment import tone

    answers = extremes = supportive = misread = opposed = opposed_positive = 0
    conceding = conceded_positive = 0
    rows = []
    for wording, texts, labels in questions:
        for text, value in zip(texts, score(engine, wording, texts), strict=True):
            answers += 1
            given = labels[text]
            agreed = bool(given) and given <= set(AGREED)
            against = bool(given) and given <= set(OPPOSED)
            concedes = bool(given) and given <= set(NEITHER) and bool(CONCEDED.search(text))
            positive = tone(value) == "positive"
            supportive += agreed
            opposed += against
            conceding += concedes
            extreme = abs(value) >= EXTREME
            wrong = agreed and value <= MISREAD
            extremes += extreme
            misread += wrong
            opposed_positive += against and positive
            conceded_positive += concedes and positive
            if extreme or wrong or (against and positive) or (concedes and positive):
                row = {
                    "question": wording,
                    "score": value,
                    "text": text,
                    "agreed": agreed,
                    "labels": sorted(given),
                }
                rows.append(row | explain(wording, text))
    return {
        "engine": engine,
        "answers": answers,
        "extremes": extremes,
        "supportive": supportive,
        "misread_supportive": misread,
        "opposed": opposed,
        "opposed_positive": opposed_positive,
        "conceding": conceding,
        "conceded_positive": conceded_positive,
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
    parser.add_argument(
        "--concession",
        choices=("on", "off"),
        help="score with analysis.sentiment.CONCESSION_RULES on or off (default: as set)",
    )
    args = parser.parse_args(argv)
    from analysis import sentiment

    if args.stack is not None:
        sentiment.STACK_RULES = args.stack == "on"
    if args.concession is not None:
        sentiment.CONCESSION_RULES = args.concession == "on"
    engines = ("fast", "semantic") if args.engine == "both" else (args.engine,)
    questions = demo_answers()
    results = [measure(engine, questions) for engine in engines]
    for result in results:
        print(
            f"{result['engine']}: {result['answers']} distinct answers, "
            f"{result['extremes']} at |s| >= {EXTREME}; {result['supportive']} from "
            f"respondents who agreed, {result['misread_supportive']} of them at <= {MISREAD}; "
            f"{result['opposed']} from respondents who disagreed, "
            f"{result['opposed_positive']} of them positive; {result['conceding']} conceding "
            f"the principle from 'Neither' respondents, {result['conceded_positive']} positive"
        )
        for row in result["rows"]:
            flag = "/".join(row["labels"]) + " " if row["labels"] else ""
            print(
                f"  {row['score']:+.2f} {flag}[{row['kind']}] vader {row['vader']:+.2f} "
                f"cues {row['criticism']} fixes {row['solution']}\n      {row['text'][:160]}"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
