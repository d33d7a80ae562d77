"""Several themes per answer: does each engine give answers that make two points both themes,
and how many second themes are wrong?

    .venv/bin/python -m bench.multilabel [--seeds 1] [--nhs-rows 3000] [--write]

themefinder gambling_XS (synthetic responses, 11 labels per question) and ArgKP (real
arguments; per motion, those matching at least one expert key point, 4 % of which match two
or three; k = the motion's key points they match; the even motions were used for tuning, the
odd ones held aside). For the fast and semantic engines with the true number of themes: the
sample-averaged F1 after matching themes to labels, the mean number of themes per answer,
the share of answers with two or more true labels that were given two or more themes, and
the second (third, ...) themes per 100 answers that match none of the answer's labels, the
share of second themes that match one (P) and the share of an answer's labels after its
first found among its second themes (R). NHS FFT (real single-label feedback, a fixed
subsample, ``auto`` themes): themes per answer.

"Before" is the previous default rule (a sentence or clause adds its nearest theme when at
least 0.7 of the theme's typical member similarity: ``secondary_strength=None``), run in the
same process as "now" (the defaults: such a point also needs at least 0.875 of the whole
answer's similarity to its main theme, ``secondary_strength=0.875``).
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np

from analysis.api import ThemeModel
from bench.common import machine, read_columns, write_section
from bench.quality import (
    baseline,
    load_argkp,
    load_gambling,
    multilabel_f1,
    subsample,
    theme_labels,
)

RULES = {
    "before": {"secondary_strength": None},
    "now": {},
}


def wrong_seconds(truth: list[list[str]], rows: list[list[int]]) -> float:
    """Themes after an answer's first that match none of its labels, per 100 answers."""
    mapping = theme_labels(truth, rows)
    wrong = sum(
        sum(mapping.get(t) not in labels for t in themes[1:])
        for labels, themes in zip(truth, rows, strict=True)
    )
    return 100 * wrong / len(rows)


def second_precision_recall(truth: list[list[str]], rows: list[list[int]]) -> tuple[float, float]:
    """Second (third, ...) themes matching one of the answer's labels (%), and the labels
    after an answer's first found among its second themes (%, answers with two or more)."""
    mapping = theme_labels(truth, rows)
    seconds = right = extra = found = 0
    for labels, themes in zip(truth, rows, strict=True):
        seconds += max(0, len(themes) - 1)
        right += sum(mapping.get(t) in labels for t in themes[1:])
        if len(labels) > 1:
            extra += len(labels) - 1
            first = mapping.get(themes[0]) if themes else None
            found += min(
                len({mapping.get(t) for t in themes[1:]} & set(labels) - {first}), len(labels) - 1
            )
    return 100 * right / max(seconds, 1), 100 * found / max(extra, 1)


def measure(texts, truth, seeds, engine, settings) -> tuple[float, ...]:
    """Median over seeds of F1, themes per answer, multi-label answers given 2+ themes,
    wrong second themes per 100 answers, second themes' precision and recall."""
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
                wrong_seconds(truth, rows),
                *second_precision_recall(truth, rows),
            )
        )
    return tuple(statistics.median(f[i] for f in found) for i in range(6))


def nhs_per_answer(limit: int, seeds: list[int]) -> list[str]:
    """NHS FFT rows: themes per answer given any (non-substantive ones left out) with
    ``auto`` themes, before and now."""
    rows = read_columns("nhs_fft_phase1.csv", "feedback", "label")
    texts, _truth = subsample([r[0] for r in rows], [r[1] for r in rows], limit)
    lines = []
    for engine in ("fast", "semantic"):
        cells = []
        for rule in RULES.values():
            per, counts = [], []
            for seed in seeds:
                model = ThemeModel(engine=engine, seed=seed, **rule).fit(texts)
                given = [len(m) for m in model.memberships_ if m]
                per.append(float(np.mean(given)))
                counts.append(model.n_themes_)
            cells.append(f"{statistics.median(per):.2f} ({statistics.median(counts):.0f} themes)")
        lines.append(f"| NHS FFT, {len(texts)} rows, auto | {engine} | {cells[0]} | {cells[1]} |")
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--nhs-rows", type=int, default=3000, help="NHS FFT subsample (0: all)")
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
        f"Command: `nice -n 10 .venv/bin/python -m bench.multilabel --seeds {args.seeds} "
        f"--nhs-rows {args.nhs_rows} --write`. "
        f"Machine: {machine()}, shared and under load. Median over seeds {seeds}; ArgKP rows "
        "are means over 12 motions. k = the true number of labels. F1: sample-averaged after "
        "matching themes to labels (%). Per answer: mean themes given. 2+: share of answers "
        "with two or more true labels given two or more themes (%). Wrong: second (third, "
        "...) themes per 100 answers that match none of the answer's labels. P: second themes "
        "matching one of the answer's labels (%). R: labels after an answer's first found "
        "among its second themes (%, answers with two or more labels). Before: the previous "
        "defaults, a sentence or clause of the answer adds the theme it is nearest to when at "
        "least 0.7 of that theme's typical member similarity (`secondary_parts=0.7, "
        "secondary_strength=None`); now (the defaults): it also needs at least 0.875 of the "
        "whole answer's similarity to its main theme (`secondary_strength=0.875`, tuned on "
        "the even ArgKP motions). Both in the same process. gambling_XS is synthetic: read "
        "it for direction only.",
        "",
        "| Data | True labels per answer | TF-IDF + k-means F1 | Engine | Before F1 / per answer "
        "/ 2+ / wrong / P / R | Now F1 / per answer / 2+ / wrong / P / R |",
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
                        for i, d in ((0, 1), (1, 2), (2, 0), (3, 1), (4, 0), (5, 0))
                    )
                )
            lines.append(
                f"| {name} | {labels_per:.2f} | {base:.1f} | {engine} | {cells[0]} | {cells[1]} |"
            )
            print(lines[-1], flush=True)
    lines += [
        "",
        "Real single-label feedback (each answer has one human label), themes per answer "
        "given any (non-substantive answers left out) with `auto` themes:",
        "",
        "| Data | Engine | Before per answer | Now per answer |",
        "|---|---|---|---|",
        *nhs_per_answer(args.nhs_rows, seeds),
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("multilabel", text)


if __name__ == "__main__":
    main()
