"""Build the semantic engine's answer projection (:mod:`analysis.answer_projection`).

    .venv/bin/python tools/answer_projection_build.py [--out FILE]

Fits a shrinkage LDA (scikit-learn, eigen solver, ``shrinkage="auto"``) on all-MiniLM-L6-v2's
vectors of NHS phase 1 Trust A's answers (``$CONSULT_DATA_DIR/nhs_fft_phase1.csv``, default
``../shared/data``; rows read as the benches read them) and their 9 themes, exactly as
``bench.learned_projection`` did for its held-out figures (BENCHMARKS.md "proj32"), and
stores its scalings (384 x 8, as the LDA made them) with the data file's sha256. Without the
data it says so and exits 0: the option then changes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def fit(texts: list[str], labels: list[str]) -> np.ndarray:
    """The scalings the LDA's ``transform`` multiplies by (its axes only)."""
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    from analysis.embeddings import MiniLMEmbedder

    vectors = MiniLMEmbedder(threads=1).embed(texts)
    lda = LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto")
    lda.fit(vectors, np.asarray(labels))
    return np.asarray(lda.scalings_[:, : lda._max_components])


def main(argv: list[str] | None = None) -> int:
    from analysis.answer_projection import default_file
    from bench.common import data_dir
    from bench.quality import load_single_label

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=default_file())
    args = parser.parse_args(argv)
    source = data_dir() / "nhs_fft_phase1.csv"
    if not source.is_file():
        print(f"Answer projection: not built, no {source} (set CONSULT_DATA_DIR); off.")
        return 0
    warnings.filterwarnings("ignore")
    texts, labels = load_single_label(["A"])["NHS FFT, 9 themes"]
    table = fit(texts, labels)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    partial = args.out.with_suffix(".partial.npz")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    np.savez(partial, scalings=table, data_sha256=np.asarray(digest))
    partial.replace(args.out)
    print(
        f"Answer projection: {table.shape[0]} x {table.shape[1]} from {len(texts)} answers"
        f" -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
