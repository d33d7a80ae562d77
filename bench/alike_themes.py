"""Themes that look alike (``analysis.alike``): how often a hint names two themes that make
one point, and how many such pairs get a hint; and what the hints cost the fast engine.

    .venv/bin/python -m bench.alike_themes [--odd] [--write]
    .venv/bin/python -m bench.alike_themes --engine fast --pairs-only

``--engine fast --pairs-only`` (smoke16 #6) scores the fast engine's hints on the demo and
the even motions (``--odd``: the odd ones too) without the NHS timing, printed, not written.

Automatic number of themes, seed 0, the semantic engine (the workspace's default: "auto").

- The demo consultation (loaded afresh as ``bench.demo_report`` does), each of its seven
  free-text questions as the workspace themes it. A theme's point is the demo point most of
  its members make (``bench.demo_report.points_made``); two themes are truly alike when
  their points are the same.
- ArgKP, per motion the arguments matching exactly one key point, the motion given as the
  question; a theme's point is its members' commonest key point. The rule was chosen on the
  even motions; ``--odd`` adds the odd ones, held aside and scored once.
- NHS feedback (the first 3,000 rows of ``nhs_fft_phase1.csv``): the fast engine's fit CPU
  (``time.process_time``, three fits each, alternating, best of each) with the hints and
  with ``analysis.stages.alike`` made a no-op; and the semantic engine's hint pairs, scored
  against the 9 expert labels (coarse: two themes under one expert label need not make one
  point).

Precision: hinted pairs (a pair counts once, though both themes show it) that are truly
alike; recall: truly alike pairs that are hinted.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from contextlib import contextmanager

from analysis import ThemeModel, stages
from bench.common import machine, read_columns, write_section
from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made
from bench.quality import load_argkp

NHS_ROWS = 3000


def main_points(labels: list[int], made: list[list[str]], k: int) -> list[str | None]:
    """Each theme's point: the one most of its members make (ties by name; None if none)."""
    found: list[str | None] = []
    for theme in range(k):
        counts = Counter(
            p for label, m in zip(labels, made, strict=True) if label == theme for p in m
        )
        found.append(
            min(counts.items(), key=lambda item: (-item[1], item[0]))[0] if counts else None
        )
    return found


def pair_counts(model: ThemeModel, points: list[str | None]) -> dict[str, int]:
    """Hinted pairs, hinted pairs truly alike, truly alike pairs, all pairs."""
    index = {theme["id"]: t for t, theme in enumerate(model.themes_)}
    hinted = {
        tuple(sorted((t, index[hint["id"]])))
        for t, theme in enumerate(model.themes_)
        for hint in theme.get("alike", [])
    }
    k = len(points)
    truly = {
        (a, b)
        for a in range(k)
        for b in range(a + 1, k)
        if points[a] is not None and points[a] == points[b]
    }
    return {
        "hinted": len(hinted),
        "right": len(hinted & truly),
        "truly": len(truly),
        "pairs": k * (k - 1) // 2,
    }


def add(total: dict[str, int], found: dict[str, int]) -> None:
    for key, value in found.items():
        total[key] = total.get(key, 0) + value


def demo_figures(engine: str = "semantic") -> tuple[dict[str, int], list[str]]:
    """The demo's pair counts summed over its questions, and each hint in words."""
    total: dict[str, int] = {}
    said: list[str] = []
    phrasings = _phrasings()
    with demo_questions() as questions:
        for number, (wording, answers) in enumerate(questions, start=1):
            model = fit_demo_question(wording, answers, engine)
            made = [points_made(text, phrasings) for text in answers.texts]
            points = main_points([int(t) for t in model.labels_], made, model.n_themes_)
            add(total, pair_counts(model, points))
            index = {theme["id"]: t for t, theme in enumerate(model.themes_)}
            for t, theme in enumerate(model.themes_):
                for hint in theme["alike"]:
                    other = index[hint["id"]]
                    if t < other:
                        right = "same point" if points[t] == points[other] else "two points"
                        said.append(
                            f"demo question {number}: {theme['id']} ‘{theme['label']}’ ~ "
                            f"{hint['id']} ‘{model.themes_[other]['label']}’ "
                            f"({hint['similarity']:.2f}; {right})"
                        )
    return total, said


def argkp_figures(parity: int, engine: str = "auto") -> dict[str, int]:
    """ArgKP's pair counts summed over the even (0) or odd (1) motions."""
    total: dict[str, int] = {}
    for index, (topic, texts, truth, _multi, _all) in enumerate(load_argkp()):
        if index % 2 != parity:
            continue
        model = ThemeModel(n_themes="auto", engine=engine, seed=0).fit(texts, question=topic)
        points = main_points([int(t) for t in model.labels_], [[t] for t in truth], model.n_themes_)
        add(total, pair_counts(model, points))
        print(topic, model.n_themes_, flush=True)
    return total


@contextmanager
def without_hints():
    """The fit with :func:`analysis.stages.alike` a no-op (the engine before the hints)."""
    kept = stages.alike
    stages.alike = lambda run: None
    try:
        yield
    finally:
        stages.alike = kept


def nhs_figures() -> dict:
    """The fast engine's fit CPU with and without the hints, and the semantic engine's hint
    pairs scored against the expert labels."""
    rows = read_columns("nhs_fft_phase1.csv", "feedback", "label")[:NHS_ROWS]
    texts, truth = [r[0] for r in rows], [r[1] for r in rows]
    seconds: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(3):
        for name in ("without", "with"):
            clock = time.process_time()
            if name == "without":
                with without_hints():
                    ThemeModel(n_themes="auto", engine="fast", seed=0).fit(texts)
            else:
                ThemeModel(n_themes="auto", engine="fast", seed=0).fit(texts)
            seconds[name].append(time.process_time() - clock)
    model = ThemeModel(n_themes="auto", seed=0).fit(texts)
    made = [
        [label] if theme >= 0 else [] for label, theme in zip(truth, model.labels_, strict=True)
    ]
    points = main_points([int(t) for t in model.labels_], made, model.n_themes_)
    return {
        "cpu": {name: min(values) for name, values in seconds.items()},
        "pairs": pair_counts(model, points),
        "themes": model.n_themes_,
    }


def line(name: str, counts: dict[str, int]) -> str:
    hinted, right, truly = counts["hinted"], counts["right"], counts["truly"]
    precision = f"{right / hinted:.2f}" if hinted else "–"
    recall = f"{right / truly:.2f}" if truly else "–"
    base = counts["truly"] / counts["pairs"] if counts["pairs"] else 0.0
    return (
        f"| {name} | {counts['pairs']} | {truly} ({base:.0%}) | {hinted} | {right} | "
        f"{precision} | {recall} |"
    )


def report(demo: tuple, even: dict, odd: dict | None, nhs: dict) -> str:
    from analysis.alike import ALIKE_LIMIT, ALIKE_Z

    totals, said = demo
    cpu = nhs["cpu"]
    change = 100 * (cpu["with"] / cpu["without"] - 1)
    lines = [
        "## Themes that look alike (issue 12, smoke7 finding 8)",
        "",
        "`nice -n 10 env OMP_NUM_THREADS=1 CONSULT_DATA_DIR=/work/shared/data PYTHONPATH=. "
        ".venv/bin/python -m bench.alike_themes --odd --write`",
        f"({machine()}). Automatic count, seed 0, semantic engine; a hint: labels' cosine at "
        f"least {ALIKE_Z} standard deviations above the median pair of the question's labels "
        f"(at most {ALIKE_LIMIT} per theme, never across opposite sides). Truly alike: the two "
        "themes' commonest known point is the same.",
        "",
        "| set | pairs of themes | truly alike (base rate) | hinted | hinted and truly alike "
        "| precision | recall |",
        "|---|---|---|---|---|---|---|",
        line("demo, 7 questions", totals),
        line("ArgKP even motions (chosen on)", even),
    ]
    if odd is not None:
        lines.append(line("ArgKP odd motions (held aside, scored once)", odd))
    lines.append(line(f"NHS feedback {NHS_ROWS:,} rows, 9 expert labels (coarse)", nhs["pairs"]))
    lines += [
        "",
        "Hints on the demo:",
        "",
        *[f"- {item}" for item in said],
        "",
        f"Fast engine, NHS feedback {NHS_ROWS:,} rows, fit CPU (best of 3): "
        f"{cpu['without']:.2f} s without the hints, {cpu['with']:.2f} s with ({change:+.1f} %).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--odd", action="store_true", help="also score the held-aside motions")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--engine", default="semantic", choices=["semantic", "fast"])
    parser.add_argument("--pairs-only", action="store_true", help="no NHS timing; print only")
    args = parser.parse_args()
    demo = demo_figures(args.engine)
    even = argkp_figures(0, "auto" if args.engine == "semantic" else args.engine)
    odd = (
        argkp_figures(1, "auto" if args.engine == "semantic" else args.engine) if args.odd else None
    )
    if args.pairs_only:
        lines = [line("demo, 7 questions", demo[0]), line("ArgKP even motions", even)]
        lines += [line("ArgKP odd motions", odd)] if odd is not None else []
        print("\n".join([*lines, *[f"- {item}" for item in demo[1]]]))
        return
    nhs = nhs_figures()
    text = report(demo, even, odd, nhs)
    print(text)
    if args.write:
        write_section("alike-themes", text)


if __name__ == "__main__":
    main()
