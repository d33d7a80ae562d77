"""Multi-label theming with each engine: does embedding similarity sharpen secondary themes?

    .venv/bin/python -m bench.multilabel [--seeds 3] [--write]

themefinder gambling_XS (synthetic responses, 11 labels per question): sample-averaged F1
after matching themes to labels, and the mean number of themes given per response, for the
fast and semantic engines with the true number of themes, beside TF-IDF + k-means.
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np

from analysis.api import ThemeModel
from bench.common import machine, write_section
from bench.quality import baseline, load_gambling, multilabel_f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    lines = [
        "## Multi-label themes by engine (`bench/multilabel.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.multilabel --seeds {args.seeds} --write`. Machine: "
        f"{machine()}. Median over seeds. themefinder gambling_XS is synthetic: read it for "
        "direction, not as a real-world score.",
        "",
        "| Question | True labels per response | Baseline F1 | Fast F1 (themes per response) "
        "| Semantic F1 (themes per response) |",
        "|---|---|---|---|---|",
    ]
    for question, _ids, texts, truth in load_gambling():
        k = len({label for row in truth for label in row})
        found: dict[str, list[tuple[float, float]]] = {"fast": [], "semantic": []}
        base = []
        for seed in range(args.seeds):
            base.append(multilabel_f1(truth, [[int(c)] for c in baseline(texts, k, seed)]))
            for engine in found:
                model = ThemeModel(n_themes=k, engine=engine, seed=seed).fit(texts)
                found[engine].append(
                    (
                        multilabel_f1(truth, model.memberships_),
                        float(np.mean([len(m) for m in model.memberships_])),
                    )
                )
        cells = [
            f"{statistics.median(f for f, _ in found[e]):.1f} "
            f"({statistics.median(n for _, n in found[e]):.2f})"
            for e in found
        ]
        lines.append(
            f"| {question} | {np.mean([len(t) for t in truth]):.2f} | "
            f"{statistics.median(base):.1f} | {cells[0]} | {cells[1]} |"
        )
        print(lines[-1], flush=True)
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("multilabel", text)


if __name__ == "__main__":
    main()
