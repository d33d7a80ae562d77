"""Stance from the words: the engine's text cues against an embedding-similarity detector.

    .venv/bin/python -m bench.stance [--write]

themefinder gambling_XS (synthetic responses) has a position per response (AGREE, DISAGREE,
UNCLEAR) relative to its question. Compared, on the same responses: always answering the
commonest position; the engine's cues (:func:`analysis.stance.stance_from_text`, "mixed"
counted as unclear); a zero-shot detector that compares each answer's all-MiniLM-L6-v2
vector with agreeing and disagreeing prototype sentences; and the cues with that detector
filling in where the cues say nothing. Reports accuracy, macro F1, coverage (the share
given a for/against stance) and precision on those.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

import numpy as np
from sklearn.metrics import f1_score

from analysis.embeddings import MiniLMEmbedder
from analysis.stance import stance_from_text
from bench.common import data_dir, machine, write_section

POSITIONS = {"AGREE": "for", "DISAGREE": "against", "UNCLEAR": "unclear"}
AGREEING = [
    "Yes, I agree with this and support it.",
    "I strongly support the proposal.",
    "Yes, this should happen.",
]
DISAGREEING = [
    "No, I disagree with this and oppose it.",
    "I strongly oppose the proposal.",
    "No, this should not happen.",
]


def load_positions() -> list[tuple[str, list[str], list[str]]]:
    """(question, texts, stances) for each gambling_XS question part."""
    root = data_dir() / "themefinder_gambling_XS"
    parts = []
    for question in sorted((root / "inputs").glob("question_part_*")):
        answers = {
            row["response_id"]: row["response"]
            for row in map(json.loads, (question / "responses.jsonl").read_text().splitlines())
        }
        found = next((root / "outputs" / "mapping").glob(f"*/{question.name}/sentiment.jsonl"))
        positions = [json.loads(line) for line in found.read_text().splitlines() if line]
        texts = [answers[row["response_id"]] for row in positions]
        parts.append((question.name, texts, [POSITIONS[row["position"]] for row in positions]))
    return parts


def prototype_stance(embedder: MiniLMEmbedder, texts: list[str], margin: float) -> list[str]:
    """for/against when an answer is closer to the agreeing or the disagreeing prototypes
    by more than ``margin`` (cosine), unclear otherwise."""
    vectors = embedder.embed(texts)
    lean = (vectors @ embedder.embed(AGREEING).T).max(axis=1) - (
        vectors @ embedder.embed(DISAGREEING).T
    ).max(axis=1)
    return ["for" if v > margin else "against" if v < -margin else "unclear" for v in lean]


def measure(truth: list[str], predicted: list[str]) -> dict[str, float]:
    decided = [i for i, p in enumerate(predicted) if p in ("for", "against")]
    right = sum(predicted[i] == truth[i] for i in decided)
    return {
        "acc": 100 * float(np.mean(np.array(truth) == np.array(predicted))),
        "f1": 100 * f1_score(truth, predicted, average="macro", zero_division=0),
        "coverage": 100 * len(decided) / len(truth),
        "precision": 100 * right / len(decided) if decided else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--margin", type=float, default=0.0)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    embedder = MiniLMEmbedder(cache_dir=None)
    lines = [
        "## Stance from the words (`bench/stance.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.stance --write`. Machine: {machine()}. "
        "themefinder gambling_XS is synthetic; its positions are relative to the question "
        '("Should gambling adverts be banned…?"), which the answers rarely restate. '
        "Coverage: share of answers given for or against; precision: share of those right.",
        "",
        "| Question | n | Positions | Method | Accuracy | Macro F1 | Coverage | Precision |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, texts, truth in load_positions():
        commonest = Counter(truth).most_common(1)[0][0]
        cues = [s if s != "mixed" else "unclear" for s in map(stance_from_text, texts)]
        embedded = prototype_stance(embedder, texts, args.margin)
        methods = {
            f"always '{commonest}'": [commonest] * len(truth),
            "engine's text cues": cues,
            "MiniLM prototypes": embedded,
            "cues, then prototypes": [
                c if c != "unclear" else e for c, e in zip(cues, embedded, strict=True)
            ],
        }
        shares = ", ".join(f"{k} {v}" for k, v in sorted(Counter(truth).items()))
        for method, predicted in methods.items():
            m = measure(truth, predicted)
            lines.append(
                f"| {name} | {len(truth)} | {shares} | {method} | {m['acc']:.0f} | "
                f"{m['f1']:.0f} | {m['coverage']:.0f}% | {m['precision']:.0f} |"
            )
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("stance", text)


if __name__ == "__main__":
    main()
