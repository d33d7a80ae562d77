"""How themes differ between segments (partner types): prevalence with Wilson 95 % intervals,
a test of each segment against the rest, and, where that difference is real, the words that
set the segment apart within the theme.

Each theme x segment value is a 2 x 2 table (raised the theme or not; this value or the rest),
tested with chi-square, or Fisher's exact test when an expected count is under 5. Many such
tests are run at once, so they are corrected for multiple comparisons, but only over the tests
that *could* show a difference: a cell whose most lopsided possible table (every answer of the
value raising the theme, or none) still could not reach significance is "too few to tell"
and is left out of the family (Tarone's method for discrete tests). The rest are corrected with
Benjamini-Hochberg (false discovery rate 5 %), which keeps the power to find real differences
that Holm's correction over every cell lost ("p = 1" everywhere on a few hundred answers).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

# NumPy, SciPy's tests and analysis.keywords (NLTK, scikit-learn) are imported where they are
# used, so the web app, which imports this module for its wording, starts without them.

Z95 = 1.959963984540054
# A segment's distinctive words are tested word by word, hundreds at a time, so a word must
# stand out at the 1 % level (two-sided), not 5 %, and be written in two of its answers.
Z_DISTINCTIVE = 2.5758293035489
ALPHA = 0.05
CORRECTION = "benjamini-hochberg over the testable cells (Tarone)"
VERDICTS = ("higher", "lower", "no clear difference", "too few to tell")
FOUND = ("higher", "lower")  # the verdicts of a real difference: only these get words
_SMALL_WORDS = frozenset(
    [
        "of",
        "in",
        "on",
        "to",
        "or",
        "an",
        "at",
        "by",
        "no",
        "is",
        "it",
        "as",
        "be",
        "we",
        "up",
        "my",
        "me",
        "us",
        "so",
        "if",
        "do",
        "go",
    ]
)
# Words too vague to set a segment apart: a reader learns nothing from "think" or "non".
VAGUE_WORDS = frozenset(
    [
        "think",
        "thought",
        "feel",
        "felt",
        "believe",
        "say",
        "said",
        "says",
        "thing",
        "things",
        "way",
        "ways",
        "lot",
        "lots",
        "non",
        "let",
        "lets",
        "make",
        "made",
        "making",
        "want",
        "wanted",
        "need",
        "needs",
        "needed",
        "like",
        "one",
        "two",
        "also",
        "well",
        "yes",
        "no",
        "just",
        "get",
        "got",
        "going",
        "use",
        "used",
        "see",
        "seen",
        "know",
        "much",
        "many",
        "really",
        "good",
        "new",
        "able",
        "include",
        "including",
        "given",
        "give",
        "take",
        "put",
        "come",
        "part",
        "set",
        "may",
        "might",
        "must",
        "shall",
        "will",
        "can",
        "could",
        "would",
        "should",
    ]
)


def segment_heading(name: str) -> str:
    """A segment column's name as a reader says it: 'partner_type' -> 'Partner type'."""
    words = " ".join(name.replace("_", " ").replace("-", " ").split())
    return words[:1].upper() + words[1:] if words else name


NOT_COMPARED = "not compared"
# A cell whose value is not given (no segment) is counted but never tested against the rest.
NOT_COMPARED_FIELDS: dict[str, Any] = {
    "rest_share": 0.0,
    "rest_count": 0,
    "test": "not compared",
    "p_value": None,
    "p_adjusted": None,
    "significant": False,
    "verdict": NOT_COMPARED,
}


def not_given(value: str) -> bool:
    """True for a segment value that says the row did not give the segment ('', 'not_given',
    'none', 'nan')."""
    return not value or value.strip().lower() in ("not_given", "none", "nan")


def value_label(value: str) -> str:
    """A segment value as a reader says it: 'fe_college' -> 'FE college', '' -> 'Not given'."""
    if not_given(value):
        return "Not given"
    if "_" not in value and value != value.lower():
        return value  # already written for people ("Small business")
    words = [
        w.upper() if len(w) <= 2 and w.isalpha() and w not in _SMALL_WORDS else w
        for w in value.replace("_", " ").split()
    ]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion."""
    if trials <= 0:
        return 0.0, 0.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


# The tests behind a segment's p, as a reader would name them.
TEST_NAMES = {"fisher": "Fisher's exact test", "chi-square": "chi-squared test"}


def share_cell(a: int, n_a: int) -> dict[str, Any]:
    """A segment cell's count, base, share and Wilson 95 % interval (before any test)."""
    low, high = wilson(a, n_a)
    return {
        "count": a,
        "of": n_a,
        "share": round(a / n_a, 4) if n_a else 0.0,
        "ci95": [round(low, 4), round(high, 4)],
    }


def named_test(test: str) -> str:
    """A stored test's name in words ("fisher" is "Fisher's exact test")."""
    return TEST_NAMES.get(test, test)


def test_against_rest(a: int, n_a: int, b: int, n_b: int) -> tuple[float, str]:
    """p-value for 'this segment raises the theme at a different rate from the rest'."""
    import numpy as np

    table = np.array([[a, n_a - a], [b, n_b - b]])
    if n_a == 0 or n_b == 0 or table.sum(axis=0).min() == 0:
        return 1.0, "none"
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    from scipy.stats import chi2_contingency, fisher_exact

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
    Dirichlet prior (Monroe et al. 2008), z-score above 2.58."""
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
        if z > Z_DISTINCTIVE:
            scored.append((-z, word))
    return [word for _, word in sorted(scored)[:count]]


def most_extreme_p(n_a: int, n_b: int, raised: int) -> float:
    """The smallest p-value any 2 x 2 table with these margins could give: the segment
    (``n_a`` answers) against the rest (``n_b``), ``raised`` answers raising the theme in all.
    Fisher's exact test of the most lopsided tables; 1.0 when nothing could differ."""
    if n_a == 0 or n_b == 0 or raised in (0, n_a + n_b):
        return 1.0
    extremes = {min(n_a, raised), max(0, raised - n_b)}
    import numpy as np
    from scipy.stats import fisher_exact

    return min(
        float(fisher_exact(np.array([[a, n_a - a], [raised - a, n_b - raised + a]]))[1])
        for a in extremes
    )


def tarone_testable(min_p: list[float], alpha: float = ALPHA) -> list[bool]:
    """Tarone's rule: the smallest K such that at most K tests can reach alpha / K; the
    tests that can are the family to correct over, the others cannot show anything."""
    m = len(min_p)
    for k in range(1, m + 1):
        testable = [p <= alpha / k for p in min_p]
        if sum(testable) <= k:
            return testable
    return [p <= alpha / max(1, m) for p in min_p]


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (same order as given)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: (p_values[i], i))
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m - 1, -1, -1):
        index = order[rank]
        running = min(running, p_values[index] * m / (rank + 1))
        adjusted[index] = min(1.0, running)
    return adjusted


def readable(word: str) -> bool:
    """Whether a distinctive word or phrase means something on its own to a reader: every
    word at least three letters and none of them vague ("think", "non", "lets")."""
    parts = word.lower().replace("-", " ").split()
    return bool(parts) and all(
        len(part) >= 3 and part.isalpha() and part not in VAGUE_WORDS for part in parts
    )


def cell_extreme_p(cell: dict, total: int) -> float:
    """:func:`most_extreme_p` of a stored cell, ``total`` being the column's answers."""
    n_a = int(cell.get("of", 0))
    n_b = total - n_a
    rest = cell.get("rest_count")
    if rest is None:  # a cell stored before rest_count: from the rounded rest share
        rest = round(float(cell.get("rest_share", 0.0)) * n_b)
    return most_extreme_p(n_a, n_b, int(cell.get("count", 0)) + int(rest))


def correct(cells: list[tuple[dict, float]]) -> None:
    """Correct one column's cells for multiple comparisons, in place: each item is a cell
    (with ``p_value``, ``share``, ``rest_share``) and its most extreme attainable p-value.
    Untestable cells (Tarone) become "too few to tell"; the rest get Benjamini-Hochberg
    ``p_adjusted``, ``significant`` and a ``verdict``."""
    testable = tarone_testable([extreme for _, extreme in cells])
    family = [cell for (cell, _), ok in zip(cells, testable, strict=True) if ok]
    adjusted = benjamini_hochberg([float(cell["p_value"]) for cell in family])
    for cell, ok in zip([c for c, _ in cells], testable, strict=True):
        if not ok:
            cell.update(
                test="too few",
                p_value=None,
                p_adjusted=None,
                significant=False,
                verdict="too few to tell",
            )
    for cell, p_adjusted in zip(family, adjusted, strict=True):
        cell["p_adjusted"] = round(p_adjusted, 6)
        cell["significant"] = bool(p_adjusted < ALPHA)
        if cell["significant"]:
            cell["verdict"] = "higher" if cell["share"] > cell["rest_share"] else "lower"
        else:
            cell["verdict"] = "no clear difference"


def segment_breakdown(
    theme_rows: list[set[int]],
    segments: list[str],
    k: int,
    tokens: list[list[str]] | None = None,
    display=lambda token: token,
    texts: list[str] | None = None,
    tested: list[bool] | None = None,
) -> list[dict]:
    """Per theme: for each segment value, count, share with Wilson CI, a test against the rest
    and distinctive words.

    Each cell has ``verdict``: "higher" or "lower" (significant after correction: only these
    cells get ``distinctive_words``, the others an empty list), "no clear
    difference", "too few to tell" (no split of so few answers could be told from chance;
    such cells have ``p_value`` and ``p_adjusted`` None and ``test`` "too few"), or "not
    compared" for rows that did not give the segment (:func:`not_given`: counted, never
    tested, and not in the rest the other values are compared with). The
    correction (see the module docstring) runs over every testable cell of this column.
    With ``texts`` (one per row), a distinctive phrase is kept only when it is written as
    such in at least two of the segment's answers in the theme ("bus service", never a pair
    of words that stop words kept apart).

    ``tested`` (one per row; all True when None) marks the rows the tests and the distinctive
    words count: a campaign's copies after its first are left out, so one text sent 14 times
    is one view there, as the reports say to read it (smoke18r #5: a "significant" Business
    difference and the words "black, country, ask" came from one campaign). Counts and shares
    still count every answer; a cell whose value's answers in the theme include left-out
    copies records how many in ``campaign_copies``."""
    values = sorted(set(segments))
    sizes = Counter(segments)
    tested = list(tested) if tested is not None else [True] * len(segments)
    tested_sizes = Counter(seg for seg, ok in zip(segments, tested, strict=True) if ok)
    # Rows that did not give the segment ("Not given": a size band is given by businesses
    # only) are counted but never compared, and are not in the rest a value is compared with.
    given = {value for value in values if not not_given(value)}
    total = sum(sizes[value] for value in given)
    tested_total = sum(tested_sizes[value] for value in given)
    results: list[dict] = [{} for _ in range(k)]
    cells: list[tuple[int, str, float, float]] = []  # theme, value, p, most extreme p
    for theme in range(k):
        in_theme = [theme in rows for rows in theme_rows]
        counts = Counter(seg for seg, hit in zip(segments, in_theme, strict=True) if hit)
        counted = Counter(
            seg for seg, hit, ok in zip(segments, in_theme, tested, strict=True) if hit and ok
        )
        theme_total = sum(counts[value] for value in given)
        tested_theme_total = sum(counted[value] for value in given)
        for value in values:
            a, n_a = counts.get(value, 0), sizes[value]
            cell = share_cell(a, n_a)
            results[theme][value] = cell
            if value not in given:
                cell.update(NOT_COMPARED_FIELDS)
                continue
            b, n_b = theme_total - a, total - n_a
            cell.update(rest_share=round(b / n_b, 4) if n_b else 0.0, rest_count=b)
            if counted[value] < a:  # a campaign's copies, counted once in the test
                cell["campaign_copies"] = a - counted[value]
            # the test counts each campaign once (all the same numbers without one)
            a, n_a = counted[value], tested_sizes[value]
            b, n_b = tested_theme_total - a, tested_total - n_a
            p_value, method = test_against_rest(a, n_a, b, n_b)
            cell.update(test=method, p_value=round(p_value, 6))
            extreme = most_extreme_p(n_a, n_b, tested_theme_total)
            cells.append((theme, value, p_value, extreme))
    correct([(results[theme][value], extreme) for theme, value, _, extreme in cells])
    if tokens is not None:
        tokens = [row if ok else [] for row, ok in zip(tokens, tested, strict=True)]
        if texts is not None:
            texts = [text if ok else "" for text, ok in zip(texts, tested, strict=True)]
        _add_distinctive_words(results, theme_rows, segments, tokens, values, display, texts)
    return results


def _written(phrase: str, texts: list[str]) -> bool:
    """Whether a word or phrase appears as written (its words not parted by punctuation) in
    at least two of the texts, and not mostly in openers that carry no content ("Honestly,
    ...", "In our view, ...")."""
    # Words of a phrase are written next to each other: "Overall, multi-year" is not
    # "overall multi".
    pattern = re.compile(r"\b" + r"[\s-]+".join(map(re.escape, phrase.split())) + r"\b", re.I)
    from .keywords import mostly_in_openers

    return sum(1 for text in texts if pattern.search(text)) >= 2 and not mostly_in_openers(
        phrase.lower(), [text.lower() for text in texts]
    )


def _add_distinctive_words(
    results, theme_rows, segments, tokens, values, display, texts=None
) -> None:
    """Each cell's ``distinctive_words``: for a real difference ("higher" or "lower"), the
    readable words the value's answers in the theme use more than the rest's answers in the
    theme; when the rest say too little in the theme to tell (a value that raises a theme
    far more often than anyone else leaves few answers to compare with), more than the
    rest's answers on every theme. No words for any other cell."""
    prior: Counter[str] = Counter()
    for row_tokens in tokens:
        prior.update(row_tokens)
    scale = 0.01 * 1000 / max(1, sum(prior.values()))
    prior = Counter({w: c * scale for w, c in prior.items() if c >= 2})
    said: dict[str, Counter[str]] = {value: Counter() for value in values}  # on every theme
    for seg, row_tokens in zip(segments, tokens, strict=True):
        said[seg].update(row_tokens)
    said_by_all: Counter[str] = Counter()
    for counter in said.values():
        said_by_all.update(counter)
    for theme, cells in enumerate(results):
        per_segment: dict[str, Counter[str]] = {value: Counter() for value in values}
        for rows, seg, row_tokens in zip(theme_rows, segments, tokens, strict=True):
            if theme in rows:
                per_segment[seg].update(row_tokens)
        everything = Counter()
        for counter in per_segment.values():
            everything.update(counter)
        for value in values:
            cells[value]["distinctive_words"] = []
            if cells[value].get("verdict") not in FOUND:
                # No real difference in how often this value raises the theme: words "set
                # apart" here are chance over hundreds of words tested, and a reader takes
                # them as the reason for a difference the table says is not there.
                continue
            written = [
                text
                for rows, seg, text in zip(theme_rows, segments, texts or segments, strict=True)
                if theme in rows and seg == value
            ]
            for rest in (everything - per_segment[value], said_by_all - said[value]):
                words = distinctive_words(per_segment[value], rest, prior, count=20)
                shown = [display(w) for w in words]
                kept = [w for w in shown if readable(w) and (texts is None or _written(w, written))]
                phrases = {part for w in kept if " " in w for part in w.split()}
                cells[value]["distinctive_words"] = [
                    w for w in kept if " " in w or w not in phrases
                ][:5]
                if cells[value]["distinctive_words"]:
                    break
