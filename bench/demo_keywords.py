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
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

# The demo's free-text questions as the app numbers them, in order.
QUESTIONS = ["Q2", "Q3", "Q6", "Q8", "Q10", "Q12", "Q13"]


def record(out: Path) -> None:
    from bench.demo_report import demo_questions, fit_demo_question

    found = []
    with demo_questions() as questions:
        asked = list(questions)
        for engine in ("fast", "semantic"):
            for number, (wording, answers) in zip(QUESTIONS, asked, strict=True):
                model = fit_demo_question(wording, answers, engine)
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
    comparing = commands.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.out)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
