"""Every theme's keywords on the demo's seven free-text questions, both engines (kw29):

    .venv/bin/python -m bench.demo_keywords record --out FILE.json
    .venv/bin/python -m bench.demo_keywords compare BEFORE.json AFTER.json

``record`` loads the demo fresh and themes each free-text question as the workspace does
(:func:`bench.demo_report.fit_demo_question`: automatic count, seed 0, partner type and the
paired agreement) with the fast and the semantic engine, and writes each theme's engine,
question, id, label, size and keywords. ``compare`` prints the themes whose keywords differ
(before and after) and checks that labels and sizes are the same; two records of one tree
should be byte-identical (``cmp``). Run ``record`` on an earlier tree with ``PYTHONPATH``
pointing at a ``git archive`` of it.

``record --edited`` (tidy30) records instead each theme's keywords as a review edit describes
them again (:func:`analysis.edit_keywords.keywords_after_edit` with the themes' labels, as the
web app calls it): every theme on the fit's own grouping, then every theme after theme 1 is
merged into theme 0 (question ids "Q13" and "Q13 merged"; the merged-away theme left out).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

# The demo's free-text questions as the app numbers them, in order.
QUESTIONS = ["Q2", "Q3", "Q6", "Q8", "Q10", "Q12", "Q13"]


def _edited(number: str, engine: str, texts: list[str], model) -> list[dict]:
    """Every theme of ``model`` described again as after a review edit (``record --edited``),
    on the fit's own grouping and after merging theme 1 into theme 0."""
    from analysis.edit_keywords import keywords_after_edit
    from analysis.fit import FIT_FLOOR

    labels = [theme["label"] for theme in model.themes_]
    outside = [f < FIT_FLOOR for f in model.fit_]
    own = [int(t) for t in model.labels_]
    merged = [0 if t == 1 else t for t in own]
    found = []
    for name, themes in ((number, own), (f"{number} merged", merged)):
        shown = keywords_after_edit(texts, themes, range(len(labels)), 0, outside, labels)
        found += [
            {
                "engine": engine,
                "question": name,
                "id": model.themes_[i]["id"],
                "label": labels[i],
                "size": themes.count(i),
                "keywords": shown[i],
            }
            for i in sorted(shown)
        ]
    return found


def record(out: Path, edited: bool = False) -> None:
    from bench.demo_report import demo_questions, fit_demo_question

    found = []
    with demo_questions() as questions:
        asked = list(questions)
        for engine in ("fast", "semantic"):
            for number, (wording, answers) in zip(QUESTIONS, asked, strict=True):
                model = fit_demo_question(wording, answers, engine)
                if edited:
                    found += _edited(number, engine, list(answers.texts), model)
                    continue
                found += [
                    {
                        "engine": engine,
                        "question": number,
                        "id": theme["id"],
                        "label": theme["label"],
                        "size": theme["size"],
                        "keywords": theme["keywords"],
                    }
                    for theme in model.themes_
                ]
    out.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))

    def key(theme: dict) -> tuple:
        return theme["engine"], theme["question"], theme["id"], theme["label"], theme["size"]

    if [key(t) for t in old] != [key(t) for t in new]:
        print("labels or sizes differ: not the same grouping")
        return 1
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a["keywords"] != b["keywords"]]
    for a, b in changed:
        print(f"{a['engine']} {a['question']} {a['id']} ({a['size']}) {a['label']}")
        print(f"    before: {', '.join(a['keywords']) or '(none)'}")
        print(f"    after:  {', '.join(b['keywords']) or '(none)'}")
    print(f"{len(changed)} of {len(old)} themes' keywords changed")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record")
    recording.add_argument("--out", type=Path, required=True)
    recording.add_argument(
        "--edited", action="store_true", help="keywords as a review edit describes them again"
    )
    comparing = commands.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.out, args.edited)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
