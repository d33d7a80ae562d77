"""A small linear probe that reads sentiment from MiniLM sentence vectors.

``sentiment_probe.json`` (shipped beside this module) holds two ridge-regression heads over
all-MiniLM-L6-v2 vectors, each predicting a human rating mapped to about -1 (very critical)
to 1 (very positive), and the weight each gets beside the rule-based score. It learnt from
NHS patient feedback rated by three sets of coders (pxtextmining, MIT licence; see
``NOTICE`` and ``trained_on`` in the JSON file): the development trusts (A and B) of NHS
England's Friends and Family Test phase 1 data (criticality / 5), and one trust (NEAS) of
pxtextmining's v6 framework file (``Comment sentiment`` 1..5 as 0.8..-0.8). Phase 1's Trust C
and v6's NHFT were never read (``never_read``): the benchmarks hold them out.

* ``general``: trained on every rated answer of those sources;
* ``praise``: trained on the answers to a "what was good?" question only, where the
  ratings are gradations of praise (1 "fine" to 4 "outstanding").

``bench/sentiment_probe.py`` trains it and writes the file; ``bench/sentiment.py`` measures
it on the parts it never saw. Only the semantic engine has the vectors the probe needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

PROBE_FILE = Path(__file__).with_name("sentiment_probe.json")


@dataclass(frozen=True)
class Head:
    """One ridge head: ``vectors @ coef + intercept``, and its weight beside the rules."""

    coef: np.ndarray
    intercept: float
    weight: float

    def predict(self, vectors: np.ndarray) -> np.ndarray:
        """The predicted rating / 5 for each row of ``vectors``."""
        return np.asarray(vectors, dtype=np.float64) @ self.coef + self.intercept


@dataclass(frozen=True)
class Probe:
    """The probe's heads by name ("general", "praise") and the model its vectors come from."""

    model: str
    heads: dict[str, Head]

    def head(self, kind: str) -> Head:
        """The head for a question kind (:func:`analysis.sentiment.question_kind`)."""
        return self.heads.get(kind) or self.heads["general"]


@lru_cache(maxsize=4)
def load_probe(path: Path = PROBE_FILE) -> Probe | None:
    """The probe in ``path`` (the shipped one by default), or None when the file is missing or
    unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        heads = {
            name: Head(
                np.asarray(head["coef"], dtype=np.float64),
                float(head["intercept"]),
                float(head["weight"]),
            )
            for name, head in data["heads"].items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if "general" not in heads:
        return None
    return Probe(str(data.get("model", "")), heads)
