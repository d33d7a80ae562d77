"""A small linear probe that reads sentiment from MiniLM sentence vectors.

``sentiment_probe.json`` (shipped beside this module) holds two ridge-regression heads over
all-MiniLM-L6-v2 vectors, each predicting a human rating mapped to about -1 (very critical)
to 1 (very positive), and the weight each gets beside the rule-based score. It learnt from
NHS patient feedback rated by four sets of coders (pxtextmining, MIT licence; see
``NOTICE`` and ``trained_on`` in the JSON file): the development trusts (A and B) of NHS
England's Friends and Family Test phase 1 data (criticality / 5), and both trusts (NEAS and
NHFT) of pxtextmining's v6 framework file (``Comment sentiment`` 1..5 as 0.8..-0.8). Phase 1's
Trust C was never read (``never_read``): the benchmarks hold it out. (Until 5 December 2026
NHFT was held out too; learning from it raised Trust C from 0.436 to 0.464, and NHFT, left
out with the others' choices, read 0.719 against 0.720 held out: BENCHMARKS.md, sentprobe.)

* ``general``: trained on every rated answer of those sources;
* ``praise``: trained on the answers to a "what was good?" question only, where the
  ratings are gradations of praise (1 "fine" to 4 "outstanding"); beside the vector it
  weighs how warmly the answer praises (:mod:`analysis.praise_intensity`: superlatives,
  intensifiers, thanks, length...), for the answers the rules read as positive, the ones it
  grades (``graded_above`` in the JSON: the rules' score above which it takes over).

``bench/sentiment_probe.py`` trains it and writes the file; ``bench/sentiment.py`` measures
it on the parts it never saw. Only the semantic engine has the vectors the probe needs; the
fast engine reads its own probe (:data:`STATIC_PROBE_FILE`, the same format and heads, each
weighing every answer's praise cues) over static word-piece vectors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .praise_intensity import NAMES

PROBE_FILE = Path(__file__).with_name("sentiment_probe.json")
# The fast engine's probe: heads over static word-piece vectors with every piece weighted
# alike (:func:`analysis.static_vectors.plain_vectors`) and the praise cues of every answer,
# trained by ``bench/sentiment_static.py`` on the same four sources (sent8).
STATIC_PROBE_FILE = Path(__file__).with_name("sentiment_static_probe.json")
STATIC_MODEL = "static-pieces-v1-128-plain"


@dataclass(frozen=True)
class Head:
    """One ridge head: ``vectors @ coef + intercept``, plus, for answers the rules read as
    positive, ``(features - feature_mean) @ feature_coef`` over the praise cues of
    :func:`analysis.praise_intensity.intensity_features` (when the head has them); and its
    weight beside the rules."""

    coef: np.ndarray
    intercept: float
    weight: float
    feature_coef: np.ndarray | None = None
    feature_mean: np.ndarray | None = None

    def predict(
        self,
        vectors: np.ndarray,
        features: np.ndarray | None = None,
        positive: np.ndarray | None = None,
    ) -> np.ndarray:
        """The predicted rating / 5 for each row of ``vectors``; with ``features`` (one row
        of praise cues per answer) and ``positive`` (True where the rules read the answer as
        positive), the cues grade the positive answers."""
        value = np.asarray(vectors, dtype=np.float64) @ self.coef + self.intercept
        if self.feature_coef is None or features is None or positive is None:
            return value
        graded = (np.asarray(features, dtype=np.float64) - self.feature_mean) @ self.feature_coef
        return value + np.where(np.asarray(positive, dtype=bool), graded, 0.0)


@dataclass(frozen=True)
class Probe:
    """The probe's heads by name ("general", "praise"), the model its vectors come from, and
    the rules' score above which an answer is graded as praise (``graded_above``; probes
    written before the praise cues graded only what the rules read as positive, above 0)."""

    model: str
    heads: dict[str, Head]
    graded_above: float = 0.0

    def head(self, kind: str) -> Head:
        """The head for a question kind (:func:`analysis.sentiment.question_kind`)."""
        return self.heads.get(kind) or self.heads["general"]


def _head(data: dict) -> Head:
    """A head from its JSON: ``coef``, ``intercept``, ``weight`` and optionally
    ``intensity`` (``names``, ``mean``, ``coef`` of the praise cues)."""
    intensity = data.get("intensity")
    if intensity is not None and list(intensity["names"]) != list(NAMES):
        raise ValueError("the probe's praise cues are not this version's")
    return Head(
        np.asarray(data["coef"], dtype=np.float64),
        float(data["intercept"]),
        float(data["weight"]),
        None if intensity is None else np.asarray(intensity["coef"], dtype=np.float64),
        None if intensity is None else np.asarray(intensity["mean"], dtype=np.float64),
    )


@lru_cache(maxsize=4)
def load_probe(path: Path = PROBE_FILE) -> Probe | None:
    """The probe in ``path`` (the shipped one by default), or None when the file is missing or
    unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        heads = {name: _head(head) for name, head in data["heads"].items()}
    except (OSError, ValueError, KeyError, TypeError):  # includes a probe of other cues
        return None
    if "general" not in heads:
        return None
    return Probe(str(data.get("model", "")), heads, float(data.get("graded_above", 0.0)))
