"""How much of NHS feedback's coded themes the answer vectors hold linearly (issue 12, nmi31).

    .venv/bin/python -m bench.grouping_leads prepare --engine fast|semantic --sets dev
    .venv/bin/python -m bench.vector_ceiling [--engines fast,semantic]

On the prepared NHS run (Trusts A and B, 3,000 drawn, 9 themes and 44 sub-themes), the
answers are split in two halves (seed 0); per half, NMI % of k-means (k given, 3 starts) on the
engine's vectors, of k-means on the vectors projected by a shrinkage LDA fitted to the other
half's coded themes, and of that LDA's own predictions; means of the two halves. Supervised,
so a reading of where the coders' themes lie in the vectors, not a grouping to ship.
"""

from __future__ import annotations

import argparse
import pickle
import warnings

import numpy as np
from sklearn.cluster import KMeans
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.metrics import normalized_mutual_info_score
from sklearn.preprocessing import normalize

from bench.grouping_leads import cache_dir


def ceiling(vectors: np.ndarray, truth: np.ndarray, k: int, seed: int = 0) -> tuple[float, ...]:
    """(k-means, k-means on the other half's LDA, LDA's predictions), NMI %, two-half mean."""
    fold = np.random.RandomState(seed).rand(len(truth)) < 0.5
    found = []
    for train, test in ((fold, ~fold), (~fold, fold)):
        raw = KMeans(k, n_init=3, random_state=seed).fit_predict(vectors[test])
        lda = LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto")
        lda.fit(vectors[train], truth[train])
        projected = normalize(lda.transform(vectors[test]))
        guided = KMeans(k, n_init=3, random_state=seed).fit_predict(projected)
        found.append(
            [
                100 * normalized_mutual_info_score(truth[test], labels)
                for labels in (raw, guided, lda.predict(vectors[test]))
            ]
        )
    return tuple(float(x) for x in np.mean(found, axis=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="fast,semantic")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    for engine in args.engines.split(","):
        sets = pickle.loads((cache_dir() / f"{engine}-dev-seed0.pkl").read_bytes())
        _name, _kind, run, truths = sets[0]  # the NHS set comes first
        reps = np.asarray(run.rep_of_row)
        kept = reps >= 0
        for label, truth in truths:
            truth = np.asarray(truth)[kept]
            raw, guided, predicted = ceiling(run.vectors[reps[kept]], truth, len(set(truth)))
            print(
                f"{engine} {label} | k-means {raw:.1f} | k-means on the other half's LDA "
                f"{guided:.1f} | LDA's predictions {predicted:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
