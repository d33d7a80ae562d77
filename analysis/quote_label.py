"""The fast engine's quotes make the point their theme's label states (fixs18, issue 12:
smoke17s finding 12).

A theme's quotes are picked around its centre (:func:`analysis.describe.pick_quotes`), for
variety and readability, before anything asks whether they say the label. On the demo
consultation the fast engine's quotes under "Multi-year funding would give councils the
certainty to commit to long projects" included "Put simply, we welcome the direction, but the
first years' allocation will not cover existing commitments. Control is welcome if ...": a
reader who checks the label against the answers quoted finds it unsupported (9 of the demo's
226 quotes made another point than their label's, none of them a first quote).

Here an answer *makes the label's point* when one of its sentences shares at least
:data:`LABEL_SHARE` of the label's content words (Snowball stems of words that are not stop
words, :func:`analysis.label_points.content_words`; at least one), and the fast engine's
quote picker gives its slots first to such answers that add a sentence to the quotes chosen
so far, then as before to any (``prefer`` of :func:`analysis.describe.pick_quotes`): a
theme whose quotes all made the point keeps them; one with too few such answers keeps its
other quotes after them. The semantic engine's quotes are left as they are: its first
quote is chosen by MiniLM closeness to the label (:func:`analysis.describe.label_first`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

from .label_points import content_words
from .statements import sentences

# The share of the label's content words one sentence of a quote must use. On the demo's
# fast-engine quotes (226, each answer's points known): at 1/3 every one of the 9 quotes
# making another point is caught and 5 of 217 making the label's point in other words are
# judged not to (they give way to one in the label's words); at 1/4, 4 of the 9 pass; at 1/2
# the same 9 caught and 6 wrongly.
LABEL_SHARE = 1 / 3
# Off: the quotes as picked before fixs18 (the benches' before, in the same process).
LABEL_POINT_QUOTES = True


def makes_label_point(text: str, label: str) -> bool:
    """Whether one sentence of ``text`` uses :data:`LABEL_SHARE` of the ``label``'s content
    words (at least one); True for a label with none."""
    wanted = content_words(label or "")
    if not wanted:
        return True
    need = max(1, math.ceil(len(wanted) * LABEL_SHARE))
    return any(len(content_words(s) & wanted) >= need for s in sentences(text or ""))


def preference(label: str) -> Callable[[str], bool] | None:
    """The test :func:`analysis.describe.pick_quotes` prefers answers by (``prefer``):
    whether an answer makes ``label``'s point; None when :data:`LABEL_POINT_QUOTES` is off."""
    if not LABEL_POINT_QUOTES:
        return None
    return partial(_makes, label=label)


def _makes(text: str, label: str) -> bool:
    return makes_label_point(text, label)
