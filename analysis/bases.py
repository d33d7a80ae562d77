"""Shares of two bases where many answers say nothing (issue 12, smoke18r finding 7).

Every share is of the answered (blank answers are not in the base). On an "anything else?"
question many answered only "No further comments", "n/a" or "Thank you for the chance to
respond" (the demo's Q13: 77 of 187): a theme that 29 answers mention is 16 % of the answered
but 26 % of the 110 with something to say, and the second figure is the one a director wants.
So where at least :data:`SECOND_BASE_SHARE` of the answered said nothing substantive, a share
is also given of those with something to say: "29 (16% of answered; 26% of the 110 with
something to say)". One rule (:func:`second_base`) decides it for the report page, the
command line's report.html and Word.
"""

from __future__ import annotations


def whole_percent(share: float) -> str:
    """A share as every report shows it (:func:`analysis.report.whole_percent`; imported
    here when called, as the command line's report imports this module)."""
    from .report import whole_percent as shown

    return shown(share)


# The share of the answered that said nothing substantive from which a share is also given
# of those with something to say (the demo's Q13: 41 %; its other questions: none).
SECOND_BASE_SHARE = 0.2
SOMETHING_TO_SAY = "with something to say"


def second_base(answered: int, non_substantive: int) -> int | None:
    """The answers with something to say, when shares should also be of them (at least
    :data:`SECOND_BASE_SHARE` of the ``answered`` said nothing substantive); else None."""
    if answered <= 0 or non_substantive <= 0:
        return None
    if non_substantive < SECOND_BASE_SHARE * answered:
        return None
    return max(answered - non_substantive, 0)


def other_base_share(count: int, answered: int, non_substantive: int) -> str:
    """ "26% of the 110 with something to say" for ``count`` answers, or '' when one base is
    enough (:func:`second_base`)."""
    base = second_base(answered, non_substantive)
    if not base:
        return ""
    return f"{whole_percent(count / base)} of the {base:,} {SOMETHING_TO_SAY}"


def both_bases(count: int, answered: int, non_substantive: int) -> str:
    """ "29 (16% of answered; 26% of the 110 with something to say)", or "29 (16% of
    answered)" when one base is enough."""
    share = whole_percent(count / answered) if answered else whole_percent(0.0)
    other = other_base_share(count, answered, non_substantive)
    return f"{count:,} ({share} of answered{'; ' + other if other else ''})"


def bases_sentence(answered: int, non_substantive: int) -> str:
    """The sentence saying shares are also given of those with something to say ('' when
    they are not)."""
    base = second_base(answered, non_substantive)
    if base is None:
        return ""
    return (
        f"{non_substantive:,} of the {answered:,} answered said nothing substantive "
        f"({whole_percent(non_substantive / answered)}), so shares are also given of the "
        f"{base:,} {SOMETHING_TO_SAY}."
    )
