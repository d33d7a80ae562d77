"""ship33's shipping checks of the learned answer projection (BENCHMARKS.md "ship33").

    CONSULT_DATA_DIR=/work/shared/data CONSULT_ANSWER_PROJECTION=FILE OMP_NUM_THREADS=1 \\
        nice -n 5 .venv/bin/python -m bench.ship_projection cpu [--pairs 5]
    ... .venv/bin/python -m bench.ship_projection app

``cpu``: NHS Trust C, 3,000 answers drawn as the benches draw them (``bench.quality``), k = 9,
semantic engine, seed 0. A warm-up fit off and on, then ``--pairs`` interleaved off/on fits in
this process, each timed with ``time.process_time()``; prints each fit's CPU seconds, the
medians and their ratio, each fit's NMI against the 9 themes, and whether every fit's
``themes.json`` and ``assignments.csv`` (the CLI's writers) are byte-identical to the first of
its setting (check 1a) .

``app``: the demo consultation (300 responses, seed 2026) in two fresh SQLite databases, every
free-text question run on the semantic engine by the app's job (``bench.demo_app``), with the
library's default projection weight; whether both give identical stored themes, assignments
and coding-download rows (check 1b).

``demo``: the demo's free-text questions fitted as a user runs them, off and on: each theme's
size, how many of its members make its most common demo point, and its label (check 3).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _check_installed() -> None:
    from analysis import answer_projection

    reason = answer_projection.unavailable_reason()
    if reason:
        print(f"ship_projection: error: {reason}", file=sys.stderr)
        raise SystemExit(2)


def _outputs(model) -> str:
    """sha256 of the fit's themes.json and assignments.csv as the CLI writes them."""
    from analysis import output

    with tempfile.TemporaryDirectory() as folder:
        output.write_json(output.themes_document(model), Path(folder) / "themes.json")
        output.write_assignments(model, Path(folder) / "assignments.csv")
        digest = hashlib.sha256()
        for name in ("themes.json", "assignments.csv"):
            digest.update((Path(folder) / name).read_bytes())
    return digest.hexdigest()


def cpu(pairs: int) -> None:
    from sklearn.metrics import normalized_mutual_info_score

    from analysis import ThemeModel
    from bench import quality

    texts, truth = quality.subsample(*quality.load_single_label(["C"])["NHS FFT, 9 themes"], 3000)

    def fit(weight: float) -> tuple[float, ThemeModel]:
        start = time.process_time()
        model = ThemeModel(n_themes=9, engine="semantic", seed=0, projection_weight=weight)
        model.fit(texts)
        return time.process_time() - start, model

    for weight in (0.0, 0.15):  # warm-up: the embedding caches and the imports
        fit(weight)
    seconds: dict[str, list[float]] = {"off": [], "on": []}
    digests: dict[str, list[str]] = {"off": [], "on": []}
    for pair in range(pairs):
        for name, weight in (("off", 0.0), ("on", 0.15)):
            used, model = fit(weight)
            assert model.projection_weight_ == weight, (name, model.projection_weight_)
            seconds[name].append(used)
            digests[name].append(_outputs(model))
            nmi = 100 * normalized_mutual_info_score(truth, model.labels_)
            print(f"pair {pair + 1} {name}: {used:.2f} CPU-s, NMI {nmi:.2f}", flush=True)
    off, on = (statistics.median(seconds[k]) for k in ("off", "on"))
    print(f"CPU-s off {' / '.join(f'{s:.2f}' for s in seconds['off'])}; median {off:.2f}")
    print(f"CPU-s on  {' / '.join(f'{s:.2f}' for s in seconds['on'])}; median {on:.2f}")
    print(f"ratio on / off: {on / off:.3f} (rule <= 1.10)")
    for name in ("off", "on"):
        same = len(set(digests[name])) == 1
        print(f"{name}: {pairs} fits' themes.json + assignments.csv identical: {same}")
    print(f"load average {os.getloadavg()}")


def _dump_runs(folder: str) -> tuple[str, int]:
    """The demo app's semantic runs of every free-text question, as one JSON text, and how
    many runs there were."""
    from sqlalchemy import select

    from bench.demo_app import demo_app, run_demo_questions
    from consult.extensions import db
    from consult.reports import documents
    from consult.reports.models import AnalysisRun, RunAssignment, RunTheme

    app = demo_app(folder)
    _consultation, done = run_demo_questions(app, ["semantic"])
    dumped = []
    references: dict[str, str] = {}
    with app.app_context():
        for _engine, run_id, _question in done:
            run = db.session.get(AnalysisRun, run_id)
            themes = [
                {c.name: getattr(t, c.name) for c in RunTheme.__table__.columns}
                for t in db.session.scalars(
                    select(RunTheme).where(RunTheme.run_id == run_id).order_by(RunTheme.id)
                )
            ]
            rows = [
                {c.name: getattr(a, c.name) for c in RunAssignment.__table__.columns}
                for a in db.session.scalars(
                    select(RunAssignment)
                    .where(RunAssignment.run_id == run_id)
                    .order_by(RunAssignment.id)
                )
            ]
            download = [list(row) for row in documents.coding_rows(run)]
            dumped.append({"themes": themes, "rows": rows, "download": download})
            for row in sorted(rows, key=lambda row: row["response_id"]):
                references.setdefault(row["reference"], f"R{len(references):04d}")
        db.session.remove()
    text = json.dumps(dumped, sort_keys=True, default=str, indent=1)
    # a response's reference is drawn at random (consult.tokens.new_reference): named by the
    # order of its response instead, so two databases can be compared
    for reference, name in references.items():
        text = text.replace(reference, name)
    return text, len(done)


def app_jobs(weight: float, keep: Path | None) -> None:
    """Check 1b with the app's ThemeModel given ``weight`` (the web app does not set one)."""
    from analysis import api

    defaults = list(api.ThemeModel.__init__.__defaults__)
    defaults[-1] = weight  # projection_weight, the last keyword
    api.ThemeModel.__init__.__defaults__ = tuple(defaults)
    texts = []
    for attempt in range(2):
        with tempfile.TemporaryDirectory() as folder:
            text, runs = _dump_runs(folder)
        texts.append(text)
        if keep:
            (keep / f"app-{attempt + 1}.json").write_text(text, encoding="utf-8")
        print(f"runs: {runs}", flush=True)
    digests = [hashlib.sha256(t.encode()).hexdigest()[:16] for t in texts]
    print(f"two app report jobs identical: {texts[0] == texts[1]} ({digests})")


def demo_labels() -> None:
    """Each demo free-text question fitted as a user runs it (semantic, seed 0, themes
    'auto', its wording and agreement answers), off and on: each theme's label, size and the
    share of its members making its most common demo point."""
    from collections import Counter

    from analysis import ThemeModel
    from bench.demo_report import _phrasings, demo_questions, points_made

    phrasings = _phrasings()
    with demo_questions() as questions:
        for wording, answers in questions:
            made = [points_made(text, phrasings) for text in answers.texts]
            print(f"\n{wording} ({len(made)} answers)", flush=True)
            for name, weight in (("off", 0.0), ("on", 0.15)):
                model = ThemeModel(engine="semantic", seed=0, projection_weight=weight)
                model.fit(answers.texts, agreement=answers.agreement, question=wording)
                print(f"  {name}: {model.n_themes_} themes")
                for index, theme in enumerate(model.themes_):
                    members = [m for t, m in zip(model.labels_, made, strict=True) if t == index]
                    counts = Counter(p for m in members for p in m)
                    top = max(counts.values()) if counts else 0
                    print(f"    {len(members):4d} {top:3d} {theme['label']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("check", choices=["cpu", "app", "demo"])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--weight", type=float, default=0.15, help="app: the projection weight")
    parser.add_argument("--keep", type=Path, help="app: a folder to write both runs' JSON to")
    args = parser.parse_args(argv)
    _check_installed()
    if args.check == "cpu":
        cpu(args.pairs)
    elif args.check == "demo":
        demo_labels()
    else:
        app_jobs(args.weight, args.keep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
