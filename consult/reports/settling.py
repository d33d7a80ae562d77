"""Settling disagreements between coders, request-free.

When two or more people code the same response differently (themes or stance), the team
settles it: someone with coding rights picks the agreed themes and stance. The settled code
(:class:`SettledCode`) becomes the response's human code: the model learns from it and the
reports count it (:func:`consult.reports.coding.human_codes`,
:func:`consult.reports.coded.response_codes`). Each coder's own code stays as it was, so the
agreement between coders (:func:`consult.reports.coding.intercoder_figures`) is still
measured on what they coded, not on what was agreed afterwards.

A settled response leaves the list of disagreements; it comes back only when a coder codes
it again, after it was settled, differently from the settled code.

Views call these and turn :class:`consult.reports.coding.CodingError` into a form error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from ..models import Response, utcnow
from ..wording import number_label
from .coding import CodingError, answers, check_code
from .coding_models import STANCES, Codebook, HumanCode, SettledCode


@dataclass(frozen=True)
class CoderCode:
    """One coder's code of a disagreed response, as the list shows it."""

    id: int  # the HumanCode's id (the settling page can start from it)
    coder: str  # the coder's email, as the app names staff
    themes: tuple[str, ...]
    stance: str | None
    coded_at: datetime


@dataclass(frozen=True)
class Disagreement:
    """A response coders coded differently, with each coder's code (oldest first)."""

    response_id: int
    reference: str
    codes: tuple[CoderCode, ...]
    settled: SettledCode | None = None  # a settlement a later code has reopened

    @property
    def themes_differ(self) -> bool:
        return len({frozenset(c.themes) for c in self.codes}) > 1

    @property
    def stance_differs(self) -> bool:
        return len({c.stance for c in self.codes}) > 1


def _same(themes: tuple[str, ...] | list[str], stance: str | None, other) -> bool:
    return frozenset(themes) == frozenset(other.themes or ()) and stance == other.stance


def settled_codes(codebook: Codebook) -> dict[int, SettledCode]:
    """The codebook's settled codes, by response id."""
    return {
        s.response_id: s
        for s in db.session.scalars(
            select(SettledCode).where(SettledCode.codebook_id == codebook.id)
        )
    }


def settled_code(codebook: Codebook, response_id: int) -> SettledCode | None:
    """The response's settled code, if the team has settled it."""
    return db.session.scalar(
        select(SettledCode).where(
            SettledCode.codebook_id == codebook.id, SettledCode.response_id == response_id
        )
    )


def coder_codes(codebook: Codebook, response_id: int) -> list[CoderCode]:
    """Every coder's code of the response, oldest first."""
    return [
        _coder_code(code)
        for code in db.session.scalars(
            select(HumanCode)
            .where(HumanCode.codebook_id == codebook.id, HumanCode.response_id == response_id)
            .order_by(HumanCode.coded_at, HumanCode.id)
        )
    ]


def _coder_code(code: HumanCode) -> CoderCode:
    return CoderCode(
        id=code.id,
        coder=code.coder_email,
        themes=tuple(code.themes or ()),
        stance=code.stance,
        coded_at=code.coded_at,
    )


# A response's disagreement, as every page and download says it (:func:`disagreement`).
NOT_SETTLED = "not settled"
SETTLED = "settled"


def differ(codes: list[CoderCode] | tuple[CoderCode, ...]) -> bool:
    """Whether two or more people coded the response and their codes differ (themes or
    stance)."""
    return len(codes) > 1 and len({(frozenset(c.themes), c.stance) for c in codes}) > 1


def disagreement(settled: bool, coded_differently: bool) -> str:
    """The one rule for a response's disagreement, which the coding page, the coding
    downloads, the run's report and its downloads and the response exports all follow:

    - ``"settled"`` (:data:`SETTLED`) when the team has settled it: the settled code counts
      and the model learns from it, even where a coder has coded it differently since (it is
      then back on the list of disagreements, and its settled code stands until it is
      settled again);
    - ``"not settled"`` (:data:`NOT_SETTLED`) when people coded it differently
      (:func:`differ`) and nobody has settled it: no person's code counts for it, nor does
      the model learn from it (:func:`waiting`);
    - else ``""``."""
    if settled:
        return SETTLED
    return NOT_SETTLED if coded_differently else ""


def disagreements_by_response(codebook: Codebook) -> dict[int, str]:
    """Response id -> its :func:`disagreement` word, for the responses that have one (every
    per-answer download reads this, or follows the same rule)."""
    found = {response_id: SETTLED for response_id in settled_codes(codebook)}
    found.update({response_id: NOT_SETTLED for response_id in waiting(codebook)})
    return found


def waiting_for(codebook_ids: list[int], response_id: int) -> dict[int, tuple[CoderCode, ...]]:
    """Codebook id -> the coders' codes (oldest first) of one response, in the codebooks where
    it waits to be settled (:func:`disagreement` says "not settled"): for its response pages."""
    if not codebook_ids:
        return {}
    settled = set(
        db.session.scalars(
            select(SettledCode.codebook_id).where(
                SettledCode.codebook_id.in_(codebook_ids), SettledCode.response_id == response_id
            )
        )
    )
    by_codebook: dict[int, list[CoderCode]] = {}
    for code in db.session.scalars(
        select(HumanCode)
        .where(HumanCode.codebook_id.in_(codebook_ids), HumanCode.response_id == response_id)
        .order_by(HumanCode.coded_at, HumanCode.id)
    ):
        by_codebook.setdefault(code.codebook_id, []).append(_coder_code(code))
    return {
        codebook_id: tuple(codes)
        for codebook_id, codes in by_codebook.items()
        if disagreement(codebook_id in settled, differ(codes)) == NOT_SETTLED
    }


def _open(codes: list[CoderCode], settled: SettledCode | None) -> bool:
    """Whether these codes are a disagreement still to settle (on the list of
    disagreements: never settled, or coded differently since it was settled)."""
    if not differ(codes):
        return False
    if settled is None:
        return True
    return any(
        _aware(c.coded_at) > _aware(settled.settled_at) and not _same(c.themes, c.stance, settled)
        for c in codes
    )


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes (stored as UTC); PostgreSQL aware ones."""
    from datetime import UTC

    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _coded_twice(codebook: Codebook, never_settled: bool = False) -> dict[int, list[CoderCode]]:
    """Every code of the responses two or more people coded, oldest first, by response (the
    database picks those responses: a report counting codes reads no other code);
    ``never_settled``: only those with no settled code."""
    twice = (
        select(HumanCode.response_id)
        .where(HumanCode.codebook_id == codebook.id)
        .group_by(HumanCode.response_id)
        .having(func.count() > 1)
    )
    if never_settled:
        twice = twice.where(
            HumanCode.response_id.not_in(
                select(SettledCode.response_id).where(SettledCode.codebook_id == codebook.id)
            )
        )
    by_response: dict[int, list[CoderCode]] = {}
    for code in db.session.scalars(
        select(HumanCode)
        .where(HumanCode.codebook_id == codebook.id, HumanCode.response_id.in_(twice))
        .order_by(HumanCode.coded_at, HumanCode.id)
    ):
        by_response.setdefault(code.response_id, []).append(_coder_code(code))
    return {r: codes for r, codes in by_response.items() if len(codes) > 1}


def disagreements(codebook: Codebook) -> list[Disagreement]:
    """Responses two or more people coded differently and nobody has settled (or a coder
    changed their code, differently, after it was settled), in answer order."""
    candidates = _coded_twice(codebook)
    if not candidates:
        return []
    settled = settled_codes(codebook)
    answer_set = answers(codebook)
    found = []
    for response_id, reference in zip(answer_set.response_ids, answer_set.references, strict=True):
        codes = candidates.get(response_id)
        if codes and _open(codes, settled.get(response_id)):
            found.append(
                Disagreement(response_id, reference, tuple(codes), settled.get(response_id))
            )
    return found


@dataclass(frozen=True)
class StartingCode:
    """What the settle form starts with before anyone picks a coder's code.

    ``themes`` is None when the coders share no theme (nothing is ticked: the team chooses),
    and empty when every coder chose "None of these themes". ``stance_from`` says where the
    stance came from: ``"coders"`` (every coder gave it), ``"answer"`` (the respondent's own
    agreement answer, as on the coding form) or ``""`` (not coded)."""

    themes: tuple[str, ...] | None
    stance: str | None
    stance_from: str


def agreed_stance(codes: list[CoderCode] | tuple[CoderCode, ...]) -> str | None:
    """The stance every coder gave, when they all gave the same one; else None."""
    stances = {c.stance for c in codes}
    return next(iter(stances)) if len(stances) == 1 else None


def starting_code(
    codes: list[CoderCode] | tuple[CoderCode, ...], answer_stance: str | None
) -> StartingCode:
    """The settle form's starting point: the themes every coder chose and the stance they all
    gave (or, when they differ or left it out, the one the respondent's own agreement answer
    gives), so settling a disagreement about themes never drops what the coders agreed on."""
    shared = [key for key in codes[0].themes if all(key in c.themes for c in codes[1:])]
    if shared:
        themes: tuple[str, ...] | None = tuple(shared)
    elif all(not c.themes for c in codes):
        themes = ()
    else:
        themes = None
    agreed = agreed_stance(codes)
    if agreed is not None:
        return StartingCode(themes, agreed, "coders")
    if answer_stance in STANCES:
        return StartingCode(themes, answer_stance, "answer")
    return StartingCode(themes, None, "")


def starting_words(starting: StartingCode, coders: int, answer_number: int | None) -> str:
    """What the settle form starts with, in a sentence or two ("" when it starts empty)."""
    from .wording import stance_label

    who = "both people" if coders == 2 else f"all {coders} people"
    agreed = []
    if starting.themes:
        keys = ", ".join(starting.themes)
        agreed.append(f"theme {keys}" if len(starting.themes) == 1 else f"themes {keys}")
    elif starting.themes == ():
        agreed.append("none of the themes")
    if starting.stance_from == "coders":
        agreed.append(f"stance ‘{stance_label(starting.stance)}’")
    words = f"The form starts from what {who} who coded it agreed on: {' and '.join(agreed)}."
    words = words if agreed else ""
    if starting.stance_from == "answer":
        answer = "their own answer"
        if answer_number:
            answer = f"their answer to {number_label(answer_number)}"
        words += (
            f" Its stance starts as ‘{stance_label(starting.stance)}’, from {answer}, as the "
            "people who coded it did not give the same stance."
        )
    return words.strip()


def dropped_stance(
    codes: list[CoderCode] | tuple[CoderCode, ...], stance: str | None
) -> str | None:
    """The stance every coder agreed on, when the settled code leaves stance out; else None.
    Settling may do so only on purpose: the page says so, and asks when no stance was sent."""
    agreed = agreed_stance(codes)
    return agreed if agreed is not None and not stance else None


def waiting_codes(codebook: Codebook) -> dict[int, list[CoderCode]]:
    """The coders' codes of each response people coded differently that nobody has settled
    yet, by response id: the model does not learn from these and the coding page counts them
    apart (a response settled before and coded differently since keeps its settled code
    until it is settled again, so it is not among them)."""
    candidates = _coded_twice(codebook, never_settled=True)
    return {
        r: codes
        for r, codes in candidates.items()
        if disagreement(False, differ(codes)) == NOT_SETTLED
    }


def waiting(codebook: Codebook) -> set[int]:
    """The ids of :func:`waiting_codes`."""
    return set(waiting_codes(codebook))


def settler_words(
    email: str | None, at: datetime | None, viewer: str, name: str = "", colleague: bool = False
) -> str:
    """Who settled a code and when, as a page ``viewer`` (an email) reads it after "settled
    by": "you (4 December 2026 at 5:34pm)" for their own; else the colleague's name where
    the team has one, with their email, "Jane Smith (jane@…, 4 December …)", or the email
    alone. ``colleague``: say "a colleague" first (where the sentence does not name them
    otherwise)."""
    from ..times import uk_time

    when = uk_time(at, empty="")
    if email and viewer and email.casefold() == viewer.casefold():
        return f"you ({when})" if when else "you"
    inside = ", ".join(part for part in (email or "", when) if part)
    if name:
        return f"{'a colleague, ' if colleague else ''}{name} ({inside})"
    if colleague:
        return f"a colleague ({inside})"
    return f"{email} ({when})" if when else (email or "a colleague")


def count(codebook: Codebook) -> int:
    """How many disagreements are waiting to be settled."""
    return len(disagreements(codebook))


def settle(
    codebook: Codebook, response_id: int, by: str, themes: list[str], stance: str | None
) -> SettledCode:
    """Record the team's agreed code for a response two or more people coded (replacing an
    earlier settlement), and note it in the audit log; committed. The coders' own codes are
    left as they were."""
    from .. import audit
    from .runs import question_number

    check_code(codebook, themes, stance)
    keys = [t.key for t in codebook.themes]
    coders = coder_codes(codebook, response_id)
    if len(coders) < 2:
        raise CodingError("Only a response two or more people have coded can be settled.")
    code = settled_code(codebook, response_id)
    if code is None:
        code = SettledCode(codebook_id=codebook.id, response_id=response_id)
        db.session.add(code)
    code.themes = sorted(set(themes), key=keys.index)
    code.stance = stance
    code.settled_by_email = by
    code.settled_at = utcnow()
    response = db.session.get(Response, response_id)
    reference = response.reference if response is not None else str(response_id)
    audit.record(
        "coding_settled",
        codebook.question.section.consultation.slug,
        actor=by,
        question_number=question_number(codebook.question),
        response=reference,
        themes=list(code.themes) or "none of the codebook's themes",
        stance=stance or "not coded",
        coders=[c.coder for c in coders],
    )
    db.session.commit()
    return code
