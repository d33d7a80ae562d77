"""A point whose nearest heading is the label, by a clear gap, counts for it below the threshold
(counts29, option ``lead``).

On the demo's semantic run, "Hold a cross-party meeting of the region's MPs every term" was
counted for 35 of its 78 answers where 40 make its point: the 5 missed say it as "Give MPs a
short briefing pack on the deal so they argue the same case in Parliament", at the coding
encoder's cosine 0.47-0.48 with the label (threshold 0.5), the label being its nearest heading
by 0.11 or more over every other label and summary sentence. With ``lead=(floor, gap)`` a text
or point put under one statement clearly (nearest, at ``floor`` or more, ``gap`` above the next
heading) makes its point. A point near two headings, or far from all, counts as before.
"""

from __future__ import annotations

import numpy as np

from analysis.label_points import _clear_lead, label_point_counts, statement_makers

LABEL = "Hold a cross-party meeting of the region's MPs every term"
RIVAL = "Set up a joint board with constituent and non-constituent councils every quarter"
# each long enough that closeness alone decides (analysis.label_points.SHORT)
PARAPHRASE = "Give MPs a short briefing pack on the deal so they argue the same case in Parliament."
BETWEEN = "Councils and their MPs should meet now and then to talk about the deal and the region."
FAR = "Bus services in the outer boroughs are unreliable and the fares have gone up again."
SAYS = "A meeting of the region's MPs from every party each term would keep them on one page."
# each text's vector: (the label's point, the rival's point, something else)
TABLE = {
    LABEL: [1.0, 0.0, 0.0],
    RIVAL: [0.0, 1.0, 0.0],
    PARAPHRASE: [0.48, 0.2, 0.854],  # nearest the label, 0.28 clear of the rival
    BETWEEN: [0.47, 0.44, 0.765],  # below the threshold, hardly nearer the label
    FAR: [0.3, 0.05, 0.953],  # nearest the label, but below any floor
    SAYS: [0.8, 0.1, 0.59],  # the label's point plainly
}


def embed(texts: list[str]) -> np.ndarray:
    rows = np.array([TABLE[text] for text in texts], dtype=np.float64)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _count(texts: list[str], lead: tuple[float, float] | None) -> int:
    return label_point_counts(
        [LABEL], [list(range(len(texts)))], texts, embed, rivals=[RIVAL], lead=lead
    )[0]


def test_a_clear_lead_counts_a_paraphrase_below_the_threshold():
    assert _count([PARAPHRASE], None) == 0
    assert _count([PARAPHRASE], (0.4, 0.1)) == 1


def test_a_point_near_two_headings_or_far_from_all_counts_as_before():
    for text in (BETWEEN, FAR):
        assert _count([text], (0.4, 0.1)) == _count([text], None) == 0
    assert _count([SAYS, PARAPHRASE, BETWEEN, FAR], (0.4, 0.1)) == 2
    assert _count([SAYS, PARAPHRASE, BETWEEN, FAR], None) == 1


def test_the_gap_and_the_floor_both_matter():
    assert _count([PARAPHRASE], (0.5, 0.1)) == 0  # floor above its cosine
    assert _count([PARAPHRASE], (0.4, 0.3)) == 0  # gap wider than its lead


def test_a_separate_point_is_read_the_same_way():
    """An answer making two points: the paraphrase counts by its own point."""
    two = f"{PARAPHRASE} {FAR}"
    TABLE[two] = [0.35, 0.3, 0.887]  # as a whole, near neither heading
    try:
        assert _count([two], None) == 0
        assert _count([two], (0.4, 0.1)) == 1
    finally:
        del TABLE[two]


def test_off_by_default_and_rivals_are_never_raised():
    texts = [SAYS, PARAPHRASE, BETWEEN, FAR]
    plain = statement_makers([LABEL], texts, embed, 0.5, rivals=[RIVAL], margin=0.03)
    assert plain[:, 0].tolist() == [True, False, False, False]
    scores = np.array([[0.2, 0.48], [0.48, 0.2]])  # the first row's lead is the rival's
    raised = _clear_lead(scores, 1, 0.5, (0.4, 0.1))
    assert raised.tolist() == [[0.2, 0.48], [0.5, 0.2]]
    assert _clear_lead(scores, 1, 0.5, None) is scores
