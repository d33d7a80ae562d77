"""How each demo theme's stance reads in words, before and after smoke15 finding 3:

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python -m bench.stance_words [--engine semantic]
        [--write]

Themes every free-text question of a freshly loaded demo as the workspace does (automatic
count, seed 0, partner type, the paired agreement answers: :func:`bench.demo_report.
fit_demo_question`) and words each theme's stance counts by the rule before smoke15 ("mostly"
at two in three, else "divided": :func:`before`) and by :func:`analysis.report.stance_lean`
now. Reports, per word, how many themes read so, and lists every theme whose word changed with
its counts, so a reader can judge each "divided" that is now "leaning" or "no clear lean".
``--write`` replaces the ``smoke15`` section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from analysis.report import LEAN_WORDS, MOSTLY, stance_lean, stance_name
from bench.common import machine, write_section
from bench.demo_report import demo_questions, fit_demo_question


def before(stance: dict[str, int] | None) -> str:
    """The rule before smoke15: a side holding two in three of the counted stances is
    'mostly' that side, else 'divided' ('' when nothing was counted)."""
    counts = {name: int(n) for name, n in (stance or {}).items() if int(n) > 0}
    total = sum(counts.values())
    if not total:
        return ""
    for side, words in LEAN_WORDS.items():
        if counts.get(side, 0) >= MOSTLY * total:
            return words
    return "divided"


def measure(engine: str) -> tuple[list[dict], float]:
    """Every demo theme with stance measured: its label, counts and both words."""
    rows = []
    started = time.perf_counter()
    with demo_questions() as questions:
        for wording, answers in questions:
            if answers.agreement is None:
                continue
            model = fit_demo_question(wording, answers, engine)
            for theme in model.themes_:
                stance = theme.get("stance") or {}
                if not sum(int(n) for n in stance.values()):
                    continue
                rows.append(
                    {
                        "label": theme["label"],
                        "stance": {k: int(v) for k, v in stance.items()},
                        "before": before(stance),
                        "after": stance_lean(stance),
                    }
                )
    return rows, time.perf_counter() - started


def report(rows: list[dict], engine: str, seconds: float) -> str:
    """The section's markdown: words before and after, and every theme that changed."""
    words = sorted({r["before"] for r in rows} | {r["after"] for r in rows})
    was, now = Counter(r["before"] for r in rows), Counter(r["after"] for r in rows)
    lines = [
        "## smoke15: a theme's stance in words on the demo (divided, leaning, no clear lean)",
        "",
        f"`OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python -m bench.stance_words --engine {engine}"
        " --write`; machine: "
        f"{machine()} (shared and loaded); {seconds:.0f} s for the demo's questions paired with "
        "an agreement question (themed as the workspace does: automatic count, seed 0).",
        "",
        'Before: a side with two in three of a theme\'s counted stances is "mostly" that side, '
        'else "divided". Now (`analysis.report.stance_lean`): the same "mostly"; else '
        '"leaning for/against" when that side holds three times the other (for against '
        'against alone, since fix #9), "divided" when both have answers and are nearer than '
        'that, else "no clear lean".',
        "",
        "| word | themes before | themes now |",
        "|---|---:|---:|",
    ]
    lines += [f"| {w or '(none)'} | {was[w]} | {now[w]} |" for w in words]
    changed = [r for r in rows if r["before"] != r["after"]]
    lines += ["", f"{len(changed)} of {len(rows)} themes read differently:", ""]
    for r in changed:
        counts = ", ".join(f"{stance_name(k).lower()} {v}" for k, v in r["stance"].items())
        lines.append(f"- “{r['label']}” ({counts}): {r['before']} → {r['after']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="semantic", choices=["semantic", "fast"])
    parser.add_argument("--write", action="store_true")
    options = parser.parse_args()
    rows, seconds = measure(options.engine)
    text = report(rows, options.engine, seconds)
    print(text)
    if options.write:
        write_section("smoke15", text)


if __name__ == "__main__":
    main()
