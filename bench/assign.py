"""An answer's main theme by the label points it makes (:mod:`analysis.main_theme`), old
against new in one process (semantic engine; the rule needs sentence embeddings).

    .venv/bin/python -m bench.assign demo [--list N]
    .venv/bin/python -m bench.assign quality [--subsample N]

``demo`` themes the demo's seven free-text questions as the workspace does
(:func:`bench.demo_report.fit_demo_question`) with :data:`analysis.stages.MAIN_BY_LABEL`
off and on, and counts misplaced answers: distinct answers making some demo point that is
the main point (most members make it) of a theme, but not their main theme's main point;
with the NMI against the points (answers making one) and the points split and themes mixing
points of :func:`bench.demo_report.point_figures`. ``--list N`` prints N moved answers to
read. ``quality`` fits NHS feedback (9 and 44 labels) and ArgKP's motions once each (seed
0, k given and automatic) and scores each fit's main themes before the rule and after it
(the rule applied to the fitted run: the same moves the switched-on fit makes, without
describing again), so old and new share the fit.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

import numpy as np

from analysis import stages
from analysis.main_theme import far_from_theme, label_moves
from analysis.themes import typical_similarity


def misplaced(primary: list[int], made: list[list[str]], k: int) -> tuple[int, list[bool]]:
    """How many answers make a point that is some theme's main point but not their own
    theme's main point; and which."""
    main: list[str | None] = []
    for theme in range(k):
        counts = Counter(
            p for label, m in zip(primary, made, strict=True) if label == theme for p in m
        )
        main.append(min(counts.items(), key=lambda i: (-i[1], i[0]))[0] if counts else None)
    flags = [
        bool(m) and label >= 0 and main[label] not in m and any(p in main for p in m)
        for label, m in zip(primary, made, strict=True)
    ]
    return sum(flags), flags


def demo(listed: int) -> None:
    from bench.demo_report import _phrasings, demo_questions, fit_demo_question, point_figures

    phrasings = _phrasings()
    from bench.demo_report import points_made

    totals: Counter = Counter()
    shown = 0
    with demo_questions() as questions:
        for index, (wording, answers) in enumerate(questions):
            made = [points_made(t, phrasings) for t in answers.texts]
            found = {}
            for switch in (False, True):
                stages.MAIN_BY_LABEL = switch
                started = time.perf_counter()
                model = fit_demo_question(wording, answers, "semantic")
                totals[f"{'new' if switch else 'old'} seconds"] += time.perf_counter() - started
                labels = [int(t) for t in model.labels_]
                count, flags = misplaced(labels, made, len(model.themes_))
                figures = point_figures(labels, made, len(model.themes_))
                found[switch] = (model, labels, flags)
                key = "new" if switch else "old"
                totals[f"{key} misplaced"] += count
                totals[f"{key} split"] += figures["split"]
                totals[f"{key} mixed"] += figures["mixed"]
                totals[f"{key} themes"] += len(model.themes_)
                print(
                    index + 1,
                    key,
                    "misplaced",
                    count,
                    "NMI",
                    round(figures["point_nmi"], 1),
                    "split",
                    figures["split"],
                    "mixed",
                    figures["mixed"],
                    flush=True,
                )
            stages.MAIN_BY_LABEL = False
            old_model, old_labels, old_flags = found[False]
            new_model, new_labels, new_flags = found[True]
            old_names = [t["label"] for t in old_model.themes_]
            new_names = [t["label"] for t in new_model.themes_]
            moved = [
                r
                for r in range(len(old_labels))
                if old_labels[r] >= 0 and old_names[old_labels[r]] != new_names[new_labels[r]]
            ]
            totals["moved rows"] += len(moved)
            for row in moved:
                if shown < listed and answers.texts[row] not in {"", None}:
                    shown += 1
                    print(
                        f"  Q{index + 1} {made[row]} misplaced {old_flags[row]} -> {new_flags[row]}"
                    )
                    print(f"    {answers.texts[row][:200]}")
                    print(f"    from: {old_names[old_labels[row]][:90]}")
                    print(f"    to:   {new_names[new_labels[row]][:90]}")
    print(dict(totals))


def quality(subsample: int) -> None:
    from analysis.api import ThemeModel
    from bench.common import scores
    from bench.quality import load_argkp, load_single_label
    from bench.quality import subsample as sample

    seen = []
    original = stages.main_by_label

    def spy(run):
        seen.append(run)
        original(run)

    stages.main_by_label = spy
    stages.MAIN_BY_LABEL = False

    def both(texts, truth, k, question=None):
        model = ThemeModel(n_themes=k, engine="semantic", seed=0).fit(texts, question=question)
        run = seen[-1]
        embed = stages._sentence_embedder(run.representation)
        labels = [t["label"] for t in run.themes]
        primary = run.member.primary
        similarity = run.vectors @ run.clustering.centers.T
        main = similarity[np.arange(len(primary)), primary]
        found = [scores(truth, model.labels_)["nmi"]]
        for quantile, margin in VARIANTS:
            eligible = None
            if quantile is not None:
                typical = typical_similarity(similarity, primary, run.k, quantile)
                eligible = far_from_theme(main, primary, typical)
            new = label_moves(
                labels, run.rep_texts, primary, embed, eligible=eligible, margin=margin
            )
            rows = np.array([new[r] if r >= 0 else -1 for r in run.rep_of_row])
            found += [scores(truth, rows)["nmi"], int((rows != np.asarray(model.labels_)).sum())]
        return tuple(found)

    results = {}
    single = load_single_label()
    for name in ("NHS FFT, 9 themes", "NHS FFT, 44 sub-themes"):
        texts, truth = sample(*single[name], subsample)
        for mode in ("given", "auto"):
            k = len(set(truth)) if mode == "given" else "auto"
            results[(name, mode)] = [both(texts, truth, k)]
            print(name, mode, results[(name, mode)], flush=True)
    for index, (topic, texts, truth, _multi, _all) in enumerate(load_argkp()):
        name = "ArgKP even" if index % 2 == 0 else "ArgKP odd"
        for mode in ("given", "auto"):
            k = len(set(truth)) if mode == "given" else "auto"
            results.setdefault((name, mode), []).append(both(texts, truth, k, topic))
        print(topic, results[(name, "given")][-1], results[(name, "auto")][-1], flush=True)
    print(table(results))


def table(results: dict[tuple[str, str], list[tuple]]) -> str:
    """The NMI table: per set and count mode, the mean over its fits of the NMI before the
    rule and after each variant's moves, with the rows moved; the real-set mean."""
    names = " | ".join(f"NMI, q={q} margin {m} | rows moved" for q, m in VARIANTS)
    lines = [f"| Set | k | NMI old | {names} |", "|---|---|---:|" + "---:|---:|" * len(VARIANTS)]
    sets = ("NHS FFT, 9 themes", "NHS FFT, 44 sub-themes", "ArgKP even", "ArgKP odd")
    for mode in ("given", "auto"):
        means = []
        for name in sets:
            found = results[(name, mode)]  # (old NMI, then NMI and rows moved per variant)
            nmi = [statistics.mean(f[i] for f in found) for i in (0, *range(1, len(found[0]), 2))]
            moved = [sum(f[i] for f in found) for i in range(2, len(found[0]), 2)]
            means.append(nmi)
            cells = " | ".join(f"{n:.2f} | {m}" for n, m in zip(nmi[1:], moved, strict=True))
            lines.append(f"| {name} | {mode} | {nmi[0]:.2f} | {cells} |")
        mean = [statistics.mean(m[i] for m in means) for i in range(len(means[0]))]
        cells = " | ".join(f"**{n:.2f}** ({n - mean[0]:+.2f}) | " for n in mean[1:])
        lines.append(f"| **real-set mean** | {mode} | **{mean[0]:.2f}** | {cells}")
    return "\n".join(lines)


# (quantile of the main theme's member similarities an answer must be below, or None: any
# answer; cosine margin over its main theme's label)
VARIANTS = ((None, 0.0), (0.25, 0.0), (0.25, 0.1), (0.1, 0.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("demo", "quality"))
    parser.add_argument("--list", type=int, default=0)
    parser.add_argument("--subsample", type=int, default=2000)
    args = parser.parse_args()
    if args.what == "demo":
        demo(args.list)
    else:
        quality(args.subsample)


if __name__ == "__main__":
    main()
