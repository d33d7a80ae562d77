"""The neural head and the neighbours' ratings blended after the sentiment probe's heads."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from analysis.sentiment import Sentiment
from analysis.sentiment_extra import KINDS, extra_from_json
from analysis.sentiment_probe import PROBE_FILE, load_probe


def _extra(mlp_weight: float, neighbours_weight: float, codes, steps, dims: int = 4) -> dict:
    """A tiny ``extra`` part: vectors of ``dims`` numbers projected on their first four."""
    inputs = 1 + 8 + len(KINDS) + 1 + 2
    components = np.eye(4, dims, dtype="<f4")
    return {
        "pca": {
            "mean": [0.0] * dims,
            "components": {
                "dims": dims,
                "values": base64.b64encode(components.tobytes()).decode("ascii"),
            },
        },
        "mlp": {
            "pca_inputs": 2,
            # A network that reads the rules' score only (ReLU of it, and of minus it).
            "layers": [
                {
                    "coef": [[1.0, -1.0]] + [[0.0, 0.0]] * (inputs - 1),
                    "intercept": [0.0, 0.0],
                },
                {"coef": [[1.0], [-1.0]], "intercept": [0.0]},
            ],
            "weight": mlp_weight,
        },
        "neighbours": {
            "k": 2,
            "dims": 4,
            "scale": 0.01,
            "codes": base64.b64encode(np.asarray(codes, dtype=np.int8).tobytes()).decode(),
            "ratings": base64.b64encode(np.asarray(steps, dtype=np.int8).tobytes()).decode(),
            "rating_step": 0.2,
            "weight": neighbours_weight,
        },
    }


CODES = [[100, 0, 0, 0], [90, 10, 0, 0], [0, 100, 0, 0], [0, 0, 100, 0]]
STEPS = [5, 3, -5, -4]  # ratings 1.0, 0.6, -1.0, -0.8


def test_the_neighbours_give_the_mean_rating_of_the_k_nearest_codes():
    extra = extra_from_json(_extra(0.0, 1.0, CODES, STEPS))
    vectors = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.5, 0.0]])
    assert np.allclose(extra.neighbours(extra.project(vectors)), [0.8, -0.9])


def test_the_blend_weighs_the_probe_the_network_and_the_neighbours():
    extra = extra_from_json(_extra(0.25, 0.25, CODES, STEPS))
    vectors = np.array([[1.0, 0.0, 0.0, 0.0]])
    cues = np.zeros((1, 8))
    found = extra.blend(np.array([0.2]), np.array([-0.4]), cues, "change", [False], vectors)
    # 0.5 * 0.2 (the probe's blend) + 0.25 * -0.4 (the network: the rules) + 0.25 * 0.8
    assert np.allclose(found, [0.2])
    none = extra_from_json(_extra(0.0, 0.0, CODES, STEPS))
    assert np.allclose(none.blend(np.array([0.3]), np.array([-0.4]), cues, "", [0], vectors), 0.3)


def test_the_shipped_probe_has_no_extra_part_and_a_probe_with_one_keeps_bare_replies(tmp_path):
    # Not adopted (BENCHMARKS.md, sentnl): the shipped probe reads as before.
    probe = load_probe()
    assert probe is not None and probe.extra is None
    data = json.loads(PROBE_FILE.read_text(encoding="utf-8"))
    data["extra"] = _extra(0.25, 0.25, CODES, STEPS, dims=384)
    other = tmp_path / "probe.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    assert load_probe(other).extra is not None
    texts = ["No", "The nurses were kind and explained everything.", "Waited four hours."]
    vectors = np.zeros((3, 384))
    vectors[:, 0] = 1.0  # every answer nearest the two rated 1.0 and 0.6
    question = "What could we do better?"
    plain = Sentiment(question).score_answers(texts, vectors)
    scores = Sentiment(question, probe_file=other).score_answers(texts, vectors)
    assert scores[0] == plain[0] == 0.9
    rules = [Sentiment(question).score(t) for t in texts]
    for found, before, rule in zip(scores[1:], plain[1:], rules[1:], strict=True):
        # half the probe's blend, a quarter the network (the rules), a quarter 0.8
        assert found == pytest.approx(0.5 * before + 0.25 * rule + 0.25 * 0.8, abs=1e-4)
