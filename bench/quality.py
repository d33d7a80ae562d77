"""Theme quality against human labels, beside TF-IDF + k-means measured in the same run.

    .venv/bin/python -m bench.quality [--seeds 3] [--write]

Datasets (read from ../shared/data, never copied): NHS FFT with 9 and 44 themes,
StackOverflow titles, Banking77 test, and themefinder gambling_XS (multi-label, synthetic).
Reports the median over seeds of NMI, ARI and accuracy after Hungarian matching, with the
number of themes given and with "auto"; for gambling_XS, the sample-averaged F1 after
matching themes to labels.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer
from threadpoolctl import threadpool_limits

from analysis.api import ThemeModel
from bench.common import data_dir, machine, read_columns, scores, write_section


def load_single_label() -> dict[str, tuple[list[str], list[str]]]:
    nhs = read_columns("nhs_fft_phase1.csv", "feedback", "label", "subcategory")
    stack = read_columns("stackoverflow.csv", "text", "label")
    bank = read_columns("banking77_test.csv", "text", "category")
    return {
        "NHS FFT, 9 themes": ([r[0] for r in nhs], [r[1] for r in nhs]),
        "NHS FFT, 44 sub-themes": ([r[0] for r in nhs], [r[2] for r in nhs]),
        "StackOverflow": ([r[0] for r in stack], [r[1] for r in stack]),
        "Banking77 test": ([r[0] for r in bank], [r[1] for r in bank]),
    }


def load_gambling() -> list[tuple[str, list[str], list[str], list[list[str]]]]:
    root = data_dir() / "themefinder_gambling_XS"
    parts = []
    for question in sorted((root / "inputs").glob("question_part_*")):
        responses = [
            json.loads(line)
            for line in (question / "responses.jsonl").read_text().splitlines()
            if line.strip()
        ]
        mapping_file = next((root / "outputs" / "mapping").glob(f"*/{question.name}/mapping.jsonl"))
        mapping = {
            row["response_id"]: row["labels"]
            for row in (json.loads(line) for line in mapping_file.read_text().splitlines() if line)
        }
        ids = [str(r["response_id"]) for r in responses]
        texts = [r["response"] for r in responses]
        labels = [mapping.get(r["response_id"], []) for r in responses]
        parts.append((question.name, ids, texts, labels))
    return parts


def baseline(texts: list[str], k: int, seed: int) -> np.ndarray:
    """TF-IDF + k-means with scikit-learn's defaults: the reference to beat."""
    with threadpool_limits(1):
        matrix = TfidfVectorizer().fit_transform(texts)
        return KMeans(n_clusters=k, random_state=seed).fit_predict(matrix)


def engine(texts: list[str], themes, seed: int) -> tuple[ThemeModel, float]:
    started = time.perf_counter()
    model = ThemeModel(n_themes=themes, engine="fast", seed=seed).fit(texts)
    return model, time.perf_counter() - started


def multilabel_f1(truth: list[list[str]], predicted: list[list[int]]) -> float:
    """Sample-averaged F1 after matching each theme to at most one label (Hungarian on
    co-occurrence); unmatched themes predict nothing."""
    labels = sorted({label for row in truth for label in row})
    themes = sorted({t for row in predicted for t in row})
    table = np.zeros((len(themes), len(labels)))
    for row_truth, row_pred in zip(truth, predicted, strict=True):
        for t in row_pred:
            for label in row_truth:
                table[themes.index(t), labels.index(label)] += 1
    rows, cols = linear_sum_assignment(-table)
    mapping = {themes[r]: labels[c] for r, c in zip(rows, cols, strict=True)}
    mapped = [sorted({mapping[t] for t in row if t in mapping}) for row in predicted]
    binarizer = MultiLabelBinarizer(classes=labels)
    return 100 * f1_score(
        binarizer.fit_transform(truth),
        binarizer.transform(mapped),
        average="samples",
        zero_division=0,
    )


def median_dict(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    rows = []
    for name, (texts, truth) in load_single_label().items():
        k = len(set(truth))
        base, given, auto, auto_k, times = [], [], [], [], []
        for seed in seeds:
            base.append(scores(truth, baseline(texts, k, seed)))
            model, seconds = engine(texts, k, seed)
            given.append(scores(truth, model.labels_))
            times.append(seconds)
            model, _ = engine(texts, "auto", seed)
            auto.append(scores(truth, model.labels_))
            auto_k.append(model.n_themes_)
        rows.append(
            (
                name,
                len(texts),
                k,
                median_dict(base),
                median_dict(given),
                median_dict(auto),
                statistics.median(auto_k),
                statistics.median(times),
            )
        )
        print(rows[-1], flush=True)

    gambling = []
    for question, _ids, texts, truth in load_gambling():
        k = len({label for row in truth for label in row})
        ours_given, ours_auto, base_f1 = [], [], []
        for seed in seeds:
            model = ThemeModel(n_themes=k, engine="fast", seed=seed).fit(texts)
            ours_given.append(multilabel_f1(truth, model.memberships_))
            model = ThemeModel(n_themes="auto", engine="fast", seed=seed).fit(texts)
            ours_auto.append(multilabel_f1(truth, model.memberships_))
            base_f1.append(multilabel_f1(truth, [[int(c)] for c in baseline(texts, k, seed)]))
        gambling.append(
            (
                question,
                len(texts),
                k,
                statistics.median(base_f1),
                statistics.median(ours_given),
                statistics.median(ours_auto),
            )
        )
        print(gambling[-1], flush=True)

    lines = [
        "## Theme quality (`bench/quality.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.quality --seeds {args.seeds} --write`. "
        f"Machine: {machine()}. Median over seeds {seeds}. Scores in %. Baseline: "
        "scikit-learn `TfidfVectorizer()` + `KMeans(k)` with defaults, run in the same process "
        "on the same texts. Our engine (`--engine fast`) puts non-substantive answers in their "
        "own bucket, which counts as one more cluster.",
        "",
        "| Dataset | n | k | Baseline NMI / ARI / Acc | Engine, k given NMI / ARI / Acc | "
        "Engine, auto NMI / ARI / Acc (themes) | Seconds (k given) |",
        "|---|---|---|---|---|---|---|",
    ]
    fmt = "{nmi:.1f} / {ari:.1f} / {acc:.1f}"
    for name, n, k, base, given, auto, auto_k, seconds in rows:
        lines.append(
            f"| {name} | {n} | {k} | {fmt.format(**base)} | {fmt.format(**given)} | "
            f"{fmt.format(**auto)} ({auto_k:g}) | {seconds:.1f} |"
        )
    mean_base = statistics.mean(r[3]["nmi"] for r in rows)
    mean_given = statistics.mean(r[4]["nmi"] for r in rows)
    mean_auto = statistics.mean(r[5]["nmi"] for r in rows)
    lines += [
        f"| **Mean NMI** | | | **{mean_base:.1f}** | **{mean_given:.1f}** "
        f"({mean_given - mean_base:+.1f}) | **{mean_auto:.1f}** "
        f"({100 * (mean_auto - mean_given) / mean_given:+.1f}% of k given) | |",
        "",
        "Targets: k given at least 8 NMI points above the baseline; auto within 10 % of k given.",
        "",
        "Multi-label (themefinder gambling_XS, synthetic responses; sample-averaged F1 after "
        "matching themes to labels, %):",
        "",
        "| Question | n | labels | Baseline (single label) | Engine, k given | Engine, auto |",
        "|---|---|---|---|---|---|",
    ]
    for question, n, k, base_f1, given_f1, auto_f1 in gambling:
        lines.append(f"| {question} | {n} | {k} | {base_f1:.1f} | {given_f1:.1f} | {auto_f1:.1f} |")
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("quality", text)


if __name__ == "__main__":
    main()
