"""Tone directions learned from praise and complaints about the same thing (issue 12, nmi29).

    .venv/bin/python -m bench.tone_directions [--directions 4] [--write]

NHS phase 1's development trusts (A and B; Trust C is never read) give each answer a
sub-theme (what it is about) and a criticality (how warmly or critically it is said). Within
each sub-theme with at least ``--least`` praising (criticality above 0) and as many critical
(below 0) answers, the difference of their mean vectors says how praise differs from
complaint about one subject; the top principal directions of those differences (each
weighted by the square root of its smaller side) are the tone directions, in MiniLM's
sentence vectors and in the static word-piece vectors. ``--write`` saves them to
``analysis/tone_directions.json`` (read by :func:`analysis.tone.tone_basis` with
``source="dev"``). Prints the share of the differences' weighted energy each direction holds.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

import numpy as np

from bench.common import read_columns

OUT = Path(__file__).resolve().parents[1] / "analysis" / "tone_directions.json"


def differences(vectors: np.ndarray, subjects: list[str], signs: np.ndarray, least: int):
    """One row per subject with enough of both sides: mean(praise) - mean(complaint),
    weighted by the square root of the smaller side's count."""
    by_subject = collections.defaultdict(list)
    for index, subject in enumerate(subjects):
        by_subject[subject].append(index)
    rows = []
    for subject in sorted(by_subject):
        rows_of = np.array(by_subject[subject])
        praise = rows_of[signs[rows_of] > 0]
        critical = rows_of[signs[rows_of] < 0]
        if min(len(praise), len(critical)) < least:
            continue
        gap = vectors[praise].mean(axis=0) - vectors[critical].mean(axis=0)
        rows.append(np.sqrt(min(len(praise), len(critical))) * gap)
    return np.array(rows)


def directions(gaps: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The top ``count`` right singular vectors of ``gaps`` (sign fixed so the mean gap
    projects positively) and the share of energy each holds."""
    _, values, axes = np.linalg.svd(gaps, full_matrices=False)
    axes = axes[:count]
    axes *= np.sign(axes @ gaps.mean(axis=0))[:, None]
    return axes, (values**2 / (values**2).sum())[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directions", type=int, default=4)
    parser.add_argument("--least", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rows = read_columns(
        "nhs_fft_phase1.csv", "feedback", "subcategory", "criticality", "organization"
    )
    rows = [r for r in rows if r[3] in ("Trust A", "Trust B")]
    signs = []
    for _t, _s, criticality, _o in rows:
        try:
            signs.append(np.sign(int(criticality)))
        except ValueError:
            signs.append(0)
    signs = np.array(signs)
    texts = [r[0] for r in rows]
    subjects = [r[1] for r in rows]
    from analysis.embeddings import MiniLMEmbedder
    from analysis.static_vectors import StaticVectors

    spaces = {
        "minilm": MiniLMEmbedder().embed(texts).astype(np.float64),
        "static": StaticVectors().fit_transform(texts).astype(np.float64),
    }
    found = {
        "trained_on": "NHS FFT phase 1, Trusts A and B (sub-theme, criticality); not Trust C",
        "least": args.least,
    }
    for space, vectors in spaces.items():
        gaps = differences(vectors, subjects, signs, args.least)
        axes, shares = directions(gaps, args.directions)
        print(space, f"{len(gaps)} sub-themes,", "energy shares", np.round(shares, 3).tolist())
        found[space] = [[round(float(x), 6) for x in axis] for axis in axes]
    if args.write:
        OUT.write_text(json.dumps(found) + "\n", encoding="utf-8")
        print("wrote", OUT)


if __name__ == "__main__":
    main()
