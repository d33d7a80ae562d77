"""How theme reports put figures into words, in one place for the page, Word, Excel and CSV.

Request-free: the report pages (:mod:`consult.reports.pages`) and the documents
(:mod:`consult.reports.documents`) call these, so one score never reads "positive" in one
place and "neutral" in another.

Sentiment is a mean of per-answer scores from −1 to +1. A mean close to 0 says little about
tone, so scores within :data:`analysis.sentiment.NEUTRAL_BAND` of 0 read "neutral". The words are
chosen from the value *as shown* (rounded to two decimals), so the same shown number always
gets the same word: "+0.05" is "neutral" everywhere, "+0.20" is "positive" everywhere.
"""

from __future__ import annotations

from typing import Any

from analysis.report import (  # noqa: F401  (FEW_ANSWERS, too_few_answers: used from here)
    FEW_ANSWERS,
    SEVERAL_POINTS,
    STABLE_ENOUGH,
    SUMMARY_HEADING,
    UNSTABLE_ADVICE,
    UNSTABLE_TAG,
    label_point_sentences,
    stability_verdict,
    stance_lean,
    too_few_answers,
    unanimous,
)

from ..times import uk_time
from ..wording import number_label

SENTIMENT_SCALE = "on a scale from −1 to +1"


def shown_sentiment(value: float) -> float:
    """The score as every report shows it: two decimals (never "-0.00")."""
    return round(float(value), 2) + 0.0


def sentiment_tone(value: float | None) -> str:
    """'positive', 'negative' or 'neutral' for a score, by the analysis library's one rule
    (:func:`analysis.sentiment.tone`: :data:`analysis.sentiment.NEUTRAL_BAND` around 0, on the
    shown value); '' when not measured."""
    if value is None:
        return ""
    from analysis.sentiment import tone  # VADER, NumPy: not at app start-up

    return tone(value)


MINUS = "\u2212"  # the true minus sign, as in the scale "−1 to +1"


def with_minus(number: str) -> str:
    """A number as text for reading, its hyphen-minus made a true minus sign: '−0.49'.
    Downloads for machines (CSV, JSON, Excel's numbers) keep the plain number."""
    return number.replace("-", MINUS)


def sentiment_number(value: float | None) -> str:
    """The score as shown: '+0.05', '−0.49' (a true minus, as the scale), '0.00'."""
    if value is None:
        return ""
    shown = shown_sentiment(value)
    return "0.00" if shown == 0 else with_minus(f"{shown:+.2f}")


def sentiment_words(value: float | None) -> str:
    """The mean sentiment in words with its number: 'neutral (+0.05 on a scale from −1 to
    +1)'; 'not measured' when there is no score."""
    if value is None:
        return "not measured"
    return f"{sentiment_tone(value)} ({sentiment_number(value)} {SENTIMENT_SCALE})"


# Stance is measured only for the reason given for an agreement question, from each
# respondent's answer to it: "mixed" is what "Neither agree nor disagree" becomes, so it is
# shown as the answer said it (the words decide only where that answer gives none).
STANCE_WORDS = {"for": "For", "against": "Against", "mixed": "Neither", "unclear": "Unclear"}


def stance_label(name: str) -> str:
    """A stored stance as reports show it: 'mixed' is 'Neither'."""
    return STANCE_WORDS.get(name, name.replace("_", " ").capitalize())


def coding_stance(stored: str | None) -> str:
    """A stance as the downloads write it (the run's coding, the codebook coding, the
    response exports): in lower case, as the pages word it ('for', 'against', 'neither',
    'unclear'); a stored 'mixed' is the pages' “Neither” and the agreement scale's “Neither
    agree nor disagree” (one word for one thing: a reader filtering a download for the
    page's word finds it). '' when not measured or not coded. Stored values stay 'mixed',
    and the command line's ``consult-analyse code`` keeps its for/against/mixed (its
    ``--stance-column`` reads 'neither' back as 'mixed')."""
    return stance_label(stored).lower() if stored else ""


def stance_basis(number: int | None, required: bool = False) -> str:
    """Where a measured stance comes from, in words, for under the counts. ``required``: no
    answer can be missing (:func:`consult.reports.runs.unclear_impossible`), so the words
    never decide and nothing is “unclear”: it says so, as the counts leave “unclear” out."""
    answer = f"their answer to {number_label(number)}" if number else "their agreement answer"
    sides = (
        f"Stance comes from each respondent's answer to the agreement question ({answer}). "
        "“For” is agree or strongly agree. “Against” is disagree or strongly disagree. "
        "“Neither” is “Neither agree nor disagree”."
    )
    if required:
        return f"{sides} Every respondent had to answer it, so no stance is unclear."
    return (
        f"{sides} Where that answer is missing, the words decide: “neither” then means words "
        "both for and against, and “unclear” means neither for nor against."
    )


# Who started a run, as stored: a staff member's email, or the command that started it.
COMMAND_STARTERS = {"flask reports run": "the command line (flask reports run)"}


def started_by_words(stored: str | None) -> str:
    """Who started a run, for a reader: the staff member's email; a run started with
    ``flask reports run`` is "the command line (flask reports run)" (the page read "by flask
    reports run", as if a person); "unknown" when not recorded."""
    if not stored:
        return "unknown"
    return COMMAND_STARTERS.get(stored, stored)


def label_point_words(
    mentions: int | None,
    label_point: int | None,
    where: str = "",
    summary: list[dict[str, Any]] | None = None,
    few: bool = False,
    mixed: bool = False,
    headline: bool = False,
) -> str:
    """ "Of the 94 answers mentioning it, about 64 make the label's own point. An answer can
    make several points, so the same answers can also make the other points (see “Other
    points its answers make”)." and the rest of what the Size paragraph says of the label's
    point, in sentences of at most about 30 words: the one rule every report follows
    (:func:`analysis.report.label_point_sentences`). ``where`` says where that heading is
    when not on the same page (" on the report"); '' when not counted, or for a run of too
    few answers (``few``). A theme flagged ``mixed`` whose count says most make its label
    has the flag's words instead of that count (smoke26r finding 2). ``headline``: the
    paragraph opens with :func:`analysis.report.point_headline`, so its counts are not said
    again (wording28)."""
    # the heading is pointed to only when the theme shows it: a created theme with no points
    # of its own said "(see “Other points its answers make”)" with no such section (smoke11
    # finding 3a); None: not known here, pointed to as before
    see = f" (see “{SUMMARY_HEADING}”{where})" if summary is None or summary else ""
    return " ".join(
        label_point_sentences(mentions, label_point, summary, see, few, mixed, headline)
    )


# Said where "Coded against the codebook" sits on a run's report (page and Word): its counts
# are a different count from the run's themes above it, even for a theme of the same name.
CODED_IS_A_DIFFERENT_COUNT = (
    "A different count from this analysis's themes: these are the codebook coding (people's "
    "codes, and the model's where people have not coded), so a codebook theme need not have "
    "the same number of answers as the analysis theme of the same name."
)


# Below STABLE_ENOUGH (0.5, analysis.report, where it is measured) a theme is unstable.
# A theme that does not survive refits is tagged with this short verdict wherever its
# stability is shown (the report page, the Word report and the Excel workbook); what to do
# about it (UNSTABLE) is said once per report, not under every theme.
# What the seed changes (analysis/themes.py, read for smoke17 #2): k-means starts from Ward's
# groups, which use no chance, so on up to 3,000 answers (``find_themes``' ``ward_limit``) the
# seed does not move the start of the grouping. It moves the count the analysis chooses when
# the number of themes is left to it (``merge_tree``'s k-means++ over-clustering), which
# 3,000 answers Ward groups above that, and a little of the fast engine's word vectors
# (randomised SVD). Stability's resamples are seeded from the answers, not from the seed.
# A rerun of Q2's 184 answers with seed 1 gave seed 0's themes in every figure, so advice to
# "check with another seed" checked nothing.
SEED_EFFECT = (
    "Another seed seldom changes the themes of up to 3,000 answers: the grouping starts from "
    "the same place whatever the seed. The seed can change how many themes are found when "
    "you leave that to the analysis, and a little of how the fast engine compares words."
)
UNSTABLE = (
    "Unstable grouping: when the grouping is repeated on samples of the answers, such a theme's "
    f"answers are often split up or joined with others. {UNSTABLE_ADVICE}"
)


# A run stored before its stability measure was recorded measured it the earlier way
# (three refits, best Jaccard overlap), whose figures read lower: they are shown as they
# are, tagged with this, and never read against today's threshold.
EARLIER_MEASURE_TAG = "earlier measure"

# A theme a reviewer merged from others has no stability measured of its own: it keeps the
# lowest of theirs (an unstable part keeps it flagged), or none when one of them had none or
# they were measured different ways; then it is flagged as unmeasured.
MERGED_STABILITY = "the lowest of the merged themes' figures"
MERGED_UNMEASURED = "read before quoting (themes merged by a reviewer)"
# A part of a theme a reviewer split keeps the figure of the theme it was cut from (a refit of
# the part's own answers measures only how the cut repeats: "1.00" for parts of a 0.65 theme).
SPLIT_STABILITY = "the figure of the theme it was split from"


def earlier_measure_note(earlier: int, themes: int) -> str:
    """The report's one explanation of stability figures of the earlier measure: '' when
    there are none."""
    if not earlier:
        return ""
    which = "every theme" if earlier == themes else f"{earlier} of the {themes} themes"
    return (
        f"The stability of {which} was measured the earlier way (three refits, best overlap), "
        f"which gives lower figures than today's measure, so they are tagged “"
        f"{EARLIER_MEASURE_TAG}” and none is marked “{UNSTABLE_TAG}”. Run the analysis again "
        "to measure stability the current way."
    )


def unstable_note(unstable: int, themes: int) -> str:
    """The report's one explanation of unstable themes: '7 of the 9 themes are marked
    “unstable grouping” (stability below 0.5). Unstable grouping: another analysis …';
    '' when none is."""
    if not unstable:
        return ""
    if themes == 1:
        which = "The only theme is"
    else:
        which = f"{unstable} of the {themes} themes {'is' if unstable == 1 else 'are'}"
    return f"{which} marked “{UNSTABLE_TAG}” (stability below {STABLE_ENOUGH}). {UNSTABLE}"


def stability_words(
    value: float | None,
    current: bool = True,
    *,
    few: bool = False,
    merged: bool = False,
    split: bool = False,
) -> str:
    """How far the theme survives refits on resampled answers, in words: '0.45 (unstable
    grouping)', explained once by :func:`unstable_note`; 'not measured' when there is no
    figure; '0.45 (earlier measure)' for a figure of the earlier measure (``current``
    False), explained once by :func:`earlier_measure_note`. ``few``: the run had too few
    answers (:func:`too_few_answers`), so no figure means anything. ``merged``: a reviewer
    merged themes into this one; its figure is the lowest of theirs
    (:data:`MERGED_STABILITY`), and with none it is 'not measured: read before quoting'.
    ``split``: a part of a theme a reviewer split, whose figure is that theme's
    (:data:`SPLIT_STABILITY`)."""
    if value is None:
        return f"not measured: {MERGED_UNMEASURED}" if merged else "not measured"
    if few:
        return f"{value:.2f} ({FEW_ANSWERS_STABILITY})"
    if not current:
        return f"{value:.2f} ({EARLIER_MEASURE_TAG}{'; ' + SPLIT_STABILITY if split else ''})"
    note = f"; {MERGED_STABILITY}" if merged else f"; {SPLIT_STABILITY}" if split else ""
    return f"{value:.2f} ({stability_verdict(value)}{note})"


def shown_stability(value: float | None) -> float | None:
    """A stability as every report shows it and judges it: two places (a workbook's number
    then agrees with the words beside it: 0.4979 is 0.5, "fairly stable")."""
    return None if value is None else round(float(value), 2)


# A run not finished yet, where its time would be, by status.
NOT_FINISHED = {"queued": "queued", "running": "running"}


def run_time(run: Any) -> str:
    """A run's one time, said the same on every page and download: when it finished ('5
    December 2026 at 12:59pm'), or 'queued' ('running') when it has not finished, never the
    time it was asked for on one page and finished on another."""
    if run.finished_at is None:
        return NOT_FINISHED.get(run.status, "not finished")
    return uk_time(run.finished_at)


# --- the at-a-glance tables (page, Word, overview) ------------------------------------------


def stance_glance(stance: dict[str, int] | None, measured: bool) -> str:
    """A theme's stance for an at-a-glance table: 'Mostly against: for 0, against 55,
    neither 2' (every side the engine counted, zeros kept; '' when the run did not measure
    stance, which the report says once); 'Largest group: neither (for 17, against 5, neither
    20)' (the counts in brackets after a lean with a colon); 'All for (53)' when one side has
    every counted answer ('mostly' would understate it; :func:`analysis.report.unanimous`,
    the rule the command line's report.html follows too)."""
    if not measured:
        return ""
    everyone = unanimous(stance)
    if everyone is not None:
        name, count = everyone
        return f"All {stance_label(name).lower()} ({count})"
    counts = dict(stance or {})
    order = list(STANCE_WORDS)
    parts = [
        f"{stance_label(name).lower()} {int(counts[name])}"
        for name in sorted(counts, key=lambda n: order.index(n) if n in order else len(order))
    ]
    if not parts:
        return "none counted"
    lean = stance_lean(counts)
    if not lean:
        return ", ".join(parts)
    # "Largest group: neither (for 17, ...)": a second colon would read as a list of the group
    counted = f" ({', '.join(parts)})" if ":" in lean else f": {', '.join(parts)}"
    return f"{lean[:1].upper()}{lean[1:]}{counted}"


# A theme of such a run (fewer than analysis.report.FEW_ANSWERS answers, the one rule for every
# report), in the at-a-glance tables, and its stability (a grouping of a handful of answers
# refits the same every time: its 1.00 says nothing).
FEW_ANSWERS_STABILITY = "too few answers to tell"


def few_answers_warning(answers: int) -> str:
    """The warning a report of fewer than :data:`FEW_ANSWERS` answers opens with ('' for
    none, or for enough)."""
    if not too_few_answers(answers):
        return ""
    return (
        f"Only {answers:,} {'answer' if answers == 1 else 'answers'}: too few to find themes "
        f"reliably (fewer than {FEW_ANSWERS}). With so few, one answer can make a theme and "
        "every share's interval is wide, so do not quote these themes or their shares as "
        f"what partners think. Read the {'answer' if answers == 1 else 'answers'} instead: "
        f"{'it is' if answers == 1 else 'they are'} listed below."
    )


# One rule for an answer's old main theme when a reviewer moves it or makes a theme from it
# (smoke17 #5): a move dropped it ("T02 mentions 64 -> 63" for an answer still making T02's
# point), "Create a theme" kept it. Kept in both: the reviewer chose the answer's main
# theme, not which points it makes; an answer can make several.
MOVED_KEEPS_MENTION = (
    "The answers keep their old main theme as another theme they mention, as an answer can "
    "make more than one point. Moving answers and creating a theme both work this way."
)
