"""Run BERTopic on given texts and precomputed embeddings; used by bench/semantic.py from a
separate environment (`make bench-env`), never by the product.

    python bench/bertopic_run.py INPUT.json EMBEDDINGS.npy OUTPUT.json [--nr-topics N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("embeddings")
    parser.add_argument("output")
    parser.add_argument("--nr-topics", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from bertopic import BERTopic
    from umap import UMAP

    with open(args.input, encoding="utf-8") as handle:
        texts = json.load(handle)
    embeddings = np.load(args.embeddings)
    started = time.perf_counter()
    umap_model = UMAP(
        n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=args.seed
    )
    model = BERTopic(
        embedding_model=None,
        umap_model=umap_model,
        nr_topics=args.nr_topics,
        calculate_probabilities=False,
    )
    topics, _ = model.fit_transform(texts, embeddings=embeddings)
    seconds = time.perf_counter() - started
    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump({"topics": [int(t) for t in topics], "seconds": seconds}, handle)


if __name__ == "__main__":
    main()
