"""Which demo summary points change side tag ("For: ", "Against: ", "Neither: ") between two
copies of the code (side31): each free-text demo question themed as the workspace's analysis
job themes it (``bench.demo_report.fit_demo_question``, seed 0), per engine, once with this
code and once with ``--code DIR`` (e.g. ``git archive`` of the base unpacked in DIR), each in
its own process; prints the points whose tag differs and whether anything else differs.

    .venv/bin/python -m bench.side31_tags --code DIR [--engine semantic,fast]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Left out when comparing the rest of a point: its tag, and the response ids it cites (a
# freshly loaded demo gives its responses new random references).
OWN = {"stance", "id", "ids"}


def summary_points(engine: str) -> list[dict[str, Any]]:
    """Every summary sentence of every demo question's run with ``engine``, in order."""
    from bench.demo_report import demo_questions, fit_demo_question

    found = []
    with demo_questions() as questions:
        for number, (wording, answers) in enumerate(questions):
            model = fit_demo_question(wording, answers, engine)
            for theme in model.themes_:
                for sentence in theme.get("summary", []):
                    found.append({"question": number, "theme": theme["id"], **sentence})
    return found


def _run(code: Path, engine: str) -> list[dict[str, Any]]:
    """:func:`summary_points` run by the copy of the code in ``code``, in its own process."""
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); "
        "from bench.side31_tags import summary_points; "
        "print(json.dumps(summary_points(sys.argv[2])))"
    )
    if not (code / "bench" / "side31_tags.py").exists():
        (code / "bench" / "side31_tags.py").write_text(Path(__file__).read_text())
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(code), engine],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Compare the tags; print one line per changed point and the totals per engine."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, required=True, help="the copy to compare with")
    parser.add_argument("--engine", default="semantic,fast")
    args = parser.parse_args(argv)
    for engine in args.engine.split(","):
        before, after = _run(args.code, engine), _run(ROOT, engine)
        rest = sum(
            {k: v for k, v in b.items() if k not in OWN}
            != {k: v for k, v in a.items() if k not in OWN}
            for b, a in zip(before, after, strict=False)
        )
        changed = [
            (b, a)
            for b, a in zip(before, after, strict=False)
            if b.get("stance") != a.get("stance")
        ]
        for b, a in changed:
            print(
                f"  {engine} q{b['question']} {b['theme']} {b.get('stance')!r} -> "
                f"{a.get('stance')!r} ({b.get('answers')} answers) {b['text'][:70]}"
            )
        print(
            f"{engine}: {len(changed)} of {len(after)} summary points change tag "
            f"(before {len(before)}); other fields differ on {rest}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
