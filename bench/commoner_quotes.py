"""Quotes of themes flagged for a commoner point than the label's, on the demo (smoke8 #2).

A theme flagged "another point is commoner than the label's" (or "label made by fewer than
half", naming that point: :func:`analysis.report.commoner_sentence`) now quotes an answer
making that point (:mod:`analysis.commoner_quote`). The demo consultation's answers are built
from known points (consult/demo_text.py), so whether a quote makes the commoner sentence's
point is known. This script themes the seven free-text questions as the workspace does
(semantic engine, automatic count, seed 0) twice in one process, without and with the change,
and counts the flagged themes whose quotes make the point, and the other themes whose quotes
changed (none should).

    .venv/bin/python -m bench.commoner_quotes [--write]
"""

from __future__ import annotations

import argparse
import time
from unittest import mock

from analysis.report import commoner_sentence
from bench.common import machine, write_section
from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made
from bench.summary_points import says


def fit_all(change: bool) -> list[list[dict]]:
    """Each demo question's themes, with the change (``change``) or without it."""
    from analysis import stages

    out = []
    with demo_questions() as questions:
        for wording, answers in questions:
            if change:
                model = fit_demo_question(wording, answers, "semantic")
            else:
                with mock.patch.object(stages, "_commoner_quotes", lambda run: None):
                    model = fit_demo_question(wording, answers, "semantic")
            out.append(model.themes_)
    return out


def measure() -> dict[str, int]:
    """Flagged themes, those whose quotes make the commoner point before and now (known
    points), quotes changed on flagged and on other themes."""
    phrasings = _phrasings()
    before, now = fit_all(False), fit_all(True)
    found = {"themes": 0, "flagged": 0, "known": 0, "before": 0, "now": 0}
    found |= {"changed_flagged": 0, "changed_other": 0, "same_labels": 0}
    for old_themes, new_themes in zip(before, now, strict=True):
        for old, new in zip(old_themes, new_themes, strict=True):
            found["themes"] += 1
            found["same_labels"] += old["label"] == new["label"]
            # by text: each fit loads a fresh demo, whose response references differ
            changed = [q["text"] for q in old["quotes"]] != [q["text"] for q in new["quotes"]]
            sentence = commoner_sentence(old.get("label_point"), old["mentions"], old["summary"])
            if sentence is None:
                found["changed_other"] += changed
                continue
            found["flagged"] += 1
            found["changed_flagged"] += changed
            point = says(sentence["text"], phrasings)
            if len(point) != 1:
                continue
            found["known"] += 1
            for key, theme in (("before", old), ("now", new)):
                found[key] += any(
                    point[0] in points_made(q["text"], phrasings) for q in theme["quotes"]
                )
    return found


def main() -> None:
    """Measure and print, or write the BENCHMARKS.md section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md's section")
    args = parser.parse_args()
    started = time.time()
    f = measure()
    lines = [
        "## Quotes of a theme flagged for a commoner point (issue 12, smoke8 #2; "
        "`bench/commoner_quotes.py`)",
        "",
        "Command: `nice -n 10 .venv/bin/python -m bench.commoner_quotes --write`. The demo's "
        "seven free-text questions themed as the workspace does (semantic engine, automatic "
        "count, seed 0), without and with `analysis.commoner_quote` in one process. A theme "
        "flagged for a point commoner than its label's (`analysis.report.commoner_sentence`) "
        "whose quotes do not make that point (none is the sentence's own answer, or within "
        "MiniLM cosine 0.6 of the sentence and nearer it than the label) has its last quote "
        'replaced by the answer the sentence was taken from. "Quoted": a quote makes the '
        "sentence's known demo point. The demo has one such theme (\"Shire districts could "
        'pay in but see little of the investment", its commoner point "Too many conditions '
        'remain attached, so it is not real control over funding."); the rule at cosine 0.45, '
        "or trusting the summary's own list of answers making the point, took \"Non-constituent "
        'authorities risk being left out of decisions about the money." for it and changed '
        "nothing.",
        "",
        "| demo themes | flagged for a commoner point | its point known | quoted before | "
        "quoted now | flagged themes' quotes changed | other themes' quotes changed |",
        "|--:|--:|--:|--:|--:|--:|--:|",
        f"| {f['themes']} | {f['flagged']} | {f['known']} | {f['before']} | {f['now']} | "
        f"{f['changed_flagged']} | {f['changed_other']} |",
        "",
        f"Labels the same in both fits: {f['same_labels']} of {f['themes']}. "
        f"{time.time() - started:.0f} s, {machine()}.",
    ]
    print("\n".join(lines))
    if args.write:
        write_section("mergecount-quotes", "\n".join(lines))


if __name__ == "__main__":
    main()
