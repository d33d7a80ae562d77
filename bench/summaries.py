"""Theme summaries on real answers, read as a policy officer would, in figures.

Themes three NHS FFT phase 1 questions (``../shared/data/nhs_fft_phase1.csv``: the first
1,000 answers to Trust A's Q1, Trust B's Q1 and Trust C's Q2, each with the FFT's usual
follow-up wording as the question) as the workspace does (automatic number of themes, auto
engine, seed 0), and counts what a reader of the summaries meets:

- summary sentences per theme (the issue asks for 2-4 that cover a theme's points);
- themes summarised as "makes one point only", and of those the ones where the claim is
  doubtful: fewer than half the answers mentioning the theme make the label's own point
  (``label_point``, semantic engine only);
- the answers a summary stands for (the ids its sentences name) as a share of the theme's
  main-theme answers: how much of the theme the summary covers;
- pairs of summary sentences within a theme that say the same thing (60 % of words shared).

    .venv/bin/python -m bench.summaries [--code DIR] [--limit N] [--json FILE] [--write]
    .venv/bin/python -m bench.summaries --from-json FILE --code DIR --write

``--code DIR`` runs another copy of the code (``git archive`` of an earlier commit unpacked
in DIR) in its own process, for a before-and-after in the same run; only the current code's
figures and the comparison are written to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = (
    ("Trust A - Q1", "Is there anything we could do better?"),
    ("Trust B - Q1", "What was good about your experience?"),
    ("Trust C - Q2", "Is there anything we could improve?"),
)


def _data_file() -> Path:
    from bench.common import data_dir

    return data_dir() / "nhs_fft_phase1.csv"


def _answers(question: str, limit: int) -> tuple[list[str], list[str]]:
    with _data_file().open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["question"] == question][:limit]
    return [r["feedback"] for r in rows], [r["row_index"] for r in rows]


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def measure(limit: int = 1000) -> dict:
    """Theme each question and count what its summaries say; the figures and every theme's
    label and summary sentences (for reading)."""
    from analysis import ThemeModel

    questions = []
    for question, wording in QUESTIONS:
        texts, ids = _answers(question, limit)
        model = ThemeModel(seed=0).fit(texts, ids=ids, question=wording)
        themes = []
        for theme in model.themes_:
            summary = theme.get("summary", [])
            sentences = [s["text"] for s in summary if not s.get("only_point")]
            covered = {i for s in summary for i in s["ids"]}
            repeats = sum(
                1
                for a in range(len(sentences))
                for b in range(a + 1, len(sentences))
                if len(_words(sentences[a]) & _words(sentences[b]))
                >= 0.6 * len(_words(sentences[a]) | _words(sentences[b]))
            )
            only = any(s.get("only_point") for s in summary)
            label_point = theme.get("label_point")
            doubtful = only and label_point is not None and label_point < 0.5 * theme["mentions"]
            themes.append(
                {
                    "label": theme["label"],
                    "size": theme["size"],
                    "mentions": theme["mentions"],
                    "label_point": label_point,
                    "sentences": len(sentences),
                    "only_point": only,
                    "doubtful": doubtful,
                    "coverage": min(1.0, len(covered) / max(1, theme["size"])),
                    "repeats": repeats,
                    "summary": [s["text"] for s in summary],
                }
            )
        questions.append({"question": question, "themes": themes})
    return {"questions": questions}


def _totals(result: dict) -> dict:
    themes = [t for q in result["questions"] for t in q["themes"]]
    count = max(1, len(themes))
    return {
        "themes": len(themes),
        "sentences_per_theme": sum(t["sentences"] for t in themes) / count,
        "with_two_to_four": sum(2 <= t["sentences"] <= 4 for t in themes),
        "only_point": sum(t["only_point"] for t in themes),
        "doubtful": sum(t["doubtful"] for t in themes),
        "coverage": sorted(t["coverage"] for t in themes)[len(themes) // 2] if themes else 0.0,
        "repeats": sum(t["repeats"] for t in themes),
    }


def _run_other(code: Path, limit: int) -> dict:
    """This script's measure() on another copy of the code, in its own process."""
    from bench.common import measure_in

    return measure_in(code, __file__, f"measure({limit!r})")


def report(current: dict, before: dict | None, command: str, limit: int) -> str:
    """The BENCHMARKS.md section."""
    from bench.common import machine

    now = _totals(current)
    then = _totals(before) if before else None
    lines = [
        "## Theme summaries on real answers (`bench/summaries.py`)",
        "",
        f"Command: `{command}`. Machine: {machine()}. NHS FFT phase 1, the first {limit:,} "
        "answers to each of Trust A's Q1, Trust B's Q1 and Trust C's Q2, themed as the "
        "workspace does (automatic number of themes, auto engine, seed 0, the FFT's usual "
        "follow-up wording as the question)."
        + (
            " 'before' is the code given by `--code`, in its own process in the same run."
            if then
            else ""
        ),
        "",
        "| | " + ("before | now |" if then else "now |"),
        "|---|" + ("--:|--:|" if then else "--:|"),
    ]
    rows = [
        ("themes", "themes", "{:d}"),
        (
            "summary sentences per theme (not counting 'makes one point only')",
            "sentences_per_theme",
            "{:.2f}",
        ),
        ("themes with 2-4 summary sentences", "with_two_to_four", "{:d}"),
        ("themes summarised as 'makes one point only'", "only_point", "{:d}"),
        (
            "of them doubtful: under half the answers mentioning it make the label's point",
            "doubtful",
            "{:d}",
        ),
        ("median share of a theme's answers its summary names", "coverage", "{:.0%}"),
        ("pairs of summary sentences in one theme sharing 60 % of their words", "repeats", "{:d}"),
    ]
    for title, key, form in rows:
        cells = [form.format(then[key])] if then else []
        cells.append(form.format(now[key]))
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    lines += ["", "Summaries now, the largest theme of each question:", ""]
    for question in current["questions"]:
        theme = max(question["themes"], key=lambda t: t["size"], default=None)
        if theme is None:
            continue
        said = " / ".join(f'"{s}"' for s in theme["summary"]) or "(none)"
        lines.append(f'- {question["question"]}, "{theme["label"]}" ({theme["size"]}): {said}')
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="also run this copy of the code (before)")
    parser.add_argument("--limit", type=int, default=1000, help="answers per question")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    parser.add_argument("--json", type=Path, help="also save every theme's figures here")
    parser.add_argument(
        "--from-json", type=Path, help="report figures saved by --json instead of measuring"
    )
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        current, before = saved["now"], saved["before"]
    else:
        before = _run_other(args.code.resolve(), args.limit) if args.code else None
        current = measure(args.limit)
    command = "python -m bench.summaries" + (f" --code {args.code}" if args.code else "")
    if args.limit != 1000:
        command += f" --limit {args.limit}"
    text = report(current, before, command + (" --write" if args.write else ""), args.limit)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"now": current, "before": before}, indent=1))
    if args.write:
        from bench.common import write_section

        write_section("summaries", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
