"""A theme whose answers mostly make several different points: a catch-all, labelled with one.

k-means can gather long answers making several points around a centre between those points.
Its label is then one of those points, in one answer's words, and reads as a finding: on the
smoke12 walk (600 NHS FFT answers to "What could we do better?", fast engine) the largest
theme, 94 answers, was labelled "Need to communicate in a different way to me to help me
understand", yet its answers were complaints of every kind
(its commonest human label covered 28 % of them). What set it apart was the share of its
answers making more than one point (:func:`analysis.clauses.split_points`): 59 % against
the run's 36 %, with the two other themes of that kind (71 % and 67 %; human purity 26 % and
21 %), while no theme whose commonest human label covered half its answers or more reached
50 % (BENCHMARKS "mixedflag", ``bench/mixed_flags.py``).

A theme is flagged "mixed" when it is at least as large as the run's mean theme (a catch-all
gathers), at least :data:`MIXED_MULTI` of its answers
make several points, :data:`MIXED_ABOVE_RUN` more than of the run's answers with a theme
(the demo's answers are built of several points, 53-82 % of them per question, so a share
alone flagged 85 % of its fast engine's themes), and, where the label's point was counted
(the semantic engine), fewer than half of the answers mentioning it make that point. On the
walk it flags 3 of 23 themes (fast engine; the three least pure) and 2 of 14 (semantic); 2 of
NHS FFT's 46, none of the demo's 111 or ArgKP's 207. One rule for the workspace and the
command line.

The fast engine counts no label point, and on the demo its catch-alls were as multi-point as
the run (every answer there makes several points), so that rule never fired on them: the demo's
"Simplify access to finance for start-ups and small businesses" held 97 of 184 answers (4.2
times the mean theme), no word set it apart ("No distinctive words") and its commonest
planted point was made by 44 % of them. So where the label's point was not counted, a theme
is also flagged when most of its answers make several points, it is at least
:data:`CATCH_ALL_SIZE` times the mean theme, and at most :data:`FEW_KEYWORDS` words set it
apart (:mod:`analysis.describe`: a theme of many points has no words of its own). Evidence the
fast engine already has, so it costs nothing to compute (BENCHMARKS "fastmix"). The fast
engine now counts its labels' points (:data:`analysis.label_points.STATIC_CHECK`), but its
static vectors over-count a catch-all's label (the demo's "Simplify access to finance ...":
74 of 101 counted, 20 say it, about 38 make the point), so that rule applies whatever the
label's count (count18; it flags none of the demo's semantic themes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .clauses import split_points

# Said beside such a theme wherever its warnings are (the "Check before quoting" column).
MIXED_TAG = "mixed: answers making several different points"

# The share of a theme's answers making more than one point from which it may be mixed, and
# by how much it must exceed the run's (module docstring; BENCHMARKS "mixedflag").
MIXED_MULTI = 0.5
MIXED_ABOVE_RUN = 0.2
# Where the label's point was not counted (the fast engine): a theme this many times the mean
# theme's size, with at most this many keywords, most of its answers making several points
# (module docstring; BENCHMARKS "fastmix").
CATCH_ALL_SIZE = 2.5
FEW_KEYWORDS = 2


@dataclass(frozen=True)
class RunMix:
    """What a theme is compared with: the share of the run's themed answers making several
    points (None when no theme was measured) and the mean theme's size."""

    multi_point: float | None
    mean_size: float


def multi_point_share(texts: Sequence[str]) -> float | None:
    """The share of ``texts`` (a theme's answers) that make more than one point
    (:func:`analysis.clauses.split_points`), to four places; None when there are none."""
    if not texts:
        return None
    several = sum(len(split_points(text)) > 1 for text in texts)
    return round(several / len(texts), 4)


def run_mix(sizes: Sequence[int], multi_points: Sequence[float | None]) -> RunMix:
    """A run's :class:`RunMix` from its themes' sizes and :func:`multi_point_share`: the
    share over the measured themes' answers, weighted by size."""
    measured = [(size, share) for size, share in zip(sizes, multi_points, strict=True)]
    measured = [(size, share) for size, share in measured if share is not None and size > 0]
    answers = sum(size for size, _ in measured)
    share = sum(size * value for size, value in measured) / answers if answers else None
    return RunMix(share, sum(sizes) / len(sizes) if sizes else 0.0)


def is_mixed(
    multi_point: float | None,
    size: int,
    run: RunMix,
    label_point: int | None = None,
    mentions: int | None = None,
    keywords: int | None = None,
) -> bool:
    """Whether a theme of ``size`` answers is a catch-all by the rule of the module docstring:
    its ``multi_point`` (:func:`multi_point_share`; None, not measured: never) against its
    ``run``'s, and, when its ``label_point`` of ``mentions`` was counted, fewer than half
    making it; also, whatever its label's count, a theme of ``keywords`` words (how many it
    has; None: not known) that is large and has almost none (:func:`is_fast_catch_all`)."""
    if multi_point is None or run.multi_point is None or size < run.mean_size:
        return False
    if is_fast_catch_all(multi_point, size, run, keywords):
        return True
    if multi_point < MIXED_MULTI or multi_point < run.multi_point + MIXED_ABOVE_RUN:
        return False
    if label_point is not None and mentions:
        return 2 * label_point < mentions
    return True


def is_fast_catch_all(multi_point: float, size: int, run: RunMix, keywords: int | None) -> bool:
    """Whether a theme whose label's point was not counted (the fast engine) is a catch-all
    by its size, keywords and points alone (module docstring): ``multi_point`` at least
    :data:`MIXED_MULTI`, ``size`` at least :data:`CATCH_ALL_SIZE` times the ``run``'s mean
    theme and at most :data:`FEW_KEYWORDS` ``keywords`` (None, not known: never)."""
    if keywords is None or keywords > FEW_KEYWORDS or multi_point < MIXED_MULTI:
        return False
    return run.mean_size > 0 and size >= CATCH_ALL_SIZE * run.mean_size


# A catch-all is listed after the themes that make one point (fixa18, smoke17s #2): by size it
# heads the report (the demo's fast "Simplify access to finance for start-ups and small
# businesses", 97 of 184 answers, about 20 of them on finance), so its label read as the top
# finding although its flag says the answers make several different points.
CATCH_ALLS_LAST = (
    "Themes flagged mixed gather answers making several different points, so they are "
    "listed after the themes that make one point, though they may be larger"
)


def catch_alls_last(order: Sequence[int], mixed: Sequence[bool]) -> list[int]:
    """``order`` (theme indexes, largest first) with the themes ``mixed`` flags
    (:func:`is_mixed`, indexed like ``order``'s values) moved after the others, each group
    keeping its order; ``order`` itself when none is flagged."""
    if not any(mixed[index] for index in order):
        return list(order)
    return [i for i in order if not mixed[i]] + [i for i in order if mixed[i]]


def mixed_themes(
    sizes: Sequence[int],
    multi_points: Sequence[float | None],
    label_points: Sequence[int | None],
    mentions: Sequence[int | None],
    keywords: Sequence[int | None],
) -> list[bool]:
    """Which of a run's themes are flagged mixed (:func:`is_mixed`), each compared with the
    run of all of them (:func:`run_mix`); the five lists run in one theme order."""
    run = run_mix(sizes, multi_points)
    return [
        is_mixed(multi, size, run, point, mention, words)
        for size, multi, point, mention, words in zip(
            sizes, multi_points, label_points, mentions, keywords, strict=True
        )
    ]
