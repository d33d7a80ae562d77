"""Several themes per answer: does each engine give answers that make two points both themes?

    .venv/bin/python -m bench.multilabel [--seeds 1] [--write]

themefinder gambling_XS (synthetic responses, 11 labels per question) and ArgKP (real
arguments; per motion, those matching at least one expert key point, 4 % of which match two
or three; k = the motion's key points they match; the even motions were used for tuning, the
odd ones held aside). For the fast and semantic engines with the true number of themes: the
sample-averaged F1 after matching themes to labels, the mean number of themes per answer,
and the share of answers with two or more true labels that were given two or more themes.
"Before" is the previous rule (whole answers only, a second theme within 0.8 of the primary
similarity: ``secondary_ratio=0.8, secondary_parts=None``), run in the same process.
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np

from analysis.api import ThemeModel
from bench.common import machine, write_section
from bench.quality import baseline, load_argkp, load_gambling, multilabel_f1

RULES = {
    "before": {"secondary_ratio": 0.8, "secondary_parts": None},
    "now": {},
}


def measure(texts, truth, seeds, engine, settings) -> tuple[float, float, float]:
    """Median over seeds of F1, themes per answer, and multi-label answers given 2+ themes."""
    k = len({label for row in truth for label in row})
    several = [i for i, row in enumerate(truth) if len(row) > 1]
    found = []
    for seed in seeds:
        model = ThemeModel(n_themes=k, engine=engine, seed=seed, **settings).fit(texts)
        rows = model.memberships_
        found.append(
            (
                multilabel_f1(truth, rows),
                float(np.mean([len(m) for m in rows])),
                100 * float(np.mean([len(rows[i]) > 1 for i in several])) if several else 0.0,
            )
        )
    return tuple(statistics.median(f[i] for f in found) for i in range(3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    sets = [
        (f"gambling_XS {question} (synthetic)", [(texts, truth)])
        for question, _ids, texts, truth in load_gambling()
    ]
    motions = [(texts, truth) for _t, _one, _kp, truth, texts in load_argkp()]
    sets.append(("ArgKP, 12 even motions (tuned on)", motions[0::2]))
    sets.append(("ArgKP, 12 odd motions (held aside)", motions[1::2]))
    lines = [
        "## Several themes per answer (`bench/multilabel.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.multilabel --seeds {args.seeds} --write`. "
        f"Machine: {machine()}, shared and under load. Median over seeds {seeds}; ArgKP rows "
        "are means over 12 motions. k = the true number of labels. F1: sample-averaged after "
        "matching themes to labels (%). Per answer: mean themes given. 2+: share of answers "
        "with two or more true labels given two or more themes (%). Before: whole answers "
        "only, a second theme within 0.8 of the primary similarity; now: within 0.75, plus "
        "the theme nearest each of the answer's sentences and clauses when that part is at "
        "least 0.8 of the theme's typical member similarity. gambling_XS is synthetic: read "
        "it for direction only.",
        "",
        "| Data | True labels per answer | TF-IDF + k-means F1 | Engine | Before F1 / per answer "
        "/ 2+ | Now F1 / per answer / 2+ |",
        "|---|---|---|---|---|---|",
    ]
    for name, parts in sets:
        labels_per = statistics.mean(np.mean([len(t) for t in truth]) for _x, truth in parts)
        base = statistics.mean(
            statistics.median(
                multilabel_f1(
                    truth,
                    [[int(c)] for c in baseline(texts, len({x for r in truth for x in r}), s)],
                )
                for s in seeds
            )
            for texts, truth in parts
        )
        for engine in ("fast", "semantic"):
            cells = []
            for rule in RULES.values():
                runs = [measure(texts, truth, seeds, engine, rule) for texts, truth in parts]
                cells.append(
                    " / ".join(
                        f"{statistics.mean(r[i] for r in runs):.{d}f}"
                        for i, d in ((0, 1), (1, 2), (2, 0))
                    )
                )
            lines.append(
                f"| {name} | {labels_per:.2f} | {base:.1f} | {engine} | {cells[0]} | {cells[1]} |"
            )
            print(lines[-1], flush=True)
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("multilabel", text)


if __name__ == "__main__":
    main()
