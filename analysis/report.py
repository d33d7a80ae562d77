"""A self-contained, accessible HTML report: inline SVG charts, each with a data table."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from html import escape
from typing import Any

from .also_points import also_in_group
from .bases import bases_sentence, other_base_share
from .charts import bar_chart
from .flags import CAMPAIGN_MIN_SIZE, CAMPAIGN_MIN_WORDS, FIT_FLAG
from .mixed import CATCH_ALLS_LAST, MIXED_TAG, RunMix, catch_alls_last, is_mixed, run_mix
from .segments import named_test, segment_heading, value_label
from .spread_points import ACROSS_HEADING, ACROSS_INTRO, across_sentence

# analysis.label_points (NLTK) and analysis.sentiment (VADER, NumPy) are imported where they
# are used, so the web app, which imports this module for its wording, starts without them.

STYLE = """
body{font-family:Helvetica,Arial,sans-serif;color:#0b0c0c;max-width:960px;margin:0 auto;
padding:16px;line-height:1.45}
h1{font-size:2rem}h2{font-size:1.5rem;margin-top:2.5rem;border-top:2px solid #3c1053;
padding-top:1rem}h3{font-size:1.15rem}
table{border-collapse:collapse;width:100%;margin:8px 0 16px}caption{text-align:left;
font-weight:bold;padding:4px 0}th,td{border-bottom:1px solid #b1b4b6;padding:6px 8px;
text-align:left;vertical-align:top}td.n,th.n{text-align:right}td.ci{white-space:nowrap}
blockquote{border-left:5px solid #b1b4b6;margin:8px 0;padding:4px 12px}
.meta{color:#484949}.id{font-family:monospace;color:#484949}
a{color:#1d70b8}a:focus{outline:3px solid #ffdd00;background:#ffdd00;color:#0b0c0c}
.skip{position:absolute;left:-9999px}.skip:focus{position:static}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
svg text{font-family:Helvetica,Arial,sans-serif;font-size:13px;fill:#0b0c0c}
"""
NOT_ANSWERED = "Not answered"
STANCE_NOT_MEASURED = (
    "Stance not measured: these answers came without an agreement answer, and the words "
    "alone do not show stance reliably. To measure it, give the matching agreement column "
    "with --stance-column."
)
STANCE_COLOURS = {"for": "#00703c", "against": "#d4351c", "mixed": "#6f4e7c", "unclear": "#505a5f"}


def _pct(value: float) -> str:
    """A share to one decimal place for this detailed report ("46.2%"), by the rule of
    :func:`whole_percent` at its ends: "<0.1%" and ">99.9%", never "0.0%" of a share that is
    not nothing or "100.0%" of one that is not all (fix #8)."""
    tenth = f"{100 * value:.1f}"
    if 0 < value < 1 and tenth in ("0.0", "100.0"):
        return "<0.1%" if tenth == "0.0" else ">99.9%"
    return f"{tenth}%"


def _stance_svg(theme: dict[str, Any], chart_id: str) -> str:
    total = sum(theme["stance"].values()) or 1
    x = 0.0
    parts = []
    for name, count in theme["stance"].items():
        width = 600 * count / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="20" '
            f'fill="{STANCE_COLOURS[name]}"><title>{escape(stance_name(name))} {count}'
            "</title></rect>"
        )
        x += width
    summary = _stance_summary(theme)
    return (
        f'<svg role="img" aria-labelledby="{chart_id}" width="600" height="20">'
        f'<title id="{chart_id}">Stance: {escape(summary)}</title>' + "".join(parts) + "</svg>"
        f'<p class="meta">{escape(summary)}</p>'
    )


# A side holding at least this share of a theme's measured stances is the theme's lean:
# two in three, so "mostly against" never describes a near even split (55 against, 45 for).
MOSTLY = 2 / 3
LEAN_WORDS = {"for": "mostly for", "against": "mostly against", "mixed": "mostly neither"}
# Short of "mostly", a theme leans to for (or against) when that side holds at least this many
# times the other side's answers, and is "divided" only when neither of for and against holds
# this many times the other: For 56, Against 8, Neither 25 read "divided", as if the answers
# argued both ways, where only 8 of 89 were against (smoke15). The lean is judged between for
# and against alone, "neither" given beside it (the counts follow the words wherever they are
# shown): judged against "neither" too, For 41, Neither 40 leaned for and For 40, Neither 41
# had "no clear lean" (fix #9).
LEANING = 3
LEANING_WORDS = {"for": "leaning for", "against": "leaning against"}
# "Neither" holding at least this share of a theme's counted stances makes it "mostly neither"
# whatever for and against hold: half of the answers taking no side is no lean to a side
# (smoke16 #7: For 15, Against 5, Neither 20 read "leaning for" on a conditional,
# middle-ground theme whose main-theme answers were all "Neither"). For and against still need
# two in three (:data:`MOSTLY`): they are the sides a reader quotes as support or opposition.
MOSTLY_NEITHER = 1 / 2
# "Mostly" says more than half, as "mostly for" at two in three does: at exactly half,
# neither is "half neither" (For 20, Against 0, Neither 20 is not mostly neither; review
# fixr2 #3), the same threshold (at least half) with a word that is true at it.
HALF_NEITHER = "half neither"
# Short of that, "neither" holding more answers than any other stance is said instead of a lean
# to a side (For 17, Against 5, Neither 20 is not "leaning for"), with "neither" last: "Neither
# the largest group" read as "neither side is the largest group" (review fixr2 #3).
NEITHER_LARGEST = "largest group: neither"


def stance_lean(stance: dict[str, int] | None) -> str:
    """A theme's stance in two or three words: 'mostly against' when one side (for, against
    or neither) holds at least :data:`MOSTLY` of its counted stances, 'mostly neither' too
    when neither holds more than :data:`MOSTLY_NEITHER` of them ('half neither' at exactly
    half), 'largest group: neither' (:data:`NEITHER_LARGEST`) when it holds more than any
    other stance; else, between for
    and against alone (neither and unclear are the counts shown beside),
    'leaning for' ('leaning against') when for (against) holds at least :data:`LEANING`
    times the other, 'divided' when both have answers and are nearer than that, 'no clear
    lean' when neither has any (Neither 3, Unclear 3); '' when nothing was counted."""
    counts = {name: int(n) for name, n in (stance or {}).items() if int(n) > 0}
    total = sum(counts.values())
    if not total:
        return ""
    for side, words in LEAN_WORDS.items():
        held = counts.get(side, 0)
        if held >= (MOSTLY_NEITHER if side == "mixed" else MOSTLY) * total:
            return HALF_NEITHER if side == "mixed" and held * 2 == total else words
    neither = counts.get("mixed", 0)
    if neither and all(neither > n for name, n in counts.items() if name != "mixed"):
        return NEITHER_LARGEST
    for side, other in (("for", "against"), ("against", "for")):
        held = counts.get(side, 0)
        if held and held >= LEANING * counts.get(other, 0):
            return LEANING_WORDS[side]
    if counts.get("for", 0) and counts.get("against", 0):
        return "divided"
    return "no clear lean"


def unanimous(stance: dict[str, int] | None) -> tuple[str, int] | None:
    """The one side (for, against, mixed or unclear) holding every counted answer, and how
    many; None when the answers are split or none was counted."""
    held = {name: int(n) for name, n in (stance or {}).items() if int(n) > 0}
    if len(held) != 1:
        return None
    [(name, count)] = held.items()
    return name, count


def stance_words(stance: dict[str, int] | None) -> str:
    """A theme's stance in words, the one rule for the command line's report and the web
    app's ("All against (20)"): 'all against (20)' when one side holds every counted answer
    ('mostly' would understate it; smoke10 finding 12), else :func:`stance_lean`."""
    everyone = unanimous(stance)
    if everyone is not None:
        name, count = everyone
        return f"all {stance_name(name).lower()} ({count})"
    return stance_lean(stance)


# Said once at the top of report.html when stance was measured: the report's "Neither" is the
# stance the data files write ``mixed`` (the command line's contract keeps that value), so a
# reader comparing them sees one thing under two names, explained (smoke9 finding 23).
STANCE_WORDS_NOTE = (
    "Stance is for, against, neither (mixed) or unclear: “neither” is what assignments.csv "
    "and themes.json write as mixed, an agreement answer of “Neither agree nor disagree” or "
    "words both for and against; the web app's pages and downloads say “neither”."
)


def stance_name(name: str) -> str:
    """A stance as the reports name it: "For", "Against", "Neither" (the stored "mixed": the
    agreement answer "Neither agree nor disagree", or words both for and against), "Unclear";
    the summary's sides and the workspace's report say "Neither" too."""
    return {**SIDES, "unclear": "Unclear"}.get(name, name.capitalize())


def _stance_summary(theme: dict[str, Any]) -> str:
    """What the stance counts count: "Of the N answers mentioning it: for a, against b, ..."
    (an answer counts once in every theme it mentions, so the counts can exceed the theme's
    main-theme size); the stances in lower case mid-sentence, as the pages' at-a-glance
    table words them (wording28: sentence case)."""
    counts = ", ".join(
        f"{stance_name(name).lower()} {count}" for name, count in theme["stance"].items()
    )
    lean = stance_words(theme["stance"])
    said = f"{lean[:1].upper()}{lean[1:]}. " if lean else ""
    return f"{said}Of the {theme['mentions']} answers mentioning it: {counts}"


def _stance_part(theme: dict[str, Any], said_above: bool = False) -> str:
    """The theme's stance chart and table, or one sentence when nothing measured stance
    ("" when ``said_above``: the report's top says so once, not under every theme)."""
    if not theme["stance"]:
        return "" if said_above else f"<h3>Stance</h3><p>{STANCE_NOT_MEASURED}</p>"
    return (
        "<h3>Stance</h3>"
        + _stance_svg(theme, f"stance-{theme['id']}")
        + f"<table><caption>Stance of the {theme['mentions']} answers mentioning this theme"
        + "</caption><thead><tr>"
        + "".join(
            f'<th scope="col" class="n">{escape(stance_name(n))}</th>' for n in theme["stance"]
        )
        + "</tr></thead><tbody><tr>"
        + "".join(f'<td class="n">{c}</td>' for c in theme["stance"].values())
        + "</tr></tbody></table>"
    )


# The verdicts that are a real difference from the rest (significant after the correction).
FOUND = ("higher", "lower")
# The verdicts of a cell that was tested: the family the correction for many comparisons ran
# over (not "too few to tell", not "not compared").
TESTED = ("higher", "lower", "no clear difference")
# A gap this large (in share) that would count on its own but not after the correction is
# worth a word on its row, as the workspace's report words it.
LARGE_GAP = 0.10
SIGNIFICANCE_NOTE = (
    "How to read the breakdowns: each row compares the answers with one value (such as one "
    "group) with everyone else's. “Higher than the rest (significant)” or “lower than the "
    "rest (significant)” marks a difference too big to put down to chance. Chance alone "
    "would give it less than 1 time in 20, allowing for the number of comparisons made. A "
    "row saying “no clear difference” has a gap that could be chance. A row saying “too few "
    "answers to tell” has so few answers that even the most lopsided split could not be told "
    "from chance. The figures in brackets are for those who want them. The p-value (p) is the "
    "chance of a difference this big if the value did not really differ: p = 0.01 means 1 "
    "time in 100. It is corrected for the number of comparisons (the Benjamini–Hochberg "
    "method). The test it comes from is named after it. A campaign (one text sent by several "
    "respondents) counts once in the tests and the distinctive words, though the counts "
    "shown include every copy. Distinctive words are shown only "
    "beside a significant difference. They are the words that value's answers in this theme "
    "use more than everyone else's."
)


def cell_verdict(cell: dict[str, Any]) -> str:
    """A stored cell's verdict: "higher", "lower", "no clear difference", "too few to tell"
    or "not compared" (rows that did not give the segment); from ``significant`` for a
    document written before verdicts."""
    verdict = cell.get("verdict")
    if verdict is None:
        verdict = "no clear difference"
        if cell.get("significant"):
            verdict = "higher" if cell["share"] > cell.get("rest_share", 0.0) else "lower"
    return str(verdict)


def p_words(p_value: float) -> str:
    """A p-value as a reader can take it: "p < 0.001" for a tiny one (never "p = 0"), else
    to two figures ("p = 0.012", "p = 1")."""
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {p_value:.2g}"


def _mentioned_cell(theme: dict[str, Any], base: int) -> str:
    """A theme's mentions (main or other theme) and their share of the answered base:
    "89 (47.1%)"; its main-theme count when the document has no mentions."""
    mentions = int(theme.get("mentions", theme["size"]))
    return f"{mentions:,} ({_pct(mentions / base if base else 0.0)})"


def _figures(cell: dict[str, Any]) -> str:
    """A significant cell's p and test in brackets, for those who want them; '' for any other
    (as the workspace's report: a corrected p capped at 1 read "p = 1" on every row,
    smoke18r #12)."""
    p_value = cell.get("p_adjusted")
    if p_value is None or cell_verdict(cell) not in FOUND:
        return ""
    test = escape(named_test(str(cell.get("test", ""))))
    return f' <span class="meta">({escape(p_words(p_value))}, {test})</span>'


def chance_gap(cell: dict[str, Any], comparisons: int) -> str:
    """For a row with no clear difference whose gap is large (at least :data:`LARGE_GAP`)
    and would count on its own (p below 0.05) but not once the number of comparisons is
    allowed for: "65% against 42%: a large gap, but with 27 comparisons it could be chance";
    "" otherwise (the workspace's report says the same)."""
    p_value = cell.get("p_value")
    if cell_verdict(cell) != "no clear difference" or p_value is None or comparisons < 2:
        return ""
    share, rest = float(cell["share"]), float(cell.get("rest_share", 0.0))
    if abs(share - rest) < LARGE_GAP or p_value >= 0.05:
        return ""
    return (
        f"{whole_percent(share)} against {whole_percent(rest)}: a large gap, but with "
        f"{comparisons} comparisons it could be chance"
    )


def _verdict(cell: dict[str, Any], heading: str = "segment", comparisons: int = 0) -> str:
    """A cell's difference from the rest in words ("higher than the rest (significant)",
    "no clear difference", "too few answers to tell"), with p and its test in brackets
    for those who want them."""
    verdict = cell_verdict(cell)
    if verdict == "too few to tell":
        return "too few answers to tell"
    if verdict == "not compared":
        article = "an" if heading[:1].lower() in "aeiou" else "a"
        return f"not compared: these answers did not give {article} {escape(heading.lower())}"
    if verdict in FOUND:
        return f"<strong>{verdict} than the rest (significant)</strong>{_figures(cell)}"
    gap = chance_gap(cell, comparisons)
    return f"{escape(gap) if gap else 'no clear difference'}{_figures(cell)}"


def _words(cell: dict[str, Any]) -> list[str]:
    """A cell's distinctive words, only beside a real difference (a document written before
    the engine said so kept words on rows with no clear difference)."""
    if cell_verdict(cell) not in FOUND:
        return []
    return list(cell.get("distinctive_words", []))


def whole_percent(share: float | None) -> str:
    """A share as every report page and download shows it (the command-line report.html gives
    tenths, by the same rule at the ends): whole percents ("46%"), but "0.4%" where
    that would say "0%" of answers that do mention it, and "99.6%" where it would say "100%"
    when some do not (the dashboard said "Individual 1, 0%", smoke15); "<0.1%" and ">99.9%"
    beyond that. None reads "0%"."""
    share = share or 0.0
    whole = f"{100 * share:.0f}"
    if whole == "-0":  # a rounding error below nothing is nothing, not "-0%"
        whole = "0"
    if not (0 < share < 1) or whole not in ("0", "100"):
        return f"{whole}%"
    tenth = f"{100 * share:.1f}"
    if tenth in ("0.0", "100.0"):
        return "<0.1%" if tenth == "0.0" else ">99.9%"
    return f"{tenth}%"


def _times(ratio: float) -> str:
    """2.43 -> "2.4", 3.0 -> "3"."""
    return f"{ratio:.1f}".rstrip("0").rstrip(".")


def difference_sentence(heading: str, value: str, cell: dict[str, Any]) -> str:
    """A significant difference in words: "Answers whose label is “Staff” mention this 5.6
    times as often as everyone else's (46% against 8%)."."""
    who = f"Answers whose {heading.lower()} is “{value_label(value)}”"
    share, rest = float(cell["share"]), float(cell.get("rest_share", 0.0))
    figures = f"({whole_percent(share)} against {whole_percent(rest)})"
    if rest == 0:
        return f"Only {who[0].lower()}{who[1:]} mention this {figures}."
    if share == 0:
        return f"{who} never mention this, against {whole_percent(rest)} of everyone else's."
    if share >= rest:
        times = _times(share / rest)
        return f"{who} mention this {times} times as often as everyone else's {figures}."
    return (
        f"{who} mention this less often than everyone else's {figures}: the others mention it "
        f"{_times(rest / share)} times as often."
    )


def comparison_counts(themes: list[dict[str, Any]]) -> dict[str, int]:
    """Per segment column, how many cells the correction for many comparisons ran over (every
    tested cell of every theme)."""
    counts: dict[str, int] = {}
    for theme in themes:
        for column, cells in theme.get("segments", {}).items():
            tested = sum(cell_verdict(cell) in TESTED for cell in cells.values())
            counts[column] = counts.get(column, 0) + tested
    return counts


def _segment_table(column: str, cells: dict[str, Any], comparisons: int = 0) -> str:
    heading = segment_heading(column)
    name = escape(heading.lower())
    # Higher first, then lower; each by its share, largest first.
    found = [
        difference_sentence(heading, value, cell)
        for value, cell in sorted(
            cells.items(),
            key=lambda item: (cell_verdict(item[1]) != "higher", -float(item[1]["share"])),
        )
        if cell_verdict(cell) in FOUND
    ]
    tested = [cell for cell in cells.values() if cell_verdict(cell) in TESTED]
    if found:
        lead = (
            "<p><strong>Significant differences:</strong></p><ul>"
            + "".join(f"<li>{escape(sentence)}</li>" for sentence in found)
            + "</ul>"
        )
    elif tested:
        lead = f"<p>No {name} differs significantly from the rest on this theme.</p>"
    else:
        lead = ""
    out = [
        f"<h3>By {name}</h3>",
        lead,
        f"<table><caption>By {name}: share of each {name}'s answers mentioning this theme "
        "(as main theme or not)</caption>"
        f'<thead><tr><th scope="col">{escape(heading)}</th>'
        '<th scope="col" class="n">Answers mentioning it</th>'
        '<th scope="col" class="n">Share</th><th scope="col">95% CI</th>'
        '<th scope="col" class="n">Share of everyone else\'s</th>'
        '<th scope="col">Difference from the rest</th>'
        '<th scope="col">Distinctive words (where significant)</th>'
        "</tr></thead><tbody>",
    ]
    for value, cell in cells.items():
        compared = cell_verdict(cell) != "not compared" and "rest_share" in cell
        rest = _pct(cell["rest_share"]) if compared else "–"
        out.append(
            f'<tr><th scope="row">{escape(value_label(value))}</th>'
            f'<td class="n">{cell["count"]} of {cell["of"]}</td>'
            f'<td class="n">{_pct(cell["share"])}</td>'
            f'<td class="ci">{_pct(cell["ci95"][0])}–{_pct(cell["ci95"][1])}</td>'
            f'<td class="n">{rest}</td>'
            f"<td>{_verdict(cell, heading, comparisons)}</td>"
            f"<td>{escape(', '.join(_words(cell)) or '–')}</td></tr>"
        )
    out.append("</tbody></table>")
    if cells and not tested and any(cell_verdict(c) == "too few to tell" for c in cells.values()):
        out.append(
            f"<p>Too few answers to tell whether any {name} differs from "
            "the rest on this theme: even the most lopsided split of these numbers could not "
            "be told from chance.</p>"
        )
    return "".join(out)


def _sentiment(theme: dict[str, Any]) -> str:
    """The meta line's " Mean sentiment ..." sentence, or "" for a document without it:
    worded as the workspace's report words it ("neutral (+0.05 on a scale from −1 to +1)",
    a true minus sign), where it read "+0.05 (neutral, -1 to +1)"."""
    value = theme.get("sentiment")
    if value is None:
        return ""
    from .sentiment import tone

    number = f"{round(value, 2) + 0.0:+.2f}".replace("-", "\u2212")
    return (
        f" Mean sentiment over the answers mentioning it: {tone(value)} ({number} on a scale "
        "from \u22121 to +1)."
    )


# Said where fewer than half the answers mentioning a theme make its label's point: a reader
# otherwise takes the label, one partner's statement, for what the whole theme says. Each
# answer is counted under the statement nearest its words, so one making the label's point in
# other words is counted under another of the theme's points: on the demo, 10 of the 18
# themes so flagged had their label's point made by more than half of their answers, in three
# wordings (smoke26r finding 1). Both cases send the reader to the answers.
FEW_MAKE_THE_LABEL = (
    "either the label names one of its points, not what most of its answers say, or many "
    "make its point in other words, counted under its other points; read them before quoting "
    "the label as the theme's view"
)


# Said where another of a theme's points is made by clearly more of its answers than its
# label's (:data:`COMMONER_TAG`'s case).
COMMONER_NOTE = (
    "the label names a less common point than that one; read the answers before quoting the "
    "label as the theme's view"
)


# What masking covers, said beside its counts in every report (:data:`analysis.clean.
# PII_PATTERNS`): a name is found only by the words around it, so one said in passing ("Michelle
# was fantastic", "Dawn and Tracey were excellent") stays in quotes and summaries, and a count
# of names masked must not read as "names were dealt with".
NAMES_MASKED_ONLY = (
    "Names are masked only where an answer gives one after “my name is”, a title (Mr, Mrs, "
    "Dr, Cllr …) or a sign-off (“Kind regards, …”). Other names, such as staff thanked by "
    "first name, stay in the quotes and summaries: check quotes before publishing"
)


def masked_sentence(counts: dict[str, int]) -> str:
    """ "Personal data masked: name 11. Names are masked only where ..." (the counts by kind,
    or "none"), as the command line's report heads it."""
    said = ", ".join(f"{kind} {count}" for kind, count in counts.items())
    return f"Personal data masked: {said or 'none'}. {NAMES_MASKED_ONLY}."


def same_note(quote: dict[str, Any]) -> str:
    """After a quote's response id: how many other answers of the theme say the same words
    (openers, places and framing phrases aside: :func:`analysis.quote_points.same_quote`),
    when some do; else nothing."""
    same = int(quote.get("same") or 0)
    if not same:
        return ""
    return f"; {same} other answer{'s' if same != 1 else ''} say{'' if same != 1 else 's'} the same"


def few_make_the_label(mentions: int | None, label_point: int | None) -> bool:
    """Whether fewer than half of a theme's ``mentions`` make its label's point, as counted
    (``label_point``; False when not counted)."""
    return label_point is not None and bool(mentions) and 2 * label_point < int(mentions or 0)


def point_headline(
    mentions: int | None, label_point: int | None, answered: int, few: bool = False
) -> str:
    """ "About 20 of the 191 answers (10%) make this point, fewer than half of the 78
    mentioning this theme" (no full stop): the figure a report puts beside a label fewer than
    half of its theme's mentions make (:func:`few_make_the_label`), so that a mention count
    that credits the label with answers making other points is never read as the label's
    (smoke18r finding 1: "mentioned by 78 of the 191 answers (41%)", 20 say it). The share is
    of the ``answered`` base, and says so beside it: "About 20 (10%) make this point; 78
    answers in this group" was read as 10% of the 78 (wording28, smoke27's finding). It says
    "fewer than half", so a Size line it leads does not say the two counts again
    (:func:`label_point_sentences`' ``headline``). '' otherwise, and for a run of too few
    answers (``few``). One rule for the command line's report, the workspace's pages,
    dashboard and Word."""
    if few or not few_make_the_label(mentions, label_point) or not answered:
        return ""
    made, group = int(label_point or 0), int(mentions or 0)
    return (
        f"About {made:,} of the {answered:,} answers ({whole_percent(made / answered)}) "
        f"{'makes' if made == 1 else 'make'} this point, fewer than half of the {group:,} "
        "mentioning this theme"
    )


def all_make_the_label(mentions: int | None, label_point: int | None, few: bool = False) -> str:
    """ "All 94 answers mentioning it make the label's own point" (no full stop) when the
    engine counted every answer mentioning a theme making its label's point: said, so that a
    reader can tell "all of them" from "not counted" (textfix, issue 12); '' when not
    counted, when fewer do (the "Of the M answers ..., about N" sentence says so), or for a
    run of too few answers (``few``, :func:`too_few_answers`), as that sentence. One rule for
    the command line's report (:func:`label_point_note`), the workspace's pages and Word
    (:func:`consult.reports.wording.label_point_words`)."""
    if few or label_point is None or not mentions or label_point < mentions:
        return ""
    if mentions == 1:
        return "The one answer mentioning it makes the label's own point"
    return f"All {mentions:,} answers mentioning it make the label's own point"


# Said wherever the label's count stands beside the counts of a theme's other points: they
# overlap, so they do not add up to the theme's answers.
SEVERAL_POINTS = (
    "An answer can make several points, so the same answers can also make the other points"
)


def _sentence(text: str) -> str:
    """``text`` as a sentence: its first letter capitalised, a full stop at its end."""
    return f"{text[:1].upper()}{text[1:]}."


# Said in place of the label's count for a theme flagged mixed (a catch-all) whose count says
# at least half of its answers make its label's point: the flag and the count then tell two
# stories, and the flag is the one to go by (smoke26r finding 2: the demo's fast "Simplify
# access to finance for start-ups and small businesses", flagged mixed, read "about 74 of the
# 101 make the label's own point"; 38 of them do, by the demo's known points). The fast
# engine's count leans high on a catch-all, whose answers all read close to its label
# (:data:`analysis.label_points.STATIC_CHECK`), and its mixed flag does not ask the count.
MIXED_LABEL_POINT = (
    "Its answers make several different points (flagged mixed), and the label names one of them"
)
MIXED_UNCOUNTED = (
    "How many make the label's own point is not given: the answers of such a theme all read "
    "close to its label, so a count of them runs high"
)


def label_point_sentences(
    mentions: int | None,
    label_point: int | None,
    summary: list[dict[str, Any]] | None = None,
    see: str = "",
    few: bool = False,
    mixed: bool = False,
    headline: bool = False,
) -> list[str]:
    """What a theme's Size paragraph says of its label's point, as sentences of at most
    about 30 words each (smoke11 #11: one sentence of 90 words, when fewer than half made
    the label's point and another point was about as common). One rule for the command
    line's report (:func:`label_point_note`), the workspace's pages and Word
    (:func:`consult.reports.wording.label_point_words`). In order:

    - "Of the M answers mentioning it, about N make the label's own point" (", fewer than
      half" when fewer than half do), said with the count it is part of;
    - when another of the theme's ``summary`` points is made by more of them
      (:func:`leading_sentence`), "About K make another, “…”" ("All M ..." when K is M),
      and when not clearly more, that it is about as common by these counts
      (:data:`ABOUT_AS_COMMON`);
    - what to do: fewer than half, the label is not what most of them say
      (:data:`FEW_MAKE_THE_LABEL`); a clearly commoner point, the label names a less common
      one (:data:`COMMONER_NOTE`); else that the counts overlap (:data:`SEVERAL_POINTS`),
      followed by ``see`` (where the other points are listed, e.g. " (see “Other points its
      answers make”)").

    "All M answers mentioning it make the label's own point." alone when all do
    (:func:`all_make_the_label`); [] when not counted, or for a run of too few answers
    (``few``, :func:`too_few_answers`): "about 2 of 5" is no count to go by, and beside
    "This theme makes one point only" it told another story (smoke9 finding 17). A theme
    flagged ``mixed`` (:func:`analysis.mixed.is_mixed`) whose count says half or more make
    its label gets :data:`MIXED_LABEL_POINT` and :data:`MIXED_UNCOUNTED` instead of that
    count; with fewer than half, the count agrees with the flag and is said as above.

    ``headline``: the paragraph opens with :func:`point_headline` (fewer than half), which
    gives the two counts and "fewer than half": the first sentence is left out, so the
    paragraph says them once (wording28, smoke27's finding: "About 31 (14%) make this point;
    84 answers in this group. ... Of the 84 answers mentioning it, about 31 make the label's
    own point, fewer than half.")."""
    if few or label_point is None or mentions is None:
        return []
    if mixed and 2 * label_point >= mentions:
        advice = FEW_MAKE_THE_LABEL.split("; ", 1)[1]  # "read them before quoting ..."
        return [
            _sentence(MIXED_LABEL_POINT),
            _sentence(MIXED_UNCOUNTED),
            _sentence(f"{advice}{see}"),
        ]
    if label_point >= mentions:
        every = all_make_the_label(mentions, label_point)
        return [f"{every}."] if every else []
    fewer = 2 * label_point < mentions
    said = [
        f"Of the {mentions:,} answers mentioning it, about {label_point:,} make the label's "
        f"own point{', fewer than half' if fewer else ''}."
    ]
    if headline and fewer:  # the headline said both counts (wording28)
        said = []
    other, clear = leading_sentence(label_point, mentions, summary)
    if other is not None:
        # named with its count (smoke8 finding 2: "about 31 of 66" beside an unnamed point
        # made by about 40; smoke10 #6 and #14: one within the counts' error named too)
        text = other["text"]
        stop = "" if text.rstrip().endswith((".", "!", "?")) else "."
        made = how_many_make(other[SHOWN_COUNT], mentions, label_point)
        said.append(f"{made[:1].upper()}{made[1:]}, “{text}”{stop}")
        if not clear:
            said.append(_sentence(f"That point is {ABOUT_AS_COMMON}"))
    if fewer:
        advice = FEW_MAKE_THE_LABEL.replace("; read", ". Read", 1)
    elif other is not None and clear:
        advice = COMMONER_NOTE.replace("; read", ". Read", 1)
    else:
        # Not "the others make other points": the summary's points are counted over the same
        # answers, so a reader adding them up would pass 100% (smoke5 finding 3).
        advice = SEVERAL_POINTS
    said.append(_sentence(f"{advice}{see}"))
    return said


def label_point_note(theme: dict[str, Any], few: bool = False, headline: bool = False) -> str:
    """ ". Of the M answers mentioning it, about N make the label's own point. ..." (no
    full stop at its end: the Size line goes on), :func:`label_point_sentences` as the
    command line's report says them after "mentioned by M" (``theme["mixed"]``: flagged
    mixed, as the report's table flags it); '' when they say nothing."""
    said = label_point_sentences(
        theme["mentions"],
        theme.get("label_point"),
        theme.get("summary"),
        few=few,
        mixed=bool(theme.get("mixed")),
        headline=headline,
    )
    return f". {' '.join(said)[:-1]}" if said else ""


# Said beside the count of answers making another point when it and the label's count add up
# to more than the answers mentioning the theme: "about 20 ... about 27" of 33 looked wrong
# without it (smoke16 #9).
BOTH_POINTS = "an answer can make both"


def how_many_make(count: int, mentions: int, label_point: int | None = None) -> str:
    """ "about 30 make another": how many of a theme's ``mentions`` answers make a point other
    than its label's, "all 45 make another" when that is every one of them (not "about 45" of
    45, smallfix finding 5), with "(an answer can make both)" (:data:`BOTH_POINTS`) when
    that count and the label's (``label_point``) add up to more than ``mentions``. The one
    rule for every sentence that sets the two counts side by side."""
    many = f"all {mentions:,}" if count >= mentions else f"about {count:,}"
    both = label_point is not None and label_point + count > mentions
    return f"{many} make another{f' ({BOTH_POINTS})' if both else ''}"


def summary_point_words(answers: int | None, mentions: int | None) -> str:
    """ "about 3 of the 88 answers mentioning it make this point": how many of a theme's
    answers make a summary sentence's point (its ``answers``, counted as the label's point
    is), as every report says it ("all 45 answers mentioning it make this point" when the
    count is the whole, as :func:`all_make_the_label` says it); '' when not counted (the
    fast engine, a run stored before the count, a theme whose answers a reviewer
    changed)."""
    if answers is None or mentions is None or answers > mentions:
        return ""
    if answers == mentions:  # not "about 45 of the 45" (smallfix finding 5)
        if mentions == 1:
            return "the one answer mentioning it makes this point"
        return f"all {mentions:,} answers mentioning it make this point"
    verb = "makes" if answers == 1 else "make"
    return f"about {answers:,} of the {mentions:,} answers mentioning it {verb} this point"


def _bracketed(words: str) -> str:
    """ " (words)", or '' for no words."""
    return f" ({words})" if words else ""


def _also(theme: dict[str, Any], ns: dict[str, Any], base: int) -> str:
    """The share of the answers with something to say after a table's share ("; 26% of the
    110 with something to say"), where many said nothing substantive; '' otherwise (and for
    the no-substantive row itself)."""
    if theme is ns:
        return ""
    other = other_base_share(int(theme["size"]), base, int(ns.get("size", 0)))
    return f"; {escape(other)}" if other else ""


def _has_headline(theme: dict[str, Any], base: int) -> bool:
    """Whether the theme's section opens with its :func:`point_headline`."""
    return bool(
        point_headline(theme.get("mentions"), theme.get("label_point"), base, too_few_answers(base))
    )


def _headline(theme: dict[str, Any], base: int) -> str:
    """The theme's :func:`point_headline` as a paragraph, or '' (most themes)."""
    said = point_headline(
        theme.get("mentions"), theme.get("label_point"), base, too_few_answers(base)
    )
    return f'<p class="headline"><strong>{escape(said)}.</strong></p>' if said else ""


def _theme_section(
    theme: dict[str, Any],
    base: int,
    campaigns: list[dict[str, Any]] | None = None,
    comparisons: dict[str, int] | None = None,
    stance_said_above: bool = False,
    empty: int = 0,
) -> str:
    """One theme's section; ``comparisons`` (:func:`comparison_counts`) is how many
    comparisons each segment column's correction ran over; with ``stance_said_above`` a theme
    with no stance says nothing of it (the report's top said stance was not measured);
    ``empty`` answers of the ``base`` said nothing substantive (many: shares of two bases,
    :mod:`analysis.bases`)."""
    out = [
        f'<section aria-labelledby="h-{theme["id"]}">',
        f'<h2 id="h-{theme["id"]}">{escape(theme["id"])}: {escape(theme["label"])}</h2>',
        _headline(theme, base),
        f'<p class="meta">Main theme of {theme["size"]:,} of {base:,} answers '
        f"({_pct(theme['share'])}, 95% CI {_pct(theme['share_ci95'][0])}–"
        f"{_pct(theme['share_ci95'][1])}); mentioned by {theme['mentions']:,}"
        f"{_bracketed(other_base_share(theme['mentions'], base, empty))}"
        f"{escape(label_point_note(theme, too_few_answers(base), _has_headline(theme, base)))}. "
        f"Stability {stability_words(theme['stability'])}.{_sentiment(theme)}</p>",
        campaign_note(theme, campaigns or []),
        _fit_note(theme),
        # none (a theme a reviewer made that could not be described): no empty heading
        f"<p><strong>Keywords:</strong> {escape(', '.join(theme['keywords']))}</p>"
        if theme["keywords"]
        else "",
    ]
    if theme["summary"]:
        out.append(
            f"<h3>{SUMMARY_HEADING}</h3><ul>"
            + "".join(_summary_item(s, theme["mentions"]) for s in theme["summary"])
            + "</ul>"
        )
    if theme["quotes"]:
        out.append(f"<h3>{QUOTES_HEADING}</h3>")
        out.extend(
            f'<blockquote><p>{escape(q["text"])}</p><footer class="id">Response '
            f"{escape(q['id'])}{same_note(q)}</footer></blockquote>"
            for q in theme["quotes"]
        )
    out.append(_stance_part(theme, stance_said_above))
    for column, cells in theme.get("segments", {}).items():
        out.append(_segment_table(column, cells, (comparisons or {}).get(column, 0)))
    out.append("</section>")
    return "".join(out)


def fits_no_theme_sentence(count: int, answered: int) -> str:
    """The report's sentence on answers unlike the other answers ('' when none)."""
    flagged = f" and flagged {FIT_FLAG} in assignments.csv"
    return f"{fit_words(count, answered, flagged)}." if count else ""


def fit_words(count: int, answered: int, flagged: str = "") -> str:
    """How many of the ``answered`` are unlike the other answers and fit no theme well, that
    each is still counted in its nearest theme (then ``flagged``: where it is marked, if
    anywhere), and to read them before quoting a count; without its full stop ('' when
    none): the CLI's report ends it (:func:`fits_no_theme_sentence`), the web app's page
    with a link and Word with the list's heading (:func:`consult.reports.fit.fit_sentence`)."""
    if not count:
        return ""
    one = count == 1
    return (
        f"{count:,} of the {answered:,} answers {'is' if one else 'are'} unlike the other "
        f"answers and {'fits' if one else 'fit'} no theme well. {'It is' if one else 'Each is'} "
        f"still counted in its nearest theme{flagged}. Read {'it' if one else 'them'} before "
        "quoting a theme's count"
    )


def side_moves_sentence(count: int) -> str:
    """The report's sentence on answers moved to a theme on their own side
    (``summary.moved_for_side``, :mod:`analysis.side_moves`; '' when none were)."""
    if not count:
        return ""
    one = count == 1
    their = "its" if one else "their"
    return (
        f"{count:,} {'answer' if one else 'answers'} moved to a theme on {their} own side: "
        "by the agreement answer, the theme nearest "
        f"{'it' if one else 'them'} leaned the other way and one leaning {their} way was "
        "nearly as close."
    )


def _fit_note(theme: dict[str, Any]) -> str:
    """A theme's note on its answers that fit no theme well ('' when none, or not measured)."""
    count = int(theme.get("fits_no_theme") or 0)
    if not count:
        return ""
    one = count == 1
    return (
        f'<p class="fit-note">{count:,} of its {theme["size"]:,} answers '
        f"{'fits' if one else 'fit'} no theme well. {'It is' if one else 'They are'} counted "
        f"here, but few other answers come close to {'it' if one else 'them'} (flagged "
        f"{FIT_FLAG} in assignments.csv).</p>"
    )


def _summary_item(sentence: dict[str, Any], mentions: int | None = None) -> str:
    """One summary point as a list item: its side (if stance was measured), the response
    it is quoted from and, when counted, how many of the theme's ``mentions`` make its point
    (:func:`summary_point_words`); the analysis's own "makes one point only" statement is
    marked as such and cites no response, as the workspace's report shows it."""
    if sentence.get("only_point"):
        return (
            '<li class="note"><em>Note from the analysis, not a respondent\'s words:</em> '
            f"{escape(sentence['text'])}</li>"
        )
    counted = summary_point_words(sentence.get("answers"), mentions)
    return (
        f"<li>{_whose(sentence)}{escape(sentence['text'])} "
        f'<span class="id">[{escape(sentence["id"])}'
        f"{'; ' + counted if counted else ''}]</span></li>"
    )


# A theme's summary adds to its label (:func:`analysis.describe.summarise`): the points its
# answers make besides the label's, so the reports head it so, not "Summary", which a reader
# takes for the theme's gist and then finds unrelated to the label.
SUMMARY_HEADING = "Other points its answers make"
# The heading of a theme's quotes, the same in every report.
QUOTES_HEADING = "In their words"

# Below this stability (:func:`analysis.themes.stability`) a theme is tagged "unstable
# grouping", as the workspace tags it. Set on ArgKP's even motions (3 seeds, 297 themes):
# below 0.5 flags about a quarter of the themes, 40 % of them matching no expert key point
# (best F1 < 0.4) against 14 % of the others; BENCHMARKS.md "Theme stability".
STABLE_ENOUGH = 0.5
# What to do about an unstable theme, the same in every report (the workspace's imports it).
# Another seed checks nothing on up to 3,000 answers: the grouping starts from Ward's groups,
# which use no chance (smoke17 #2; the command line still said to try one, smoke18r #11).
UNSTABLE_ADVICE = (
    "Read such a theme's responses before quoting it. To check it, run the analysis again "
    "asking for a few more or fewer themes. A theme that keeps its number there is mostly the "
    "same answers. Another seed is no check on up to 3,000 answers, as it seldom changes the "
    "grouping. The same group gets nearly the same figure in any run, so a figure that moves "
    "means the grouping moved."
)
UNSTABLE_NOTE = (
    "Unstable grouping: another run on the same answers could group them differently. "
    f"{UNSTABLE_ADVICE}"
)


def below(value: float, threshold: float) -> bool:
    """Whether a stability is below a threshold as it is shown, to two places (0.4979 is
    shown "0.50", so it is not below 0.5)."""
    return round(value, 2) < threshold


def stability_verdict(value: float) -> str:
    """'stable' (0.8 or more as shown), 'fairly stable' (:data:`STABLE_ENOUGH` or more) or
    :data:`UNSTABLE_TAG`: every report's one verdict on a measured stability."""
    if not below(value, 0.8):
        return "stable"
    if not below(value, STABLE_ENOUGH):
        return "fairly stable"
    return UNSTABLE_TAG


def stability_words(value: float) -> str:
    """'0.45 (unstable grouping)', '0.70 (fairly stable)' or '0.95 (stable)', the words the
    workspace's report gives a theme's stability."""
    return f"{value:.2f} ({stability_verdict(value)})"


# --- what to check before quoting a theme (every report's at-a-glance table) -----------------

# A theme that does not survive refits is tagged with this short verdict wherever its
# stability is shown; what to do about it (UNSTABLE_NOTE) is said once per report.
UNSTABLE_TAG = "unstable grouping"
# A theme whose label's point fewer than half the answers mentioning it make.
LABEL_FEW_TAG = "label made by fewer than half"
# A theme one of whose other points (a summary sentence) is made by clearly more of its
# answers than its label's point, counted alike (:func:`analysis.label_points.commoner_point`).
COMMONER_TAG = "another point is commoner than the label's"
# A theme one of whose other points more of its answers make than its label's by the counts,
# but within their error (:data:`ABOUT_AS_COMMON`, the Size paragraph's case): the column said
# "Nothing flagged" beside a Size paragraph naming it (smoke11 finding 6).
ABOUT_AS_COMMON_TAG = "another point about as common"
# The flags of :func:`theme_flags` that say a theme's label may not be what its answers say,
# named wherever a label is about to be relied on (the codebook check, smallfix finding 1).
LABEL_TAGS = (LABEL_FEW_TAG, COMMONER_TAG, ABOUT_AS_COMMON_TAG)
# Under this many answers a run's themes are not reliable: one answer is more than 5% of the
# base, every share's 95% interval is more than 40 points wide (Wilson, 10 of 19: 32% to 73%),
# and the stability check resamples too few answers to tell a theme from one respondent's
# point. A reader can read so few answers in a minute, so the workspace's report lists them.
# Counts of a theme's points mean nothing then either: no report says how many make the
# label's point (smoke9 finding 17). One rule for the workspace and the command line.
FEW_ANSWERS = 20


def too_few_answers(answers: int) -> bool:
    """Whether a run of ``answers`` answers has too few to theme (:data:`FEW_ANSWERS`)."""
    return 0 < answers < FEW_ANSWERS


# Every theme of a run of too few answers to theme (FEW_ANSWERS).
FEW_ANSWERS_TAG = "too few answers: do not quote"
# A theme a reviewer merged from others, with no stability of its own.
MERGED_UNMEASURED_TAG = "stability not measured: read before quoting"
# The heading of the at-a-glance column naming a theme's warnings, in every report: the
# workspace's page, its Word report and overview, and the command line's report.html.
CHECK_HEADING = "Check before quoting"


def is_unstable(value: float | None, current: bool = True) -> bool:
    """Whether a measured stability is below :data:`STABLE_ENOUGH` as it is shown (to two
    places); never for a figure of the earlier measure (``current`` False)."""
    return current and value is not None and below(value, STABLE_ENOUGH)


def theme_flags(
    stability: float | None,
    mentions: int | None,
    label_point: int | None,
    current: bool = True,
    *,
    few: bool = False,
    merged: bool = False,
    summary: list[dict[str, Any]] | None = None,
    mixed: bool = False,
) -> list[str]:
    """The warnings a theme's own section gives, in a few words each, for the at-a-glance
    tables: 'too few answers: do not quote' when the run had too few (``few``; its stability
    then means nothing, so is not judged), 'unstable grouping' (:func:`is_unstable`; never for
    a figure of the earlier measure, ``current`` False), 'stability not measured: read before
    quoting' for a theme a reviewer merged (``merged``) with no figure, and 'label made by
    fewer than half' (fewer than half the answers mentioning it make the label's point:
    :data:`FEW_MAKE_THE_LABEL`'s case) or else 'another point is commoner than the label's'
    (one of the ``summary`` sentences' points is made by clearly more of them, counted as the
    label's point is: :func:`commoner_sentence`) or else 'another point about as common'
    (one made by more by the counts, within their error: :func:`leading_sentence`, the point
    the Size paragraph names); [] when there is nothing to check. Before the label's flag,
    'mixed: answers making several different points' for a catch-all (``mixed``:
    :func:`analysis.mixed.is_mixed`, most of its answers making several points). One rule
    for the workspace and the command line."""
    flags = []
    if few:
        # nothing else means anything then: not stability, nor how many make the label's point
        return [FEW_ANSWERS_TAG]
    if is_unstable(stability, current):
        flags.append(UNSTABLE_TAG)
    elif merged and stability is None:
        flags.append(MERGED_UNMEASURED_TAG)
    if mixed:
        flags.append(MIXED_TAG)
    if label_point is not None and mentions and 2 * label_point < mentions:
        flags.append(LABEL_FEW_TAG)
    elif commoner_sentence(label_point, mentions, summary) is not None:
        flags.append(COMMONER_TAG)
    elif leading_sentence(label_point, mentions, summary)[0] is not None:
        flags.append(ABOUT_AS_COMMON_TAG)
    return flags


# Which of a summary sentence's counts the reports show and the flag compares with the
# label's: ``answers``, the one its "Other points" line gives ("about 27 of the 45 answers
# mentioning it make this point"), so the Size line, the list and the flag give one number
# per point (smoke9 finding 1: "about 24" beside "about 27" for the same sentence, from
# ``answers_as_label``, and a point of 27 beside a label of 20 unflagged). BENCHMARKS
# "countone" measures the flag's precision with either count.
SHOWN_COUNT = "answers"


def commoner_sentence(
    label_point: int | None,
    mentions: int | None,
    summary: list[dict[str, Any]] | None,
    count: str = SHOWN_COUNT,
) -> dict[str, Any] | None:
    """The summary sentence whose point clearly more of a theme's ``mentions`` make than its
    label's (``label_point``) by the count the reader sees beside it (its ``count``,
    :data:`SHOWN_COUNT`; :func:`analysis.label_points.commoner_point`), or None (also when
    not counted: the fast engine, a run stored before the count)."""
    said = [s for s in summary or [] if not s.get("only_point")]
    if label_point is None or not mentions or not said:
        return None
    counts = [s.get(count) for s in said]
    counts = [c if isinstance(c, int) and not isinstance(c, bool) else None for c in counts]
    from .label_points import commoner_point

    found = commoner_point(label_point, counts, mentions)
    return said[found] if found >= 0 else None


# Said beside a point a reader sees made by more answers than the label's, but not clearly
# more (:func:`analysis.label_points.commoner_point`'s margin): the counts carry an error of a
# few answers (about 8 for a summary sentence), so neither is the commoner by them: of the
# demo's 7 such points (BENCHMARKS "labelfix"), the truth finds 1 made by more answers than
# the label's, 1 by as many and 4 by fewer (1 not known). Named all the same, as a reader
# sees the bigger number (smoke10 #6: "36" beside "38" said nothing; #14: a point of "about
# 41" left unnamed beside a label of 32 made by fewer than half).
ABOUT_AS_COMMON = "about as common as the label's by these counts, which are approximate"


def leading_sentence(
    label_point: int | None,
    mentions: int | None,
    summary: list[dict[str, Any]] | None,
    count: str = SHOWN_COUNT,
) -> tuple[dict[str, Any] | None, bool]:
    """The summary sentence a reader sees made by more of a theme's answers than its label's
    point, and whether clearly more: the :func:`commoner_sentence` with True; else the one
    whose ``count`` is highest and above ``label_point`` with False; else (None, False)."""
    clear = commoner_sentence(label_point, mentions, summary, count)
    if clear is not None:
        return clear, True
    if label_point is None or not mentions:
        return None, False
    best: dict[str, Any] | None = None
    for sentence in summary or []:
        value = sentence.get(count)
        if sentence.get("only_point") or not isinstance(value, int) or isinstance(value, bool):
            continue
        if value > label_point and (best is None or value > best[count]):
            best = sentence
    return best, False


# Said once at the top of a report when more than half of its themes carry LABEL_FEW_TAG:
# the flag then no longer singles a theme out (smoke12 finding 10: 11 of 14 themes flagged),
# so the reader is told what it means for the whole run; each row keeps its flag.
MOSTLY_MIXED = (
    "most labels name one point of a mixed theme: read the answers before quoting a label"
)


def mostly_mixed_sentence(flags: list[list[str]]) -> str:
    """'Most labels name one point of a mixed theme: read the answers before quoting a label
    (11 of the 14 themes are marked “label made by fewer than half”).' when more than half of
    the themes' warnings (``flags``, one list per theme: :func:`theme_flags`) carry
    :data:`LABEL_FEW_TAG`; '' otherwise. One rule for the workspace's page, its Word report
    and the command line's report."""
    few = sum(LABEL_FEW_TAG in theme for theme in flags)
    if not flags or 2 * few <= len(flags):
        return ""
    return (
        f"{MOSTLY_MIXED[:1].upper()}{MOSTLY_MIXED[1:]} ({few} of the {len(flags)} themes are "
        f"marked “{LABEL_FEW_TAG}”)."
    )


def flags_words(flags: list[str]) -> str:
    """A theme's warnings for a table cell: 'Unstable grouping; label made by fewer than
    half', or 'Nothing flagged', as the pages say (a cell is never blank, so a reader knows it
    was checked)."""
    return "; ".join(flags).capitalize() if flags else "Nothing flagged"


def unstable_sentence(themes: list[dict[str, Any]]) -> str:
    """'7 of the 9 themes are marked “unstable grouping” (stability below 0.5). Unstable
    grouping: ...', said once at the top of the report; '' when no theme is."""
    unstable = sum(below(theme["stability"], STABLE_ENOUGH) for theme in themes)
    if not unstable:
        return ""
    which = "1 of the" if unstable == 1 else f"{unstable} of the"
    return (
        f"{which} {len(themes)} themes {'is' if unstable == 1 else 'are'} marked “unstable "
        f"grouping” (stability below {STABLE_ENOUGH}). {UNSTABLE_NOTE}"
    )


# A summary point's side as the workspace writes it: "mixed" (neither agree nor disagree,
# or words both for and against) is "Neither".
SIDES = {"for": "For", "against": "Against", "mixed": "Neither"}


def _whose(sentence: dict[str, Any]) -> str:
    """ "For: ", "Against: " or "Neither: " before a summary sentence whose answers took that
    stance (as the workspace's report marks it), else ""."""
    side = SIDES.get(sentence.get("stance", ""))
    return f"<em>{side}:</em> " if side else ""


def campaigns_sentence(duplicates: dict[str, Any]) -> str:
    """The run's campaigns in words: "12 responses from 1 campaign", "no campaigns" (the
    stored ``text`` said "1 campaigns"); the stored text when the counts are missing."""
    if "campaigns" not in duplicates:
        return str(duplicates.get("text") or "no campaigns")
    found, copies = int(duplicates["campaigns"]), int(duplicates.get("campaign_responses", 0))
    if not found:
        return "no campaigns"
    return (
        f"{copies} {'response' if copies == 1 else 'responses'} from {found} "
        f"{'campaign' if found == 1 else 'campaigns'}"
    )


def duplicate_counts(rows: list[dict[str, str]]) -> dict[str, int]:
    """Answers per duplicate group among the assignment rows (:func:`analysis.output.
    assignment_rows`): every answer repeated word for word has a group, short ones too."""
    counts: dict[str, int] = {}
    for row in rows:
        if row.get("duplicate_group"):
            counts[row["duplicate_group"]] = counts.get(row["duplicate_group"], 0) + 1
    return counts


def repeat_example(text: str, max_words: int = 15) -> str:
    """A repeated answer as the duplicates sentence quotes it: whole, or its first
    ``max_words`` words and "…"; '' for none. A whole answer's closing full stop is dropped,
    as the sentence goes on after the quote ("such as “… observer status”. Campaigns"): kept,
    it read "status.”." (smoke27); "?", "!" and "..." stay."""
    words = " ".join(str(text or "").split()).split(" ")
    if len(words) <= max_words:
        whole = " ".join(words).strip()
        if whole.endswith(".") and not whole.endswith(".."):
            whole = whole[:-1]
        return whole
    return " ".join(words[:max_words]).rstrip(",;:") + " …"


def largest_repeat(rows: list[dict[str, str]], texts: list[str]) -> str:
    """The text of the largest duplicate group that is not a campaign among the assignment
    rows (:func:`analysis.output.assignment_rows`, ``texts`` the answers row by row; ties to
    the first group by its number), for :func:`duplicates_sentence` to say what the repeats
    are; '' when every repeat is a campaign's."""
    sizes: Counter[str] = Counter()
    first: dict[str, str] = {}
    for row, text in zip(rows, texts, strict=True):
        group = row.get("duplicate_group")
        if not group or "campaign" in row.get("flags", "").split(";"):
            continue
        sizes[group] += 1
        first.setdefault(group, text)
    group = largest_group(sizes)
    return first[group] if group else ""


def largest_group(sizes: Mapping[str, int]) -> str | None:
    """The duplicate group with the most answers, ties to the lowest group number ("D9"
    before "D10"); None for no group. The one rule :func:`largest_repeat` and the web
    report's own (aggregated) reading share."""
    if not sizes:
        return None
    return min(sizes, key=lambda g: (-sizes[g], _group_order(g)))


def duplicates_sentence(
    groups: dict[str, int],
    campaign_groups: int,
    source: str = "the coding download",
    example: str = "",
) -> str:
    """Repeated answers and campaigns told apart, in words the same on every run page (the
    web report and the command line's): ``groups`` maps each duplicate group to its answers,
    ``campaign_groups`` is how many of them are campaigns; ``source`` names the file whose
    ``duplicate_group`` column names the groups (said in words: "the duplicate group column").
    "Word for word or nearly": a campaign's group holds its near-copies too (signed copies,
    a word changed), so "word for word" alone was untrue (smallfix finding 4).
    The coding download flags every repeated answer "duplicate", so a page saying only "no
    campaigns" looked wrong. The repeats that are not campaigns are "other repeats", with
    ``example`` (the largest such group's text, :func:`largest_repeat`) quoted as what they
    are: "short repeats (such as “Agree”)" described 15 copies of a whole sentence
    (smoke16 #16)."""
    such = f", such as “{repeat_example(example)}”" if example.strip() else ""
    definition = (
        f"Repeated answers that are not campaigns are grouped as duplicates{such}. Campaigns "
        f"are texts of {CAMPAIGN_MIN_WORDS} words or more sent by {CAMPAIGN_MIN_SIZE} or more "
        "respondents"
    )
    if not groups:
        return (
            "No answer was repeated, word for word or nearly. Repeated answers that are not "
            "campaigns are grouped as duplicates. Campaigns are texts of "
            f"{CAMPAIGN_MIN_WORDS} words or more sent by {CAMPAIGN_MIN_SIZE} or more respondents."
        )
    answers = sum(groups.values())
    names = sorted(groups, key=_group_order)
    span = names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
    other = len(groups) - campaign_groups
    are = "is a campaign" if campaign_groups == 1 else "are campaigns"
    if not campaign_groups:
        of_them = "none of them is a campaign"
    elif not other:
        of_them = "it is a campaign" if campaign_groups == 1 else "all of them are campaigns"
    else:
        rest = "1 is another repeat" if other == 1 else f"{other} are other repeats"
        of_them = f"{campaign_groups} of them {are} and {rest}"
    return (
        f"{answers} answers were repeated, word for word or nearly, in {len(groups)} duplicate "
        f"{'group' if len(groups) == 1 else 'groups'}: {of_them}. The duplicate group column "
        f"of {source} names {'the group' if len(groups) == 1 else 'the groups'} ({span}). "
        f"{definition}."
    )


def themes_count(count: int) -> str:
    """ "17 themes", "1 theme" (the report and the command line said "1 themes")."""
    return f"{count:,} {'theme' if count == 1 else 'themes'}"


# Words a "nothing to change" label may use beside the filler of a bare "Nothing"
# (:data:`analysis.clean.FILLER_WORDS`): "Nothing could have been done better", "Nothing I
# can think of right now", "No improvements needed".
_NOTHING_FIRST = frozenset(
    ["nothing", "none", "no", "not", "can't", "cannot", "cant", "couldn't", "i"]
)
_CHANGE_WORDS = frozenset(
    [
        "better",
        "improve",
        "improved",
        "improvement",
        "improvements",
        "change",
        "changed",
        "changes",
        "changing",
        "differently",
        "different",
        "can",
        "needed",
        "need",
        "right",
        "now",
        "moment",
        "present",
        "currently",
        "time",
        "else",
    ]
)
_LABEL_WORD = re.compile(r"[a-z][a-z'’]*")


def says_nothing_to_change(label: str) -> bool:
    """Whether a theme's label says, at more length, what a bare "Nothing" says: it opens
    with "Nothing"/"No"/"Can't" (or "I can't") and every word is a filler's
    (:data:`analysis.clean.FILLER_WORDS`) or one of improving or changing ("Nothing could
    have been done better", "Cannot think of anything right now"; not "No parking at night")."""
    from .clean import FILLER_WORDS

    words = [w.replace("’", "'") for w in _LABEL_WORD.findall(label.lower())]
    opening = words[1:2] if words[:1] == ["i"] else words[:1]  # "I can't think of any"
    return (
        bool(opening)
        and opening[0] in _NOTHING_FIRST
        and all(w in FILLER_WORDS or w in _CHANGE_WORDS for w in words)
    )


SHORT_ANSWERS_VIEW = (
    "Such short answers can be a view in themselves, depending on the question: “Nothing” to "
    "“What could we do better?” says nothing needs to change."
)


def non_substantive_sentence(
    bucket: dict[str, Any], themes: list[dict[str, Any]] | None = None
) -> str:
    """What the answers with no substantive answer said most often, so that a reader can
    judge them ("Nothing" to "What could we do better?" is a view: nothing needs to change);
    "" when there are none or the document has no examples. A theme of ``themes`` whose
    label says the same at more length (:func:`says_nothing_to_change`: smoke9 finding 12,
    "Nothing could have been done better", 197 answers, beside 1,100 bare "Nothing"s) is
    named, so a reader counting "nothing to change" adds them: the bucket keeps only the
    answers with nothing else in them, the theme those that say it in words of their own."""
    seen: dict[str, str] = {}  # "Nothing" and "Nothing." once, without the full stop
    for example in bucket.get("examples") or []:
        text = " ".join(str(example).split())[:60].rstrip(".!,;: ")
        key = "".join(ch for ch in text.casefold() if ch.isalnum() or ch == " ")
        if key and key not in seen:
            seen[key] = text
    examples = list(seen.values())
    if not bucket.get("size") or not examples:
        return ""
    size = int(bucket["size"])
    said = ", ".join(f"“{example}”" for example in examples)
    return (
        f"The {size:,} {'answer' if size == 1 else 'answers'} with no substantive answer (in "
        f"no theme) said most often: {said}. {SHORT_ANSWERS_VIEW}"
    ) + _see_also(themes or [])


def nothing_to_change_sentence(themes: list[dict[str, Any]]) -> str:
    """For a report whose no-substantive line is its own (the web report page, the Word
    report): :data:`SHORT_ANSWERS_VIEW` and the themes whose label says nothing needs to
    change, as :func:`non_substantive_sentence` names them (one rule); "" when no theme's
    label says so. ``themes``: dicts with ``id``, ``label``, ``size`` and ``label_point``."""
    also = _see_also(themes)
    return f"{SHORT_ANSWERS_VIEW}{also}" if also else ""


def _see_also(themes: list[dict[str, Any]]) -> str:
    """ " Answers saying so at more length are themed apart: T18 “Nothing could …” (about
    146 answers make its point); ..." for the themes whose label says nothing needs to change
    (:func:`says_nothing_to_change`), with how many answers make the label's point when
    counted (``label_point``: a theme can gather other points too), else its size; "" when
    no label says so."""
    found = [t for t in themes if says_nothing_to_change(str(t.get("label") or ""))]
    if not found:
        return ""

    def named(theme: dict[str, Any]) -> str:
        made = theme.get("label_point")
        count = int(made if made is not None else theme.get("size") or 0)
        noun = "answer" if count == 1 else "answers"
        said = f"about {count:,} {noun} make its point" if made is not None else f"{count:,} {noun}"
        return f"{theme['id']} “{theme['label']}” ({said})"

    listed = [named(theme) for theme in found]
    joined = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
    return (
        f" Answers saying so at more length are themed apart: {joined}; count "
        f"{'it' if len(found) == 1 else 'them'} too when counting the answers saying nothing "
        "needs to change."
    )


def counts_sentence(summary: dict[str, Any]) -> str:
    """The honest counts in words: answered of all rows, blanks apart, and the share base."""
    rows = summary["rows"]
    answered = summary.get("answered", rows)
    blank = summary.get("not_answered", 0)
    return (
        f"{answered:,} answered of {rows:,} responses"
        + (f" ({blank:,} left the question blank: not answered, in no theme)" if blank else "")
        + f". Of the {answered:,} answers, {summary['substantive']:,} had something to theme "
        f"and {summary['non_substantive']:,} gave no substantive answer (like “n/a” or “no "
        f"comment”). Every share below is of the {answered:,} answered."
        + (f" {both}" if (both := bases_sentence(answered, summary["non_substantive"])) else "")
    )


def campaign_list(rows: list[dict[str, str]], texts: list[str]) -> list[dict[str, Any]]:
    """The campaigns (long copied texts) among the assignment rows (:func:`analysis.output.
    assignment_rows`, with ``texts`` the answers as analysed, row by row), largest first:
    ``number`` (1, 2, 3... as the report names them), ``group`` (the duplicate group in
    assignments.csv), ``count``, ``text``, and per theme id the campaign's answers whose
    main theme it is (``main``) and those mentioning it (``mentions``)."""
    found: dict[str, dict[str, Any]] = {}
    for row, text in zip(rows, texts, strict=True):
        if "campaign" not in row["flags"].split(";"):
            continue
        campaign = found.setdefault(
            row["duplicate_group"],
            {"group": row["duplicate_group"], "count": 0, "text": text, "main": {}, "mentions": {}},
        )
        campaign["count"] += 1
        campaign["main"][row["theme_id"]] = campaign["main"].get(row["theme_id"], 0) + 1
        for key in dict.fromkeys(t for t in row["themes"].split(";") if t):
            campaign["mentions"][key] = campaign["mentions"].get(key, 0) + 1
    ordered = sorted(found.values(), key=lambda c: (-c["count"], _group_order(c["group"])))
    return [{"number": n, **campaign} for n, campaign in enumerate(ordered, start=1)]


def _group_order(group: str) -> tuple[int, str]:
    digits = group.lstrip("D")
    return (int(digits), group) if digits.isdigit() else (0, group)


def campaign_counts(main: int, theme_size: int, mentions: int, theme_mentions: int) -> str:
    """ "12 of the 46 answers with this as main theme (12 of the 109 that mention it)", or
    "3 of the 20 answers that mention it" when none has it as main theme, or "4 of the 16
    answers in this theme" when every answer mentioning it has it as main theme (smoke29: "4
    of the 16 answers with this as main theme (4 of the 16 that mention it)" said one count
    twice)."""
    if not main:
        return f"{mentions} of the {theme_mentions} answers that mention it"
    if main == mentions and theme_size == theme_mentions:
        return f"{main} of the {theme_size} answers in this theme"
    return (
        f"{main} of the {theme_size} answers with this as main theme "
        f"({mentions} of the {theme_mentions} that mention it)"
    )


def campaign_sentence(counts: str, number: int, size: int, name: str = "") -> str:
    """The campaign note within a theme, written once for the report page, the theme page,
    Word, Excel and the command line's report: how many of its answers come from which
    campaign (``name``: "campaign N", or a link to it), and that they are one view.
    ``counts`` is :func:`campaign_counts`."""
    name = name or f"campaign {number}"
    return (
        f"{counts} come from {name}. It is one text sent by {size} respondents, so count it "
        f"as one view, not {size}."
    )


def campaign_note(theme: dict[str, Any], campaigns: list[dict[str, Any]]) -> str:
    """Within a theme: how many of its answers come from each campaign, with a link to the
    campaign, so that a reader does not take the count as so many separate views ("" when
    none does)."""
    parts = []
    for campaign in campaigns:
        main = campaign["main"].get(theme["id"], 0)
        mentions = campaign["mentions"].get(theme["id"], 0)
        if not mentions:
            continue
        counts = campaign_counts(main, theme["size"], mentions, theme["mentions"])
        number, size = campaign["number"], campaign["count"]
        link = f'<a href="#campaign-{number}">campaign {number}</a>'
        parts.append(
            '<p class="campaign-note"><strong>From campaigns:</strong> '
            f"{campaign_sentence(counts, number, size, link)}</p>"
        )
    return "".join(parts)


def _theme_name(key: str, labels: dict[str, str]) -> str:
    """'T01 Bus fares' for a theme id; the bucket and a blank answer by their names."""
    if key in labels:
        return f"{key} {labels[key]}"
    return key or NOT_ANSWERED


SOURCE = "assignments.csv"


def _campaigns_section(
    campaigns: list[dict[str, Any]],
    labels: dict[str, str],
    duplicates: dict[str, int] | None,
    example: str = "",
) -> str:
    """The campaigns, largest first, each with its anchor, group, size, main theme and text;
    with ``duplicates`` (:func:`duplicate_counts`), the repeated answers told apart from them
    (``example``: the largest other repeat's text, :func:`largest_repeat`)."""
    said = duplicates_sentence(duplicates or {}, len(campaigns), SOURCE, example)
    repeats = f'<p id="duplicates">{escape(said)}</p>' if duplicates is not None else ""
    if not campaigns:
        return (
            '<section aria-labelledby="h-campaigns"><h2 id="h-campaigns">Campaigns</h2>'
            f"<p>No campaigns: no long text was sent by several respondents.</p>{repeats}</section>"
        )
    rows = []
    for campaign in campaigns:
        main = ", ".join(
            f"{escape(_theme_name(key, labels))} ({count})"
            for key, count in sorted(campaign["main"].items(), key=lambda item: -item[1])
        )
        rows.append(
            f'<tr id="campaign-{campaign["number"]}"><th scope="row">{campaign["number"]}</th>'
            f'<td class="id">{escape(campaign["group"])}</td>'
            f'<td class="n">{campaign["count"]}</td><td>{main}</td>'
            f"<td>{escape(campaign['text'])}</td></tr>"
        )
    return (
        '<section aria-labelledby="h-campaigns"><h2 id="h-campaigns">Campaigns</h2>'
        "<p>A campaign is the same long text sent by several respondents. It counts once when "
        "finding themes, but every copy is counted in its theme's figures.</p>"
        "<table><caption>Campaigns, largest first</caption><thead><tr>"
        '<th scope="col">Campaign</th><th scope="col">Duplicate group in assignments.csv</th>'
        '<th scope="col" class="n">Responses</th><th scope="col">Main theme (answers)</th>'
        '<th scope="col">Text</th></tr></thead><tbody>'
        + "".join(rows)
        + f"</tbody></table>{repeats}</section>"
    )


def _flags(theme: dict[str, Any], base: int, mix: RunMix) -> list[str]:
    """A theme's warnings (:func:`theme_flags`, the workspace's rule) from its document, in a
    run of ``base`` answered rows whose themes' mix of points is ``mix``
    (:func:`analysis.mixed.run_mix`)."""
    return theme_flags(
        theme.get("stability"),
        theme.get("mentions"),
        theme.get("label_point"),
        few=too_few_answers(base),
        summary=theme.get("summary"),
        mixed=is_mixed(
            theme.get("multi_point"),
            theme["size"],
            mix,
            theme.get("label_point"),
            theme.get("mentions"),
            len(theme.get("keywords") or []),
        ),
    )


def _flags_cell(flags: list[str]) -> str:
    """The "Check before quoting" cell, as the workspace's page shows it: the warnings in
    words, or a dash that a screen reader reads as "Nothing flagged"."""
    if flags:
        return escape(flags_words(flags))
    return '<span class="vh">Nothing flagged</span><span aria-hidden="true">–</span>'


def _across_section(points: list[dict[str, Any]] | None) -> str:
    """The points raised across themes (:mod:`analysis.spread_points`), each counted once
    over the whole question; '' when the run found none."""
    if not points:
        return ""
    items = "".join(f"<li>{escape(across_sentence(p))}</li>" for p in points)
    return (
        f'<section id="points-across"><h2>{escape(ACROSS_HEADING)}</h2>'
        f"<p>{escape(ACROSS_INTRO)}</p><ul>{items}</ul></section>"
    )


def render_report(
    document: dict[str, Any],
    title: str | None = None,
    text_column: str | None = None,
    campaigns: list[dict[str, Any]] | None = None,
    duplicates: dict[str, int] | None = None,
    cautions: list[str] | None = None,
    repeat: str = "",
) -> str:
    """The whole report as one HTML string, headed by the question when the document has
    one (``summary.question``), else by ``title`` or the analysed column's name. With
    ``campaigns`` (:func:`campaign_list`), each theme says how many of its answers come from
    a campaign, and a Campaigns section lists them; with ``duplicates``
    (:func:`duplicate_counts`) that section also tells repeated answers from campaigns
    (``repeat``: the largest other repeat's text, :func:`largest_repeat`);
    ``cautions`` (sentences about the input, such as answers not in English) head the
    report."""
    summary = document["summary"]
    themes = document["themes"]
    ns = document["non_substantive"]
    base = summary.get("answered", summary["rows"])
    question = summary.get("question")
    if question:
        heading = f"Theme report: {question}"
        intro = f"<p><strong>Question:</strong> {escape(question)}</p>"
    else:
        source = f"the answers in column “{text_column}”" if text_column else "the answers"
        heading = title or f"Theme report on {source}"
        intro = (
            "<p><strong>Question:</strong> not given (pass it with <code>--question</code>). "
            f"Analysed: {escape(source)}.</p>"
        )
    mix = run_mix([t["size"] for t in themes], [t.get("multi_point") for t in themes])
    flags = {t["id"]: _flags(t, base, mix) for t in themes}
    # a catch-all after the themes making one point, so its label does not lead as the top
    # finding (smoke17s #2)
    order = catch_alls_last(range(len(themes)), [MIXED_TAG in flags[t["id"]] for t in themes])
    reordered = order != list(range(len(themes)))
    themes = [themes[index] for index in order]
    rows = [
        (f"{t['id']} {t['label']}{' (check before quoting)' if flags[t['id']] else ''}", t["size"])
        for t in themes
    ]
    # the non-substantive bucket only when some answers are in it (an empty "No substantive
    # answer: 0, 0%" row in every table linked to nothing: smoke18r #13)
    listed = [*themes, ns] if ns["size"] else list(themes)
    if ns["size"]:
        rows.append((f"{ns['id']} {ns['label']}", ns["size"]))
    stance_measured = summary.get("stance_measured", True) and any(t["stance"] for t in themes)
    table = [
        f"<table><caption>Themes by number of answers{', mixed last' if reordered else ''} "
        f"(shares of the {base:,} answered)</caption><thead><tr>"
        '<th scope="col">Theme</th><th scope="col" class="n">Answers</th>'
        '<th scope="col" class="n">Share</th><th scope="col">95% CI</th>'
        # as the workspace's table: a theme's mentions beside its main-theme count (smoke18r #12)
        '<th scope="col" class="n">Mentioned by</th>'
        + ('<th scope="col">Stance of the answers mentioning it</th>' if stance_measured else "")
        + f'<th scope="col">{CHECK_HEADING}</th>'
        + "</tr></thead><tbody>"
    ]
    for theme in listed:
        name = f"{escape(theme['id'])} {escape(theme['label'])}"
        if theme is not ns:  # the non-substantive bucket has no section to link to
            name = f'<a href="#h-{theme["id"]}">{name}</a>'
            if also := also_in_group(theme, base):
                name += f'<br><small class="also">{escape(also)}</small>'
        lean = stance_words(theme.get("stance")) if theme is not ns else ""
        table.append(
            f'<tr><th scope="row">{name}</th><td class="n">{theme["size"]}</td>'
            f'<td class="n">{_pct(theme["share"])}{_also(theme, ns, base)}</td>'
            f'<td class="ci">{_pct(theme["share_ci95"][0])}–{_pct(theme["share_ci95"][1])}</td>'
            + f'<td class="n">{_mentioned_cell(theme, base) if theme is not ns else "–"}</td>'
            + (f"<td>{escape(lean[:1].upper() + lean[1:]) or '–'}</td>" if stance_measured else "")
            + f"<td>{'–' if theme is ns else _flags_cell(flags[theme['id']])}</td>"
            + "</tr>"
        )
    blank = summary.get("not_answered", 0)
    if blank:
        table.append(
            f'<tr><th scope="row">{escape(NOT_ANSWERED)} (blank, not in the base)</th>'
            f'<td class="n">{blank}</td><td class="n">–</td><td>–</td><td class="n">–</td>'
            + ("<td>–</td>" if stance_measured else "")
            + "<td>–</td></tr>"
        )
    table.append("</tbody></table>")
    stance_note = (
        (f'<p id="stance-words">{escape(STANCE_WORDS_NOTE)}</p>' if stance_measured else "")
        if summary.get("stance_measured", True)
        else f"<p><strong>{STANCE_NOT_MEASURED}</strong></p>"
    )
    unstable = unstable_sentence(themes)
    mixed = mostly_mixed_sentence(list(flags.values()))
    comparisons = comparison_counts(themes)
    empty = non_substantive_sentence(ns, themes)
    misfit = fits_no_theme_sentence(int(summary.get("fits_no_theme") or 0), base)
    moved = side_moves_sentence(int(summary.get("moved_for_side") or 0))
    stance_said = not summary.get("stance_measured", True)
    reading = (
        f'<p class="meta" id="significance-note">{escape(SIGNIFICANCE_NOTE)}</p>'
        if any(theme.get("segments") for theme in themes)
        else ""
    )
    body = [
        '<a class="skip" href="#main">Skip to the report</a><main id="main">',
        f"<h1>{escape(heading)}</h1>",
        intro,
        *(
            f'<p class="caution"><strong>Caution:</strong> {escape(c[:1].upper() + c[1:])}.</p>'
            for c in cautions or []
        ),
        f'<p class="caution" id="mixed-labels"><strong>Caution:</strong> {escape(mixed)}</p>'
        if mixed
        else "",
        f"<p>{escape(counts_sentence(summary))} {themes_count(summary['themes'])}. "
        f"{escape(campaigns_sentence(summary['duplicates']).capitalize())}. "
        f"{escape(masked_sentence(summary['personal_data_masked']))}</p>",
        stance_note,
        f'<p class="unstable-note">{escape(unstable)}</p>' if unstable else "",
        f'<p id="mixed-last">{escape(CATCH_ALLS_LAST)}.</p>' if reordered else "",
        bar_chart(f"Answers per theme (of {base:,} answered)", rows, "chart-sizes"),
        "".join(table),
        _across_section(summary.get("points_across_themes")),
        f'<p id="non-substantive">{escape(empty)}</p>' if empty else "",
        f'<p id="fits-no-theme">{escape(misfit)}</p>' if misfit else "",
        f'<p id="side-moves">{escape(moved)}</p>' if moved else "",
        reading,
        *(
            _theme_section(
                theme | {"mixed": MIXED_TAG in flags[theme["id"]]},
                base,
                campaigns or [],
                comparisons,
                stance_said,
                ns.get("size", 0),
            )
            for theme in themes
        ),
        _campaigns_section(campaigns, {t["id"]: t["label"] for t in themes}, duplicates, repeat)
        if campaigns is not None
        else "",
        "</main>",
    ]
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)}</title><style>{STYLE}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )
