"""How good the coding is, measured on the responses people coded.

- Cross-validated sample-averaged F1 of the coding model against the human codes, with a
  bootstrap 95 % interval (i.AI Consult's measure), and per-theme precision and recall. A
  response that neither the person nor the model gave a theme scores 1.0, so the figures also
  say how many of those there were and give the same F1 over the responses with a theme.
- Stance accuracy, cross-validated.
- A learning curve: the same F1 when the model learns from a quarter, half, three quarters
  and all of the coded rows, so staff can see whether coding more would help.
- Agreement between two coders: sample F1 between them and Cohen's kappa per theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import cohen_kappa_score
from sklearn.model_selection import KFold

from .coding import CodingModel, Labels, sample_f1
from .coverage import no_example, no_example_note

BOOTSTRAP_SAMPLES = 1000
CURVE_SHARES = (0.25, 0.5, 0.75, 1.0)
MIN_CODED = 10
# Experts' sample F1 with each other is only a fair yardstick when few scored responses are
# "no theme" on both sides (each of those scores a free 1.0): at most this share of them.
FAIR_NO_THEME_SHARE = 0.1


def bootstrap_interval(
    scores: np.ndarray, seed: int = 0, samples: int = BOOTSTRAP_SAMPLES
) -> tuple[float, float]:
    """The 95 % percentile bootstrap interval of the mean of ``scores``."""
    if scores.size == 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    means = scores[rng.integers(0, scores.size, size=(samples, scores.size))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return (round(float(low), 4), round(float(high), 4))


def no_theme_figures(
    truth: Sequence[Labels], predicted: Sequence[Labels], seed: int = 0
) -> dict[str, Any]:
    """How many scored responses had no theme (from the person; from both the person and
    the model, each scoring 1.0), and sample F1 over the responses that have at least one
    theme from either, with its bootstrap interval (None when there are none)."""
    pairs = list(zip(truth, predicted, strict=True))
    themed = [(a, b) for a, b in pairs if a or b]
    scores = sample_f1([a for a, _ in themed], [b for _, b in themed])
    both_none = len(pairs) - len(themed)
    return {
        "no_theme_by_people": sum(not a for a, _ in pairs),
        "no_theme_by_both": both_none,
        "themed": len(themed),
        "sample_f1_themed": round(float(scores.mean()), 4) if themed else None,
        "sample_f1_themed_interval": list(bootstrap_interval(scores, seed)) if themed else None,
        "fair_to_compare": bool(pairs) and both_none <= FAIR_NO_THEME_SHARE * len(pairs),
    }


def per_theme(
    truth: Sequence[Labels], predicted: Sequence[Labels], ids: Sequence[str]
) -> list[dict[str, Any]]:
    """Precision, recall, F1 and support of each theme, with the counts they are worked from
    (``true_positive`` of ``predicted`` for precision, of ``support`` for recall), so that a
    report says "0.50 (1 of 2)" from the counts, not from the rounded figure (smoke33)."""
    rows = []
    for theme in ids:
        pairs = zip(truth, predicted, strict=True)
        true_positive = sum(theme in t and theme in p for t, p in pairs)
        predicted_count = sum(theme in p for p in predicted)
        support = sum(theme in t for t in truth)
        precision = true_positive / predicted_count if predicted_count else None
        recall = true_positive / support if support else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision and recall
            else (0.0 if support or predicted_count else None)
        )
        rows.append(
            {
                "theme": theme,
                "support": support,
                "predicted": predicted_count,
                "true_positive": true_positive,
                "precision": None if precision is None else round(precision, 4),
                "recall": None if recall is None else round(recall, 4),
                "f1": None if f1 is None else round(f1, 4),
            }
        )
    return rows


def _held_out(
    model: CodingModel, rows: np.ndarray, truth: list[Labels], train_share: float, folds: int
) -> tuple[np.ndarray, list[Labels]]:
    """Held-out predictions for ``rows`` by k-fold, training on ``train_share`` of each
    training fold."""
    ids = model.theme_ids_
    index = {t: j for j, t in enumerate(ids)}
    y = np.zeros((len(rows), len(ids)), dtype=np.int8)
    for i, themes in enumerate(truth):
        for theme in themes:
            y[i, index[theme]] = 1
    proba = np.zeros(y.shape)
    rng = np.random.default_rng(model.seed)
    splitter = KFold(min(folds, len(rows)), shuffle=True, random_state=model.seed)
    tested = []
    for train, test in splitter.split(rows):
        if train_share < 1.0:
            keep = max(2, int(round(train_share * len(train))))
            train = np.sort(rng.permutation(train)[:keep])
        proba[test] = model._fold_proba(rows[train], y[train], rows[test])
        tested.extend(test)
    predicted = model._decide(proba)
    return np.array(sorted(tested)), predicted


def coding_metrics(model: CodingModel, folds: int = 5, curve: bool = True) -> dict[str, Any]:
    """Agreement of the fitted coding model with the human codes (cross-validated)."""
    rows = model.coded_rows_
    truth = [model.coded_[i] for i in rows]
    result: dict[str, Any] = {
        "coded": int(len(rows)),
        "uncoded": int(len(model.coded_) - len(rows)),
        "themes": len(model.theme_ids_),
        "cold_start": bool(model.cold_start_),
        "decision_rule": {
            "rule": model.rule_,
            "combined": model.combiner_ is not None,
            "expected_f1_scale": model.expected_scale_,
            "expected_f1_shift": model.expected_shift_,
            "add_threshold": model.add_threshold_,
            "top_threshold": model.top_threshold_,
            # null since the no-theme rule (none_rule, off, not adopted) was removed: kept so
            # the file's fields stay as they were
            "no_theme_threshold": None,
            "theme_thresholds": {
                theme: round(float(value), 4)
                for theme, value in zip(model.theme_ids_, model.theme_thresholds_, strict=True)
            },
        },
    }
    result["no_example"] = no_example(model)
    result["no_example_note"] = no_example_note(
        result["no_example"], len(model.theme_ids_), model.codebook_.named
    )
    if len(rows) < MIN_CODED:
        result["sample_f1"] = None
        result["note"] = (
            f"agreement needs at least {MIN_CODED} coded responses; "
            f"{len(rows)} coded so far"
            + ("; coded by similarity to the codebook only" if model.cold_start_ else "")
        )
        return result
    _, predicted = _held_out(model, rows, truth, 1.0, folds)
    scores = sample_f1(truth, predicted)
    result["sample_f1"] = round(float(scores.mean()), 4)
    result["sample_f1_interval"] = list(bootstrap_interval(scores, model.seed))
    result.update(no_theme_figures(truth, predicted, model.seed))
    result["per_theme"] = per_theme(truth, predicted, model.theme_ids_)
    if curve:
        points = []
        for share in CURVE_SHARES:
            # learning from all of each training fold is the measure above
            curve_predicted = (
                predicted if share == 1.0 else _held_out(model, rows, truth, share, folds)[1]
            )
            points.append(
                {
                    "coded": int(round(share * len(rows) * (folds - 1) / folds)),
                    "sample_f1": round(float(sample_f1(truth, curve_predicted).mean()), 4),
                }
            )
        result["learning_curve"] = points
    return result


def stance_metrics(model, folds: int = 5) -> dict[str, Any]:
    """Cross-validated stance accuracy of a fitted :class:`StanceModel`."""
    rows, predicted = model.cross_val_predict(folds)
    if not predicted:
        return {
            "coded": int(sum(s == "human" for s in model.source_)),
            "accuracy": None,
            "note": "too few coded responses of each stance to measure",
        }
    truth = [model.stance_[i] for i in rows]
    correct = np.array([a == b for a, b in zip(truth, predicted, strict=True)], float)
    return {
        "coded": int(len(rows)),
        "accuracy": round(float(correct.mean()), 4),
        "accuracy_interval": list(bootstrap_interval(correct, model.seed)),
        "classes": {c: int(sum(t == c for t in truth)) for c in model.classes_},
    }


def intercoder(
    first: Sequence[Labels], second: Sequence[Labels], ids: Sequence[str], seed: int = 0
) -> dict[str, Any]:
    """Agreement between two people who coded the same responses: sample F1 (with its
    bootstrap interval) and Cohen's kappa for each theme."""
    if len(first) != len(second):
        raise ValueError("both coders must code the same responses")
    scores = sample_f1(first, second)
    themes = []
    for theme in ids:
        a = [theme in s for s in first]
        b = [theme in s for s in second]
        if len(set(a) | set(b)) < 2:
            kappa = 1.0 if a == b else None  # nobody (or everybody) used it: full agreement
        else:
            kappa = round(float(cohen_kappa_score(a, b)), 4)
        themes.append({"theme": theme, "kappa": kappa, "first": sum(a), "second": sum(b)})
    return {
        "responses": len(first),
        "sample_f1": round(float(scores.mean()), 4) if len(first) else None,
        "sample_f1_interval": list(bootstrap_interval(scores, seed)),
        **no_theme_figures(first, second, seed),
        "per_theme": themes,
    }
