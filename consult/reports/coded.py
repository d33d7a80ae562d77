"""Coding against the codebook, as reports use it; request-free.

Human codes count where they exist and the model's elsewhere (its latest successful
application), and every figure says how many of each. Counts are aggregated in SQL: the
database groups the answers by their set of themes, stance and partner type, so a page reads
a few dozen rows, not every code of the question. Per-response codes (downloads, exports, the
response page) are read for the responses asked about only.

Views and documents call these; nothing here reads a request or renders a page.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from flask import current_app, has_app_context
from sqlalchemy import Select, Text, cast, func, literal, literal_column, select, union_all
from sqlalchemy.orm import Session

from analysis.coding_floor import CONFIDENCE_FLOOR

from ..extensions import db
from ..models import Answer, Question, Response
from ..reference import PARTNER_TYPE_LABELS
from ..times import uk_time
from . import settling
from .codebook_drift import drift_words, source_run_id
from .coding_models import (
    Codebook,
    CodebookTheme,
    HumanCode,
    MachineCode,
    MachineCoding,
    SettledCode,
)
from .models import AnalysisRun
from .runs import number_label
from .wording import coding_stance

STANCE_ORDER = ("for", "against", "mixed")
NOT_CODED = "not coded"
# Where a stance came from -> how reports name it.
STANCE_SOURCES = {
    "human": "coded by people",
    "settled": "settled by a colleague where coders disagreed",
    "agreement": "from the respondent's agreement answer",
    "model": "guessed by the model",
}
# Who coded an answer, as exports write it: "human" (one person's code), "settled" (people
# coded it differently and a colleague settled the code, :mod:`consult.reports.settling`;
# still people's code, and counted with them) or "model".
SOURCE_WORDS = {
    "human": "a person",
    "settled": "people who disagreed, settled by a colleague",
    "model": "the model",
    "unsure": "nobody: the model is unsure",
}
# The exports' ``disagreement`` cell (as the coding download's ``disagreement`` column), by
# the one rule of :func:`consult.reports.settling.disagreement`: "not settled" for an answer
# people coded differently that nobody has settled, whose people's codes no count uses
# (:func:`waiting_by_codebook`); "settled" for a settled code (even one coded differently since).
NOT_SETTLED = settling.NOT_SETTLED
# The ``source`` of an answer the model coded below the confidence floor (:func:`floor_of`):
# not coded, its themes only the model's guess, counted apart from the model's codes.
UNSURE = "unsure"
UNSURE_WORDS = "not coded: the model is unsure"


def floor_of(coding: MachineCoding | None) -> float:
    """The confidence floor of a machine coding: the one it was made with, else (made before
    floors were recorded, or none yet) the ``CODING_CONFIDENCE_FLOOR`` setting."""
    recorded = ((coding.metrics or {}) if coding is not None else {}).get("floor")
    if recorded is not None:
        return float(recorded)
    if has_app_context():
        return float(current_app.config.get("CODING_CONFIDENCE_FLOOR", CONFIDENCE_FLOOR))
    return CONFIDENCE_FLOOR


# At a cold start (a codebook, nobody had coded a response when the model was applied) the model
# codes by similarity to the codebook alone: its number is the closest theme's share of a sharp
# softmax (analysis.coding's cold start), not a measured confidence. Every download's confidence
# cell says so in these words instead of giving the number (words31; the coding form: smoke30b).
COLD_CONFIDENCE = "not measured: the codebook's closest theme (nobody had coded yet)"
# What the pages and the Word summary say in place of "confidence 0.99" at a cold start.
COLD_WHY = (
    "by similarity to the codebook alone, as nobody had coded a response when the model was "
    "applied: the codebook's theme closest to it; no confidence is measured until people have "
    "coded responses for the model to learn from"
)
# ... and in place of "(confidence 0.12, below the floor it counts from)" for an unsure answer.
COLD_UNSURE_WHY = (
    "coded by similarity to the codebook alone, as nobody had coded a response when the model "
    "was applied, and no theme is clearly the closest"
)


def cold_of(coding: MachineCoding | None) -> bool:
    """Whether a machine coding was a cold start: nobody had coded a response when it was
    applied, so it coded by similarity to the codebook alone (its metrics' ``cold_start``)."""
    return bool(((coding.metrics or {}) if coding is not None else {}).get("cold_start"))


def floor_why_of(coding: MachineCoding | None) -> str:
    """Why a machine coding's floor was raised ("the model has learnt from only 4 codes"), or
    "" (not raised, or made before the reason was recorded)."""
    return str(((coding.metrics or {}) if coding is not None else {}).get("floor_why") or "")


def unsure_sentence(
    count: int, floor: float, why: str = "", here: bool = False, cold: bool = False
) -> str:
    """'3 not coded: the model is unsure (confidence below 0.2); ...' or "" when none.
    ``why``: why the floor is raised (:func:`analysis.coding_floor.floor_why`), if it is.
    ``here``: said on the coding page itself, which says how to reach them, not to go to
    "the coding page" (left26). ``cold``: the coding was a cold start (:func:`cold_of`), which
    measures no confidence: the sentence says why instead (:data:`COLD_UNSURE_WHY`)."""
    if not count:
        return ""
    one = count == 1
    because = f"; {why}" if why else ""
    them = "it" if one else "them"
    where = (
        f"“Code responses” offers {them} after the model's suggestions"
        if here
        else f"code {them} on the coding page"
    )
    reason = COLD_UNSURE_WHY if cold else f"its confidence is below {floor:g}{because}"
    return (
        f"{count} {'answer' if one else 'answers'} not coded: the model is unsure ({reason}), "
        f"so {'its' if one else 'their'} themes are "
        f"only a guess and in no count here; {where}."
    )


# --- what is read ------------------------------------------------------------------------------


def answered(question_id: int, consultation_id: int) -> Select:
    """Ids of the submitted responses with a non-blank answer to the question: the base."""
    return (
        select(Answer.response_id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.consultation_id == consultation_id,
            Response.status == "submitted",
            Answer.question_id == question_id,
            func.length(func.trim(Answer.value)) > 0,
        )
    )


def _latest_human(codebook_ids: Select | list[int], response_ids: list[int] | Select | None = None):
    """Each response's human code per codebook (what counts), as a subquery ranked 1: the
    code the team settled on where coders disagreed, else the latest coder's; only for
    ``response_ids`` when given. Its ``priority`` is 0 for a settled code, 1 for a coder's."""
    people = [HumanCode.codebook_id.in_(codebook_ids)]
    settled = [SettledCode.codebook_id.in_(codebook_ids)]
    if response_ids is not None:
        people.append(HumanCode.response_id.in_(response_ids))
        settled.append(SettledCode.response_id.in_(response_ids))
    codes = union_all(
        select(
            HumanCode.codebook_id,
            HumanCode.response_id,
            HumanCode.themes,
            HumanCode.stance,
            HumanCode.stance_source,
            HumanCode.coder_email,
            HumanCode.coded_at,
            HumanCode.id,
            literal(1).label("priority"),
        ).where(*people),
        select(
            SettledCode.codebook_id,
            SettledCode.response_id,
            SettledCode.themes,
            SettledCode.stance,
            literal("settled").label("stance_source"),
            SettledCode.settled_by_email,
            SettledCode.settled_at,
            SettledCode.id,
            literal(0).label("priority"),
        ).where(*settled),
    ).subquery()
    ranked = select(
        codes.c.codebook_id,
        codes.c.response_id,
        codes.c.themes,
        codes.c.stance,
        codes.c.stance_source,
        codes.c.coder_email,
        codes.c.coded_at,
        codes.c.priority,
        func.row_number()
        .over(
            partition_by=(codes.c.codebook_id, codes.c.response_id),
            order_by=(codes.c.priority, codes.c.coded_at.desc(), codes.c.id.desc()),
        )
        .label("rank"),
    ).subquery()
    return ranked


def latest_codings(
    codebook_ids: Iterable[int], session: Session | None = None
) -> dict[int, MachineCoding]:
    """Each codebook's newest successful machine coding, by codebook id."""
    session = session or db.session
    ids = list(codebook_ids)
    if not ids:
        return {}
    newest = (
        select(func.max(MachineCoding.id))
        .where(MachineCoding.codebook_id.in_(ids), MachineCoding.status == "succeeded")
        .group_by(MachineCoding.codebook_id)
    )
    return {
        coding.codebook_id: coding
        for coding in session.scalars(select(MachineCoding).where(MachineCoding.id.in_(newest)))
    }


def _keys(stored: str | list | None) -> list[str]:
    """Theme keys from a JSON column read as text (or already decoded)."""
    if stored is None:
        return []
    if isinstance(stored, str):
        stored = json.loads(stored)
    return [str(key) for key in stored or []]


# --- the report section ------------------------------------------------------------------------


@dataclass
class CodedTheme:
    """One codebook theme's answers: by who coded them, by stance and by partner type."""

    key: str
    name: str
    human: int = 0
    machine: int = 0
    stance: Counter[str] = field(default_factory=Counter)
    by_partner_type: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.human + self.machine


@dataclass
class CodedReport:
    """A question's answers coded against its codebook: people's codes where they exist,
    the model's elsewhere."""

    codebook: Codebook
    coding: MachineCoding | None
    answered: int  # submitted responses with a non-blank answer: the base of every share
    human: int = 0  # answers coded by people (settled codes included)
    settled: int = 0  # of those, answers whose coders disagreed and a colleague settled
    machine: int = 0  # answers coded by the model (and by no person)
    # answers the model coded below the confidence floor (:func:`floor_of`): not coded, in
    # no count but this one and, where the respondent's own paired answer gives it, the
    # stance split's "agreement" row (:attr:`unsure_with_stance`)
    unsure: int = 0
    # of ``unsure``, those whose stance is the respondent's own answer to the paired question,
    # not the model's guess: counted in ``stance["agreement"]`` (smoke30b #1)
    unsure_with_stance: int = 0
    floor: float = CONFIDENCE_FLOOR
    floor_why: str = ""  # why the floor is raised (:func:`floor_why_of`), or ""
    # answers left out of every count here (``leave_out`` of :func:`coded_counts`: the coding
    # page leaves out those people coded differently and nobody has settled)
    waiting: set[int] = field(default_factory=set)
    # answers people coded differently and nobody has settled (``model_for`` of
    # :func:`coded_counts`): in none of people's counts, as the model learns from none of them
    # (:func:`consult.reports.coding.learned_codes`); the model's code counts for them instead
    unsettled: int = 0
    # of ``unsettled``, those the model coded (counted in ``machine``, or in ``unsure`` when
    # below the floor; the rest, not coded yet)
    unsettled_by_model: int = 0
    # of ``unsettled_by_model``, those below the floor: not counted, the model is unsure
    unsettled_unsure: int = 0
    # of ``settled``, how many each person settled (by email)
    settled_by: Counter[str] = field(default_factory=Counter)
    themes: list[CodedTheme] = field(default_factory=list)
    no_theme: CodedTheme = field(default_factory=lambda: CodedTheme("-", "No codebook theme"))
    # where the stance came from -> stance -> answers: "human" (people's codes, with or
    # without a stance), "agreement" (the respondent's paired answer), "model" (the model's
    # guess; "not coded" when it had none)
    stance: dict[str, Counter[str]] = field(default_factory=dict)
    # partner type label -> coded answers of that type (the base of its breakdown)
    partner_types: Counter[str] = field(default_factory=Counter)
    # partner type label -> of those, the answers coded by people
    partner_people: Counter[str] = field(default_factory=Counter)
    # the run the report is shown beside (its page, its Word and Excel files), or None
    shown: AnalysisRun | None = None

    @property
    def coded(self) -> int:
        return self.human + self.machine

    @property
    def settled_words(self) -> str:
        """What follows "N coded by people" in a file (see :func:`settled_words`)."""
        return settled_words(self.settled)

    def settled_words_for(self, viewer: str) -> str:
        """What follows "N coded by people" on a page ``viewer`` (an email) reads."""
        return settled_words(self.settled, self.settled_by.get(viewer, 0))

    @property
    def unsettled_words(self) -> str:
        """How many answers wait to be settled and how they are counted meanwhile, as a
        sentence ("" when none wait): with the model's code where it is sure of one, not
        counted where it is unsure (below the floor), else left out (left26)."""
        count = self.unsettled
        if not count:
            return ""
        one = count == 1
        it = "it" if one else "them"
        counted, unsure, left = self._unsettled_parts()
        if counted == count:
            said = f"{'it is' if one else 'they are'} counted with the model's code, not a person's"
        elif unsure == count:
            said = f"{'it is' if one else 'they are'} not counted: the model is unsure of {it}"
        elif left == count:
            said = f"{'it is' if one else 'they are'} left out of these counts"
        else:
            parts = [
                *(
                    [f"{counted} {_is(counted)} counted with the model's code, not a person's"]
                    if counted
                    else []
                ),
                *(
                    [
                        f"{unsure} {_is(unsure)} not counted: the model is unsure of "
                        f"{'it' if unsure == 1 else 'them'}"
                    ]
                    if unsure
                    else []
                ),
                *([f"{left} {_is(left)} left out of these counts"] if left else []),
            ]
            said = ", ".join(parts[:-1]) + ", and " + parts[-1]
        # smoke16 #8: plain words, one idea a sentence.
        return (
            f"{count} {'answer' if one else 'answers'} that people coded differently "
            f"{'is' if one else 'are'} waiting to be settled. Until then {said}, and the "
            f"model does not learn from {it}."
        )

    def _unsettled_parts(self) -> tuple[int, int, int]:
        """Of the answers waiting to be settled: (counted with the model's code, not counted
        as the model is unsure, left out as the model has not coded them)."""
        unsure = self.unsettled_unsure
        counted = self.unsettled_by_model - unsure
        return counted, unsure, self.unsettled - counted - unsure

    @cached_property
    def drift(self) -> str:
        """That the run the codebook was made from has been edited since, or that the run it
        is shown beside is another run whose themes differ, the keys paired by label; or ""
        (:func:`consult.reports.codebook_drift.drift_words`)."""
        return drift_words(self.codebook, self.shown)

    @property
    def drift_heading(self) -> str:
        """The Excel figure's name for :attr:`drift`: which of its two cases it is."""
        source = source_run_id(self.codebook)
        if self.shown is not None and source is not None and self.shown.id != source:
            return "Codebook made from another run"
        return "Codebook's run edited since"

    @property
    def stale(self) -> str:
        """Why the model's coding is out of date, or "" (see :func:`stale_words`)."""
        return stale_words(self.codebook, self.coding)

    @property
    def cold(self) -> bool:
        """Whether the model's coding was a cold start (:func:`cold_of`): no confidence."""
        return cold_of(self.coding)

    @property
    def unsure_label(self) -> str:
        """The downloads' figure name for :attr:`unsure`: why the model is unsure."""
        why = COLD_UNSURE_WHY if self.cold else f"confidence below {self.floor:g}"
        return f"Not coded: the model is unsure ({why})"

    @property
    def unsure_words(self) -> str:
        """How many answers the model was unsure of, as a sentence ("" when none)."""
        return unsure_sentence(self.unsure, self.floor, self.floor_why, cold=self.cold)

    @property
    def waiting_words(self) -> str:
        """The counts line's "4 coded differently by people and waiting to be settled, ",
        as the coding page says it ("" when none wait); those the model coded are counted with
        its code meanwhile, unless it is unsure of them (below the floor: not counted), and
        the line says which (left26)."""
        count = self.unsettled
        if not count:
            return ""
        counted, unsure, _ = self._unsettled_parts()
        if counted == count:
            said = " (counted with the model's code meanwhile)"
        elif unsure == count:
            said = " (not counted meanwhile: the model is unsure)"
        else:
            parts = [
                *(
                    [f"{counted} of them counted with the model's code meanwhile"]
                    if counted
                    else []
                ),
                *([f"{unsure} not counted: the model is unsure"] if unsure else []),
            ]
            said = f" ({', '.join(parts)})" if parts else ""
        return f"{count} coded differently by people and waiting to be settled{said}, "

    @property
    def uncoded(self) -> int:
        """Answers nobody (person or model) has coded yet, none the model was unsure of
        (:attr:`unsure`), none left out and none waiting to be settled (:attr:`unsettled`;
        those the model coded are in :attr:`machine`, the rest wait, not "not coded yet")."""
        waiting = len(self.waiting) + self.unsettled - self.unsettled_by_model
        return max(0, self.answered - self.coded - self.unsure - waiting)

    def share(self, count: int) -> float:
        """``count`` as a share of the answered base."""
        return count / self.answered if self.answered else 0.0

    def stance_rows(self) -> list[tuple[str, list[int]]]:
        """(where the stance came from, [for, against, mixed, not coded]) with any answers."""
        rows = []
        for source in ("human", "agreement", "model"):
            counts = self.stance.get(source)
            if counts:
                label = STANCE_SOURCES[source]
                rows.append((label, [counts.get(s, 0) for s in (*STANCE_ORDER, NOT_CODED)]))
        return rows

    @property
    def unsure_stance_words(self) -> str:
        """Under the stance table, when its agreement row counts answers whose themes the
        model is unsure of (their stance is the respondent's own, not a guess: smoke30b #1),
        the sentence saying so; else ""."""
        count = self.unsure_with_stance
        if not count:
            return ""
        one = count == 1
        return (
            f"The row from the respondent's agreement answer also counts the {count} "
            f"{'answer' if one else 'answers'} whose themes the model is unsure of: "
            f"{'its' if one else 'their'} stance is the respondent's own answer, not a guess."
        )

    @property
    def guessed_stance(self) -> int:
        """Answers whose stance is the model's guess."""
        counts = self.stance.get("model") or {}
        return sum(n for name, n in counts.items() if name != NOT_CODED)

    @property
    def stance_caveat(self) -> str:
        """What to make of the model's stance guesses, with its measured accuracy."""
        text = (
            f"{self.guessed_stance} stances are the model's guess, learned from the answers "
            "people coded for stance"
        )
        accuracy = self.stance_accuracy
        if accuracy:
            low, high = accuracy["accuracy_interval"]
            text += (
                f". Tested on the {accuracy['coded']} answers people coded for stance, each judged "
                f"by a model that had not seen it, it was right {100 * accuracy['accuracy']:.0f}% "
                f"of the time (95% interval {100 * low:.0f} to {100 * high:.0f}%)"
            )
        return text + (
            ". The words alone often do not show whether someone is for or against; treat these "
            "as a guide."
        )

    @property
    def stance_accuracy(self) -> dict | None:
        """The stance model's cross-validated accuracy on people's codes, when measured."""
        figures = ((self.coding.metrics or {}) if self.coding else {}).get("stance") or {}
        return figures if figures.get("accuracy") is not None else None

    def partner_rows(self) -> list[tuple[str, int, list[int]]]:
        """(partner type, its coded answers, each theme's count) in label order."""
        return [
            (label, base, [theme.by_partner_type.get(label, 0) for theme in self.themes])
            for label, base in sorted(self.partner_types.items())
        ]


def settled_words(settled: int, mine: int | None = None) -> str:
    """' (3 of them settled by a colleague where coders disagreed)', said after "N coded by
    people" on the pages and in the downloads; "" when no code was settled. (Answers people
    coded differently that nobody has settled are not people's codes in any count:
    :attr:`CodedReport.unsettled_words` says them apart.) ``mine``: on a page, how many of
    the settled codes the person reading it settled, so their own are never said to be a
    colleague's ("settled by you", "2 by you")."""
    said = []
    if settled and mine and mine >= settled:
        said.append(f"{settled} of them settled by you where coders disagreed")
    elif settled and mine:
        said.append(f"{settled} of them settled where coders disagreed, {mine} by you")
    elif settled:
        said.append(f"{settled} of them settled by a colleague where coders disagreed")
    return f" ({'; '.join(said)})" if said else ""


def stale_words(codebook: Codebook, coding: MachineCoding | None) -> str:
    """A warning when the codebook was replaced after the model's coding was made (its
    themes may not be the codebook's any more), else ""."""
    if coding is None or codebook.created_at is None or coding.created_at is None:
        return ""
    if codebook.created_at <= coding.created_at:
        return ""
    return (
        f"The codebook was replaced ({uk_time(codebook.created_at)}) after the model was last "
        "applied: the model's coding still follows the old codebook, and answers it coded only "
        "with themes the new one leaves out count as having no codebook theme. Apply the model "
        "again."
    )


def partner_label(code: str | None) -> str:
    """'university' -> 'University'; no answer -> 'Not given'."""
    if not code or code == "not_given":
        return "Not given"
    return PARTNER_TYPE_LABELS.get(code, code)


def _is(count: int) -> str:
    return "is" if count == 1 else "are"


def coded_report(question: Question, shown: AnalysisRun | None = None) -> CodedReport | None:
    """The question's answers coded against its codebook, or None without a codebook;
    ``shown``: the run of the question it is shown beside, if any (see :attr:`drift`)."""
    codebook = db.session.scalar(select(Codebook).where(Codebook.question_id == question.id))
    if codebook is None:
        return None
    from .settling import waiting

    coding = latest_codings([codebook.id]).get(codebook.id)
    report = coded_counts(codebook, coding, model_for=waiting(codebook))
    report.shown = shown
    return report


def coded_counts(
    codebook: Codebook,
    coding: MachineCoding | None,
    leave_out: Collection[int] = (),
    model_for: Collection[int] = (),
) -> CodedReport:
    """The codebook's question's answers coded against it: people's latest codes, and
    ``coding``'s (a machine coding of this codebook, or None) for the rest. ``leave_out``:
    responses counted apart, in no figure but ``waiting`` (people coded them, so the model's
    code is not counted either; the coding page). ``model_for``: responses whose people's
    codes are not counted, the model's code (if any) counting instead, as for an answer
    nobody coded; ``unsettled`` counts them (the run's report, for the responses people
    coded differently and nobody has settled)."""
    base = answered(codebook.question_id, codebook.consultation_id)
    waiting: set[int] = set()
    if leave_out:
        waiting = set(db.session.scalars(base.where(Answer.response_id.in_(list(leave_out)))))
        base = base.where(Answer.response_id.not_in(list(waiting))) if waiting else base
    model_for = sorted(set(model_for) - waiting)
    unsettled = set(db.session.scalars(base.where(Answer.response_id.in_(model_for))))
    result = CodedReport(
        codebook=codebook,
        coding=coding,
        answered=int(db.session.scalar(select(func.count()).select_from(base.subquery())) or 0)
        + len(waiting),
        themes=[CodedTheme(t.key, t.name) for t in codebook.themes],
        waiting=waiting,
        unsettled=len(unsettled),
        floor=floor_of(coding),
        floor_why=floor_why_of(coding),
    )
    by_key = {theme.key: theme for theme in result.themes}
    ranked = _latest_human([codebook.id])
    human = db.session.execute(
        select(
            cast(ranked.c.themes, Text),
            ranked.c.stance,
            Response.partner_type,
            ranked.c.priority,
            func.count(),
        )
        .join(Response, Response.id == ranked.c.response_id)
        .where(
            ranked.c.rank == 1,
            ranked.c.response_id.in_(base),
            ranked.c.response_id.not_in(sorted(unsettled)),
        )
        .group_by(
            cast(ranked.c.themes, Text), ranked.c.stance, Response.partner_type, ranked.c.priority
        )
    ).all()
    for themes, stance, partner_type, priority, count in human:
        result.human += count
        if priority == 0:
            result.settled += count
        _add(result, by_key, _keys(themes), stance, "human", partner_type, count)
        for key in _keys(themes):
            if key in by_key:
                by_key[key].human += count
        if not any(key in by_key for key in _keys(themes)):
            result.no_theme.human += count
    if result.settled:
        result.settled_by.update(
            dict(
                db.session.execute(
                    select(SettledCode.settled_by_email, func.count())
                    .where(
                        SettledCode.codebook_id == codebook.id,
                        SettledCode.response_id.in_(base),
                    )
                    .group_by(SettledCode.settled_by_email)
                ).all()
            )
        )
    if coding is not None:
        people = select(HumanCode.response_id).where(
            HumanCode.codebook_id == codebook.id,
            HumanCode.response_id.not_in(sorted(unsettled)),
        )
        grouped = [
            cast(MachineCode.themes, Text),
            MachineCode.stance,
            MachineCode.stance_source,
            Response.partner_type,
            # unsure, counted apart (the floor inline, so select and group by match)
            MachineCode.confidence < literal_column(f"{float(result.floor):.6f}"),
        ]
        if unsettled:  # which groups are of them (ids inline, so select and group by match)
            inline = [literal_column(str(int(r))) for r in sorted(unsettled)]
            grouped.append(MachineCode.response_id.in_(inline))
        machine = db.session.execute(
            select(*grouped, func.count())
            .join(Response, Response.id == MachineCode.response_id)
            .where(
                MachineCode.coding_id == coding.id,
                MachineCode.response_id.in_(base),
                MachineCode.response_id.not_in(people),
            )
            .group_by(*grouped)
        ).all()
        for themes, stance, source, partner_type, unsure, *of_unsettled, count in machine:
            # an answer waiting to be settled that the model coded counts as the model coded
            # it, unsure or not (it was counted both unsure and waiting: code18)
            result.unsettled_by_model += count if any(of_unsettled) else 0
            if unsure:
                result.unsure += count
                # not counted with the model's code: the words say so (left26)
                result.unsettled_unsure += count if any(of_unsettled) else 0
                if source == "agreement":
                    # the respondent's own answer to the paired question, not a guess of the
                    # model's: its stance counts though its themes do not (smoke30b #1)
                    result.unsure_with_stance += count
                    name = stance if stance in STANCE_ORDER else NOT_CODED
                    result.stance.setdefault("agreement", Counter())[name] += count
                continue
            result.machine += count
            _add(result, by_key, _keys(themes), stance, source or "model", partner_type, count)
            for key in _keys(themes):
                if key in by_key:
                    by_key[key].machine += count
            if not any(key in by_key for key in _keys(themes)):
                # none, or only themes a replaced codebook left out (as _add counts them)
                result.no_theme.machine += count
    return result


def _add(
    result: CodedReport,
    by_key: dict[str, CodedTheme],
    keys: list[str],
    stance: str | None,
    source: str,
    partner_type: str | None,
    count: int,
) -> None:
    """Count one group of answers into the stance split and the partner type breakdown."""
    label = partner_label(partner_type)
    stance_name = stance if stance in STANCE_ORDER else NOT_CODED
    result.stance.setdefault(source, Counter())[stance_name] += count
    result.partner_types[label] += count
    if source == "human":
        result.partner_people[label] += count
    themes = [by_key[key] for key in keys if key in by_key] or [result.no_theme]
    for theme in themes:
        theme.stance[stance_name] += count
        theme.by_partner_type[label] += count


# --- one response at a time ----------------------------------------------------------------


@dataclass
class ResponseCode:
    """One answer's coding: people's latest code where there is one, else the model's."""

    codebook_id: int
    response_id: int
    themes: list[str]
    # "human", "settled" (see :data:`SOURCE_WORDS`), "model", "unsure" (the model's guess
    # below the confidence floor: not coded; ``themes`` hold the guess) or "" (see unsettled)
    source: str
    confidence: float | None  # the model's; None for a person's code
    stance: str | None
    stance_source: str | None  # "human", "settled", "agreement", "model" or None
    coder: str | None = None  # who coded it (for "settled": who settled it)
    coded_at: datetime | None = None
    # people coded it differently and nobody has settled it: the code is the model's, as the
    # report counts it (``source`` "" when the model has not coded it: not coded yet)
    unsettled: bool = False
    # the model's code from a cold start (:func:`cold_of`): ``confidence`` is no confidence
    cold: bool = False

    @property
    def confidence_words(self) -> str:
        """The model's confidence as a page says it: "confidence 0.83", or at a cold start
        what its number is instead (:data:`COLD_WHY`); "" for a person's code."""
        if self.confidence is None:
            return ""
        return COLD_WHY if self.cold else f"confidence {self.confidence:.2f}"

    @property
    def unsure_words(self) -> str:
        """Why the model is unsure of this answer, as a page says it in brackets."""
        if self.cold:
            return COLD_UNSURE_WHY
        return f"confidence {self.confidence or 0:.2f}, below the floor it counts from"

    @property
    def confidence_cell(self) -> str | float:
        """The downloads' confidence cell: the number to 4 places, :data:`COLD_CONFIDENCE`
        at a cold start, "" for a person's code."""
        if self.confidence is None:
            return ""
        return COLD_CONFIDENCE if self.cold else round(self.confidence, 4)

    @property
    def disagreement(self) -> str:
        """The answer's disagreement cell: "not settled", "settled" or "", by the one rule
        (:func:`consult.reports.settling.disagreement`)."""
        return settling.disagreement(self.source == "settled", self.unsettled)


def waiting_by_codebook(codebooks: Iterable[Codebook]) -> dict[int, frozenset[int]]:
    """Codebook id -> the responses people coded differently and nobody has settled: those
    :func:`consult.reports.coding.learned_codes` leaves out and the run's report counts with
    the model's code (:func:`coded_report`), found by the same rule
    (:func:`consult.reports.settling.waiting`). Only codebooks with any."""
    from .settling import waiting

    found = {codebook.id: frozenset(waiting(codebook)) for codebook in codebooks}
    return {codebook_id: ids for codebook_id, ids in found.items() if ids}


def response_codes(
    codebook_ids: list[int],
    response_ids: list[int] | Select,
    session: Session | None = None,
    unsettled: Mapping[int, Collection[int]] | None = None,
) -> dict[tuple[int, int], ResponseCode]:
    """The coding of these responses (ids, or a query of ids) in these codebooks, by
    (codebook id, response id). ``session``: the request's by default (a streamed export
    passes its own). ``unsettled``: codebook id -> responses people coded differently and
    nobody has settled (:func:`waiting_by_codebook`; the downloads pass it, so they give what
    the report counts): their people's codes are passed over for the model's code, or a
    code with no source (not coded yet) where the model has none, marked ``unsettled``
    (the response pages pass it too, and say who coded what)."""
    session = session or db.session
    if not codebook_ids or (isinstance(response_ids, list) and not response_ids):
        return {}
    unsettled = unsettled or {}
    found: dict[tuple[int, int], ResponseCode] = {}
    ranked = _latest_human(codebook_ids, response_ids)
    for row in session.execute(select(ranked).where(ranked.c.rank == 1)):
        source = "settled" if row.priority == 0 else "human"
        if source == "human" and row.response_id in unsettled.get(row.codebook_id, ()):
            found[(row.codebook_id, row.response_id)] = ResponseCode(
                codebook_id=row.codebook_id,
                response_id=row.response_id,
                themes=[],
                source="",
                confidence=None,
                stance=None,
                stance_source=None,
                unsettled=True,
            )
            continue
        found[(row.codebook_id, row.response_id)] = ResponseCode(
            codebook_id=row.codebook_id,
            response_id=row.response_id,
            themes=_keys(row.themes),
            source=source,
            confidence=None,
            stance=row.stance,
            # "agreement" where the coder kept the respondent's own side (HumanCode.stance_source)
            stance_source=("agreement" if row.stance_source == "agreement" else source)
            if row.stance
            else None,
            coder=row.coder_email,
            coded_at=row.coded_at,
        )
    latest = latest_codings(codebook_ids, session).values()
    codings = {c.id: c.codebook_id for c in latest}
    floors = {c.id: floor_of(c) for c in latest}
    colds = {c.id for c in latest if cold_of(c)}
    if codings:
        for row in session.execute(
            select(
                MachineCode.coding_id,
                MachineCode.response_id,
                MachineCode.themes,
                MachineCode.confidence,
                MachineCode.stance,
                MachineCode.stance_source,
            ).where(
                MachineCode.coding_id.in_(list(codings)),
                MachineCode.response_id.in_(response_ids),
            )
        ):
            slot = (codings[row.coding_id], row.response_id)
            waits = slot in found and found[slot].unsettled
            if slot in found and not waits:
                continue  # a person has coded it since
            found[slot] = ResponseCode(
                codebook_id=slot[0],
                response_id=row.response_id,
                themes=list(row.themes or []),
                source=UNSURE if row.confidence < floors[row.coding_id] else "model",
                confidence=row.confidence,
                stance=row.stance,
                stance_source=row.stance_source,
                unsettled=waits,
                cold=row.coding_id in colds,
            )
    return found


def theme_names(codebook_ids: list[int]) -> dict[int, dict[str, str]]:
    """Codebook id -> theme key -> name."""
    names: dict[int, dict[str, str]] = {}
    if not codebook_ids:
        return names
    for codebook_id, key, name in db.session.execute(
        select(CodebookTheme.codebook_id, CodebookTheme.key, CodebookTheme.name)
        .where(CodebookTheme.codebook_id.in_(codebook_ids))
        .order_by(CodebookTheme.codebook_id, CodebookTheme.position)
    ):
        names.setdefault(codebook_id, {})[key] = name
    return names


def themes_text(code: ResponseCode | None, names: dict[str, str]) -> str:
    """'T01: Buses; T03: Housing' ('-' when coded with no theme, '' when not coded, the
    model's unsure guess included)."""
    if code is None or not code.source or code.source == UNSURE:
        return ""
    return "; ".join(f"{key}: {names.get(key, key)}" for key in code.themes) or "-"


def source_cell(code: ResponseCode) -> str:
    """An answer's coding source cell: its source, or, for an answer people coded
    differently, nobody has settled and the model has not coded, "not settled" by the one
    rule (:attr:`ResponseCode.disagreement`), as the coding download's ``source`` says it,
    never a blank that reads "not coded yet"."""
    if code.source:
        return code.source
    return NOT_SETTLED if code.disagreement == NOT_SETTLED else ""


def code_cells(code: ResponseCode | None, names: dict[str, str]) -> list[str | float]:
    """An answer's coding as export cells: themes, source, confidence, stance, stance
    source, disagreement (all empty when nobody has coded it; for an answer people coded
    differently, nobody has settled and the model has not coded, no themes and "not settled"
    as its source and its disagreement: :func:`source_cell`)."""
    if code is None:
        return ["", "", "", "", "", ""]
    return [
        themes_text(code, names),
        source_cell(code),
        code.confidence_cell,
        coding_stance(code.stance),
        code.stance_source or "",
        code.disagreement,
    ]


@dataclass
class ResponseCoding:
    """A response's coding for one question, for the response pages."""

    question_id: int
    title: str  # "Q3: Why do you say that?"
    answered: bool  # whether the response has a non-blank answer to the question
    codebook_id: int
    code: ResponseCode | None
    names: dict[str, str]
    coders: frozenset[str] = frozenset()  # everyone who coded it (the page shows the latest)
    # the coders' codes, oldest first, when people coded it differently and nobody has
    # settled it (:func:`consult.reports.settling.disagreement`: "not settled"); ``code`` is
    # then what the reports count meanwhile, the model's (or none: not coded yet)
    waiting: tuple[settling.CoderCode, ...] = ()

    @property
    def themes(self) -> list[tuple[str, str]]:
        return [(key, self.names.get(key, key)) for key in (self.code.themes if self.code else [])]

    @property
    def source_words(self) -> str:
        return SOURCE_WORDS.get(self.code.source, "") if self.code else ""

    @property
    def stance_words(self) -> str:
        if self.code is None or not self.code.stance:
            return "not coded"
        said = coding_stance(self.code.stance)  # 'neither', as every page says 'mixed'
        return f"{said} ({STANCE_SOURCES.get(self.code.stance_source or '', '')})"

    def stance_words_for(self, viewer: str) -> str:
        """:attr:`stance_words` on a page ``viewer`` (an email) reads: a stance they settled
        themselves is "settled by you", not by a colleague."""
        words = self.stance_words
        if self.settled_by_viewer(viewer) and self.code.stance_source == "settled":
            return words.replace("settled by a colleague", "settled by you")
        return words

    def coded_by_viewer(self, viewer: str) -> bool:
        """Whether the code shown is ``viewer``'s own (one person's, not settled): the page
        says "Coded by you", as it says "settled by you"."""
        return bool(
            self.code is not None
            and self.code.source == "human"
            and (self.code.coder or "").casefold() == (viewer or "").casefold()
        )

    def settled_by_viewer(self, viewer: str) -> bool:
        """Whether the code shown is one ``viewer`` settled."""
        return bool(
            self.code is not None
            and self.code.source == "settled"
            and (self.code.coder or "").casefold() == (viewer or "").casefold()
        )


def response_coding(response: Response) -> list[ResponseCoding]:
    """The response's coding in each of its consultation's codebooks, in question order: as
    the reports count it, and, where people coded it differently and nobody has settled it,
    each coder's code (``waiting``), so the page says the codes disagree instead of showing
    the latest one."""
    by_question = dict(
        db.session.execute(
            select(Codebook.question_id, Codebook.id).where(
                Codebook.consultation_id == response.consultation_id
            )
        ).all()
    )
    if not by_question:
        return []
    codebook_ids = list(by_question.values())
    waiting = settling.waiting_for(codebook_ids, response.id)
    # as the reports count it: a response waiting to be settled has the model's code, if any
    codes = response_codes(
        codebook_ids, [response.id], unsettled={c: {response.id} for c in waiting}
    )
    names = theme_names(codebook_ids)
    coders: dict[int, set[str]] = {}
    for codebook_id, email in db.session.execute(
        select(HumanCode.codebook_id, HumanCode.coder_email).where(
            HumanCode.response_id == response.id,
            HumanCode.codebook_id.in_(list(by_question.values())),
        )
    ):
        coders.setdefault(codebook_id, set()).add(email)
    answers = response.answer_map()
    found = []
    for number, question in enumerate(response.consultation.questions, 1):
        codebook_id = by_question.get(question.id)
        if codebook_id is None:
            continue
        answer = answers.get(question.id)
        found.append(
            ResponseCoding(
                question_id=question.id,
                title=f"{number_label(number)}: {question.text}",
                answered=bool(answer and (answer.value or "").strip()),
                codebook_id=codebook_id,
                code=codes.get((codebook_id, response.id)),
                names=names.get(codebook_id, {}),
                coders=frozenset(coders.get(codebook_id, ())),
                waiting=waiting.get(codebook_id, ()),
            )
        )
    return found
