"""How themes differ between segments (partner types): prevalence with Wilson 95 % intervals,
a test of each segment against the rest (chi-square, or Fisher's exact test for small counts,
Holm-corrected), and the words that set a segment apart within a theme."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from scipy.stats import chi2_contingency, fisher_exact

Z95 = 1.959963984540054


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion."""
    if trials <= 0:
        return 0.0, 0.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def test_against_rest(a: int, n_a: int, b: int, n_b: int) -> tuple[float, str]:
    """p-value for 'this segment raises the theme at a different rate from the rest'."""
    table = np.array([[a, n_a - a], [b, n_b - b]])
    if n_a == 0 or n_b == 0 or table.sum(axis=0).min() == 0:
        return 1.0, "none"
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    if expected.min() < 5:
        return float(fisher_exact(table)[1]), "fisher"
    return float(chi2_contingency(table, correction=False)[1]), "chi-square"


def holm(p_values: list[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values (same order as given)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def distinctive_words(
    segment_counts: Counter[str], other_counts: Counter[str], prior: Counter[str], count: int = 5
) -> list[str]:
    """Words over-used by the segment within a theme: log-odds ratio with an informative
    Dirichlet prior (Monroe et al. 2008), z-score above 1.96."""
    n_i, n_j = sum(segment_counts.values()), sum(other_counts.values())
    a0 = sum(prior.values())
    if not n_i or not n_j or not a0:
        return []
    scored = []
    for word, alpha in prior.items():
        y_i, y_j = segment_counts.get(word, 0), other_counts.get(word, 0)
        if y_i < 2:
            continue
        delta = math.log((y_i + alpha) / (n_i + a0 - y_i - alpha)) - math.log(
            (y_j + alpha) / (n_j + a0 - y_j - alpha)
        )
        variance = 1 / (y_i + alpha) + 1 / (y_j + alpha)
        z = delta / math.sqrt(variance)
        if z > Z95:
            scored.append((-z, word))
    return [word for _, word in sorted(scored)[:count]]


def segment_breakdown(
    theme_rows: list[set[int]],
    segments: list[str],
    k: int,
    tokens: list[list[str]] | None = None,
    display=lambda token: token,
) -> list[dict]:
    """Per theme: for each segment value, count, share with Wilson CI, a test against the rest
    (Holm-adjusted over all themes and segment values of this column) and distinctive words."""
    values = sorted(set(segments))
    sizes = Counter(segments)
    total = len(segments)
    results: list[dict] = [{} for _ in range(k)]
    flat: list[tuple[int, str, float]] = []
    for theme in range(k):
        in_theme = [theme in rows for rows in theme_rows]
        counts = Counter(seg for seg, hit in zip(segments, in_theme, strict=True) if hit)
        theme_total = sum(counts.values())
        for value in values:
            a, n_a = counts.get(value, 0), sizes[value]
            b, n_b = theme_total - a, total - n_a
            p_value, method = test_against_rest(a, n_a, b, n_b)
            low, high = wilson(a, n_a)
            results[theme][value] = {
                "count": a,
                "of": n_a,
                "share": round(a / n_a, 4) if n_a else 0.0,
                "ci95": [round(low, 4), round(high, 4)],
                "rest_share": round(b / n_b, 4) if n_b else 0.0,
                "test": method,
                "p_value": round(p_value, 6),
            }
            flat.append((theme, value, p_value))
    adjusted = holm([p for _, _, p in flat])
    for (theme, value, _), p_adj in zip(flat, adjusted, strict=True):
        cell = results[theme][value]
        cell["p_adjusted"] = round(p_adj, 6)
        cell["significant"] = bool(p_adj < 0.05)
    if tokens is not None:
        _add_distinctive_words(results, theme_rows, segments, tokens, values, display)
    return results


def _add_distinctive_words(results, theme_rows, segments, tokens, values, display) -> None:
    prior: Counter[str] = Counter()
    for row_tokens in tokens:
        prior.update(row_tokens)
    scale = 0.01 * 1000 / max(1, sum(prior.values()))
    prior = Counter({w: c * scale for w, c in prior.items() if c >= 2})
    for theme, cells in enumerate(results):
        per_segment: dict[str, Counter[str]] = {value: Counter() for value in values}
        for rows, seg, row_tokens in zip(theme_rows, segments, tokens, strict=True):
            if theme in rows:
                per_segment[seg].update(row_tokens)
        everything = Counter()
        for counter in per_segment.values():
            everything.update(counter)
        for value in values:
            others = everything.copy()
            others.subtract(per_segment[value])
            words = distinctive_words(per_segment[value], +others, prior)
            cells[value]["distinctive_words"] = [display(w) for w in words]
