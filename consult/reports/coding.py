"""Coding rules, request-free: codebooks from a run or a file, saving a coder's codes, the
next response to code, applying the model (the job's body) and what the figures say.

Views call these and turn :class:`CodingError` into a form error.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, distinct, func, select, update
from sqlalchemy.exc import IntegrityError

from analysis.codebook import Code
from analysis.codebook import Codebook as BookOfCodes
from analysis.errors import InputError
from analysis.report import (
    LABEL_FEW_TAG,
    LABEL_TAGS,
    SHOWN_COUNT,
    UNSTABLE_TAG,
    how_many_make,
    is_unstable,
    leading_sentence,
    theme_flags,
    too_few_answers,
)

from ..extensions import db
from ..models import Answer, Question, Response, utcnow
from ..wording import plural
from .coding_models import (
    STANCES,
    Codebook,
    CodebookTheme,
    HumanCode,
    MachineCode,
    MachineCoding,
    SettledCode,
)
from .coding_over import over_given_record, over_given_sentence
from .models import AnalysisRun
from .runs import AnswerSet, answers_for, number_label, stability_measured_now

SUGGESTIONS_KEPT = 100

log = logging.getLogger(__name__)


class CodingError(ValueError):
    """A coding action that cannot be done, with a message for the person who asked."""


# --- codebooks ---------------------------------------------------------------------------


def codebook_for(question: Question) -> Codebook | None:
    """The question's codebook, if it has one."""
    return db.session.scalar(select(Codebook).where(Codebook.question_id == question.id))


def _replace_themes(
    codebook: Codebook, book: BookOfCodes, references: dict[str, list[str]] | None = None
) -> None:
    used = _used_keys(codebook)
    missing = sorted(used - set(book.ids))
    if missing:
        raise CodingError(
            f"Responses are coded with {', '.join(missing)}, which the new codebook leaves "
            "out. Keep those ids in the codebook."
        )
    codebook.themes.clear()
    db.session.flush()
    for position, code in enumerate(book.codes):
        codebook.themes.append(
            CodebookTheme(
                key=code.id,
                position=position,
                name=code.name[:300],
                description=code.description,
                keywords=list(code.keywords),
                examples=list(code.examples),
                example_references=list((references or {}).get(code.id) or [])
                or [""] * len(code.examples),
            )
        )


def _used_keys(codebook: Codebook) -> set[str]:
    if codebook.id is None:
        return set()
    return {
        key
        for table in (HumanCode, SettledCode)
        for themes in db.session.scalars(
            select(table.themes).where(table.codebook_id == codebook.id)
        )
        for key in themes or []
    }


def _save_codebook(
    question: Question,
    book: BookOfCodes,
    source: str,
    by: str,
    references: dict[str, list[str]] | None = None,
) -> Codebook:
    from .. import audit
    from .runs import question_number

    codebook = codebook_for(question)
    replaced = codebook is not None
    if codebook is None:
        codebook = Codebook(
            consultation_id=question.section.consultation_id, question_id=question.id
        )
        db.session.add(codebook)
    codebook.source = source[:200]
    codebook.created_by_email = by
    codebook.created_at = utcnow()
    _replace_themes(codebook, book, references)
    # Audited: every coded count of the question follows the codebook.
    audit.record(
        "codebook_replaced" if replaced else "codebook_set",
        question.section.consultation.slug,
        actor=by,
        question_number=question_number(question),
        source=source[:200],
        themes=len(book.codes),
    )
    db.session.commit()
    return codebook


EXAMPLES = 5  # a codebook theme's examples, at most
_WORD = re.compile(r"[a-z]{3,}")


def _point_sentence(text: str, label: str) -> str:
    """Of a quoted answer, the sentence sharing most words with the theme's label (the one
    that makes its point; the whole answer when it is one sentence)."""
    from analysis.describe import split_sentences

    found = [sentence.strip() for sentence in split_sentences(text) if sentence.strip()]
    if len(found) < 2:
        return text.strip()
    named = set(_WORD.findall(label.lower()))
    return max(found, key=lambda sentence: len(named & set(_WORD.findall(sentence.lower()))))


def theme_examples(theme: Any) -> list[tuple[str, str]]:
    """(response reference, text) examples of a run theme for its codebook entry, each one
    sentence making one of its points, not a whole answer that makes several: the sentences
    the analysis chose to state its points (its summary, each from one answer), then its
    quotes cut to their sentence nearest the label; no text twice, at most
    :data:`EXAMPLES`."""
    chosen: list[tuple[str, str]] = []
    seen: set[str] = set()
    points = [p for p in theme.summary or [] if p.get("text") and not p.get("only_point")]
    quotes = [q for q in theme.quotes or [] if q.get("text")]
    candidates = [(str(p.get("id") or ""), str(p["text"]).strip()) for p in points] + [
        (str(q.get("id") or ""), _point_sentence(str(q["text"]), theme.label or "")) for q in quotes
    ]
    for reference, text in candidates:
        if text and text.lower() not in seen:
            seen.add(text.lower())
            chosen.append((reference, text))
    return chosen[:EXAMPLES]


KEYWORDS_DESCRIBED = 5  # a description built from a run names this many keywords, at most


def theme_description(theme: Any) -> str:
    """A codebook description for a run theme: the one a reviewer wrote, else one made from
    the theme's own point, its label, with its top keywords ("Answers making the point “…”,
    with words such as …"); '' when the run stores neither. The summary's points are not
    used: they are the *other* points a theme's answers make, often another theme's, so a
    coder reading one as the description would be told the theme is about something else.
    Editable afterwards, as any description."""
    if (theme.description or "").strip():
        return theme.description.strip()
    label = (theme.label or "").strip().rstrip(".")
    keywords = [str(k).strip() for k in theme.keywords or [] if str(k).strip()]
    words = f"with words such as {', '.join(keywords[:KEYWORDS_DESCRIBED])}" if keywords else ""
    if label and words:
        return f"Answers making the point “{label}”, {words}."
    if label:
        return f"Answers making the point “{label}”."
    if words:
        return f"Answers {words}."
    return ""


@dataclass
class FlaggedTheme:
    """A run's theme that should be looked at before it becomes a codebook theme."""

    key: str
    label: str
    reasons: list[str]


# Why the codebook check lists a theme tagged "unstable grouping" (rev16): a codebook theme is
# coded by people and the model as a category of its own, and a grouping that another
# analysis of the same answers would draw differently is often no such category (on ArgKP, 40 %
# of unstable themes match no expert key point against 14 % of the others: BENCHMARKS.md
# "Theme stability"), so coders would disagree over where its answers go.
# At most 25 words, as GOV.UK asks of a sentence (bench/readability.py counts them; left18).
UNSTABLE_CODE_REASON = (
    f"{UNSTABLE_TAG}: another analysis could group its answers differently, so coders may "
    "confuse it with its neighbours; merge any that make the same point"
)


def codebook_flags(run: AnalysisRun) -> list[FlaggedTheme]:
    """The run's visible themes nobody has marked reviewed, tagged "unstable grouping" as the
    report tags them (:func:`analysis.report.is_unstable`, today's measure only; explained in
    :data:`UNSTABLE_CODE_REASON`), or whose label the report flags
    (:data:`analysis.report.LABEL_TAGS`, in the report's words, from
    :func:`analysis.report.theme_flags` as the report page calls it: made by fewer than
    half, another point commoner or about as common; smallfix finding 1): the codebook would
    keep their names and descriptions as they are, so the coding page asks first. A run of
    too few answers judges neither stability nor labels, as its report does."""
    flagged = []
    few = too_few_answers(int(run.input_count or 0))  # no count means anything then
    for theme in run.visible_themes:
        reasons = []
        if theme.reviewed_at is None:
            reasons.append("not marked reviewed")
        if not few and is_unstable(theme.stability, stability_measured_now(run, theme)):
            reasons.append(UNSTABLE_CODE_REASON)
        flags = theme_flags(None, theme.mentions, theme.label_point, few=few, summary=theme.summary)
        for flag in (f for f in flags if f in LABEL_TAGS):
            made = (
                f"{flag}: about {theme.label_point:,} of the {theme.mentions:,} answers "
                f"mentioning it make{'s' if theme.label_point == 1 else ''} the label's point"
            )
            other = leading_sentence(theme.label_point, theme.mentions, theme.summary)[0]
            count = (other or {}).get(SHOWN_COUNT)
            if flag == LABEL_FEW_TAG or not isinstance(count, int):
                reasons.append(made)
            else:
                reasons.append(f"{made}, {how_many_make(count, theme.mentions, theme.label_point)}")
        if reasons:
            flagged.append(FlaggedTheme(theme.key, theme.label or theme.key, reasons))
    return flagged


def codebook_from_run(run: AnalysisRun, by: str) -> Codebook:
    """The run's visible (reviewed) themes become the question's codebook: each theme's key,
    label, description (:func:`theme_description`), keywords and examples
    (:func:`theme_examples`: the sentences that make its points)."""
    if run.status != "succeeded":
        raise CodingError("Only a finished run's themes can become a codebook.")
    codes = []
    references: dict[str, list[str]] = {}
    for theme in run.visible_themes:
        examples = theme_examples(theme)
        references[theme.key] = [reference for reference, _ in examples]
        codes.append(
            Code(
                id=theme.key,
                name=theme.label or theme.key,
                description=theme_description(theme),
                keywords=tuple(theme.keywords or ()),
                examples=tuple(text for _, text in examples),
            )
        )
    if not codes:
        raise CodingError("This run has no themes to use.")
    return _save_codebook(run.question, BookOfCodes(tuple(codes)), f"run {run.id}", by, references)


def import_codebook(question: Question, data: bytes, filename: str, by: str) -> Codebook:
    """A codebook from an uploaded CSV or JSON file (see :mod:`analysis.codebook`)."""
    from analysis.codebook import parse_codebook

    try:
        book = parse_codebook(data, filename or "codebook")
    except InputError as error:
        raise CodingError(str(error)) from None
    return _save_codebook(question, book, f"file {filename}"[:200], by)


def as_book(codebook: Codebook) -> BookOfCodes:
    """The stored codebook as the analysis library's :class:`analysis.codebook.Codebook`."""
    return BookOfCodes(
        tuple(
            Code(
                id=t.key,
                name=t.name,
                description=t.description or "",
                keywords=tuple(t.keywords or ()),
                examples=tuple(t.examples or ()),
            )
            for t in codebook.themes
        )
    )


# --- human codes ---------------------------------------------------------------------------


def answers(codebook: Codebook) -> AnswerSet:
    """The question's submitted, non-blank answers, in response order."""
    return answers_for(codebook.question)


def check_code(codebook: Codebook, themes: list[str], stance: str | None) -> None:
    """Raise :class:`CodingError` unless every theme is in the codebook and the stance is
    one of :data:`STANCES` (or None): a coder's code and a settled one alike."""
    keys = {t.key for t in codebook.themes}
    unknown = [t for t in themes if t not in keys]
    if unknown:
        raise CodingError(f"Theme {unknown[0]} is not in the codebook.")
    if stance is not None and stance not in STANCES:
        raise CodingError("Choose for, against, mixed or not coded for stance.")


def save_code(
    codebook: Codebook,
    response_id: int,
    coder: str,
    themes: list[str],
    stance: str | None,
    given: str | None = None,
) -> HumanCode:
    """Record (or replace) this coder's code for the response. ``given``: the stance the
    respondent's own answer to the paired agreement question gives, if any (the form fills
    it in); a stance equal to it is recorded with the source ``agreement`` (the coder kept
    what the respondent said, whether by leaving it or by choosing it again: the form cannot
    tell the two apart, and neither adds to the respondent's own answer), another one
    ``human``."""
    check_code(codebook, themes, stance)
    code = db.session.scalar(
        select(HumanCode).where(
            HumanCode.codebook_id == codebook.id,
            HumanCode.response_id == response_id,
            HumanCode.coder_email == coder,
        )
    )
    if code is None:
        code = HumanCode(codebook_id=codebook.id, response_id=response_id, coder_email=coder)
        db.session.add(code)
    order = [t.key for t in codebook.themes]
    code.themes = sorted(set(themes), key=order.index)
    code.stance = stance
    code.stance_source = stance_source(stance, given)
    code.coded_at = utcnow()
    db.session.commit()
    return code


def stance_source(stance: str | None, given: str | None) -> str | None:
    """Where a coder's stance came from: "agreement" when it is the one the respondent's own
    agreement answer gives, "human" when the coder gave another, None without a stance."""
    if not stance:
        return None
    return "agreement" if given and stance == given else "human"


def human_codes(codebook: Codebook) -> dict[int, HumanCode | SettledCode]:
    """Each response's human code (what the model learns from and reports count): the code
    the team settled on where coders disagreed (:mod:`consult.reports.settling`), else the
    latest coder's."""
    latest: dict[int, HumanCode | SettledCode] = {}
    for code in db.session.scalars(
        select(HumanCode)
        .where(HumanCode.codebook_id == codebook.id)
        .order_by(HumanCode.coded_at, HumanCode.id)
    ):
        latest[code.response_id] = code
    for settled in db.session.scalars(
        select(SettledCode).where(SettledCode.codebook_id == codebook.id)
    ):
        latest[settled.response_id] = settled
    return latest


def agreeing_coders(
    codebook: Codebook, counted: dict[int, HumanCode | SettledCode] | None = None
) -> dict[int, str]:
    """For each response whose counted code is one coder's (:func:`human_codes`), every coder
    who gave it that same coding (themes and stance), in the order they coded, joined with
    "; " (smoke18w #9: the download named only the latest of two who agreed)."""
    counted = human_codes(codebook) if counted is None else counted
    by_response: dict[int, list[HumanCode]] = {}
    for code in db.session.scalars(
        select(HumanCode)
        .where(HumanCode.codebook_id == codebook.id)
        .order_by(HumanCode.coded_at, HumanCode.id)
    ):
        by_response.setdefault(code.response_id, []).append(code)
    joined = {}
    for response_id, code in counted.items():
        if not isinstance(code, HumanCode):
            continue
        same = [
            other.coder_email
            for other in by_response.get(response_id, [])
            if set(other.themes or []) == set(code.themes or []) and other.stance == code.stance
        ]
        joined[response_id] = "; ".join(dict.fromkeys(same)) or code.coder_email
    return joined


def learned_codes(codebook: Codebook) -> dict[int, HumanCode | SettledCode]:
    """The human codes the model learns from, by response id: the settled code where the
    team settled one, else the coders' code where they all coded it alike (or only one
    coded it). A response people coded differently that nobody has settled
    (:func:`consult.reports.settling.waiting`) is left out until it is settled: the latest
    coder's code is one opinion of two, not an agreed example."""
    from .settling import waiting

    left_out = waiting(codebook)
    return {r: code for r, code in human_codes(codebook).items() if r not in left_out}


def coded_counts(codebook: Codebook, coder: str) -> tuple[int, int]:
    """(responses this coder has coded, responses anyone has coded), counted in the
    database (the coding page shows them on every response)."""
    where = HumanCode.codebook_id == codebook.id
    mine = db.session.scalar(
        select(func.count()).select_from(HumanCode).where(where, HumanCode.coder_email == coder)
    )
    anyone = db.session.scalar(select(func.count(distinct(HumanCode.response_id))).where(where))
    return int(mine or 0), int(anyone or 0)


def coder_codes(codebook: Codebook, response_id: int, coder: str) -> HumanCode | None:
    """This coder's code for the response, if any."""
    return db.session.scalar(
        select(HumanCode).where(
            HumanCode.codebook_id == codebook.id,
            HumanCode.response_id == response_id,
            HumanCode.coder_email == coder,
        )
    )


def latest_coding(codebook: Codebook, status: str | None = "succeeded") -> MachineCoding | None:
    """The newest machine coding (of this status)."""
    query = select(MachineCoding).where(MachineCoding.codebook_id == codebook.id)
    if status:
        query = query.where(MachineCoding.status == status)
    return db.session.scalar(query.order_by(MachineCoding.id.desc()).limit(1))


def machine_code(coding: MachineCoding | None, response_id: int) -> MachineCode | None:
    """The model's coding of one response in a machine coding."""
    if coding is None:
        return None
    return db.session.scalar(
        select(MachineCode).where(
            MachineCode.coding_id == coding.id, MachineCode.response_id == response_id
        )
    )


def machine_codes(coding: MachineCoding | None) -> dict[int, MachineCode]:
    """Every response's machine code in this machine coding, by response id."""
    if coding is None:
        return {}
    return {
        m.response_id: m
        for m in db.session.scalars(select(MachineCode).where(MachineCode.coding_id == coding.id))
    }


def partner_types(response_ids: list[int]) -> dict[int, str | None]:
    """Each response's partner type code, by response id."""
    return dict(
        db.session.execute(
            select(Response.id, Response.partner_type).where(Response.id.in_(response_ids))
        ).all()
    )


def to_check(codebook: Codebook, coder: str) -> list[int]:
    """Responses a colleague has coded and this coder has not, in answer order: coding them
    measures the two coders' agreement (:func:`intercoder_figures`)."""
    theirs: set[int] = set()
    mine: set[int] = set()
    for response_id, email in db.session.execute(
        select(HumanCode.response_id, HumanCode.coder_email).where(
            HumanCode.codebook_id == codebook.id
        )
    ):
        (mine if email == coder else theirs).add(response_id)
    waiting = theirs - mine
    return [r for r in answers(codebook).response_ids if r in waiting]


def next_response(
    codebook: Codebook,
    coder: str,
    after: int | None = None,
    check: bool = False,
    skipped: Collection[int] = (),
) -> int | None:
    """The response this coder should code next: the model's most useful suggestion that
    nobody has coded, else the least sure of the answers the model left unsure
    (:func:`unsure_responses`), else the first answer nobody has coded; None when all are
    coded.
    ``check``: instead the next response a colleague has coded and this coder has not.
    ``skipped``: responses this coder has put aside for now (never offered)."""
    if check:
        return next((r for r in to_check(codebook, coder) if r != after and r not in skipped), None)
    coded = set(human_codes(codebook))
    mine = {
        c.response_id
        for c in db.session.scalars(
            select(HumanCode).where(
                HumanCode.codebook_id == codebook.id, HumanCode.coder_email == coder
            )
        )
    }
    skip = coded | mine | ({after} if after else set()) | set(skipped)
    coding = latest_coding(codebook)
    for item in (coding.suggestions if coding else []) or []:
        if item["response_id"] not in skip:
            return int(item["response_id"])
    for response_id in unsure_responses(coding):
        if response_id not in skip:
            return response_id
    for response_id in answers(codebook).response_ids:
        if response_id not in skip:
            return response_id
    return None


def unsure_responses(coding: MachineCoding | None) -> list[int]:
    """The responses this coding left "not coded: the model is unsure" (below its confidence
    floor, :func:`consult.reports.coded.floor_of`), least sure first: after the model's
    suggestions, the queue offers them before the rest, as a person's code is what counts them."""
    from .coded import floor_of

    if coding is None:
        return []
    return list(
        db.session.scalars(
            select(MachineCode.response_id)
            .where(MachineCode.coding_id == coding.id, MachineCode.confidence < floor_of(coding))
            .order_by(MachineCode.confidence, MachineCode.response_id)
        )
    )


def suggestion_reason(codebook: Codebook, response_id: int) -> str | None:
    """Why the model asked for this response, if it did, as the end of a sentence that
    starts "Chosen because " (see :func:`reason_words`)."""
    coding = latest_coding(codebook)
    for item in (coding.suggestions if coding else []) or []:
        if item["response_id"] == response_id:
            return reason_words(codebook, str(item["reason"]))
    return None


_UNSURE_THEME = re.compile(r"unsure whether theme (?P<key>\S+) applies")
_RARE_THEME = re.compile(r"may be an example of theme (?P<key>[^,\s]+), which has \d+ coded")
_FIRST_THEME = re.compile(
    r"may be the first example of theme (?P<key>[^,\s]+), which has no coded example"
)


def _uncoded_theme_words(codebook: Codebook, key: str) -> str:
    """Whether the model can give theme ``key``, which no person has coded: not when the
    model's last application listed it as given to no response
    (:func:`analysis.coverage.no_example`, stored in its metrics) or nothing says; else it
    gives it from the codebook's words and examples (a run's quotes) alone (smoke31: the
    demo's Q6 with 10 coded, T07 given to 10 responses and no person's code)."""
    coding = latest_coding(codebook)
    themes = ((coding.metrics or {}).get("themes") or {}) if coding else {}
    never_given = themes.get("no_example")
    if never_given is None or key in never_given:
        return "the model cannot give a theme until they do"
    return "the model gives it only from the codebook's own words and examples until they do"


def reason_words(codebook: Codebook, reason: str) -> str:
    """The model's reason (:func:`analysis.suggest.suggest`'s ``reason``) in plain words,
    naming the theme. A rare theme's count of coded examples is counted now, from people's
    latest codes: the one in the reason was counted when the model was last applied, and
    people may have coded more since."""
    names = {t.key: t.name for t in codebook.themes}
    both = "unsure of its stance and "
    if reason.startswith(both):  # doubtful on both: the stance and a theme reason
        rest = reason.removeprefix(both)
        if rest.startswith("whether "):
            words = reason_words(codebook, f"unsure {rest}")
            return "the model is " + both + words.removeprefix("the model is unsure ")
        return f"the model is unsure of its stance, and {reason_words(codebook, rest)}"

    def theme(key: str) -> str:
        return f"{key} ({names[key]})" if key in names else key

    if match := _UNSURE_THEME.fullmatch(reason):
        return f"the model is unsure whether theme {theme(match['key'])} applies"
    for pattern, example in ((_RARE_THEME, "an example"), (_FIRST_THEME, "the first example")):
        if match := pattern.fullmatch(reason):
            key = match["key"]
            coded = sum(key in (code.themes or []) for code in learned_codes(codebook).values())
            if not coded:
                return (
                    f"it may be {example} of theme {theme(key)}, which people have not coded "
                    f"any response with yet ({_uncoded_theme_words(codebook, key)})"
                )
            return (  # no longer the first, if it was
                f"it may be an example of theme {theme(key)}, which people have coded "
                f"{coded} response{'' if coded == 1 else 's'} with so far"
            )
    if reason == "unsure of its stance":
        return "the model is unsure of its stance"
    if reason == "a typical response not yet like any coded one":
        # chosen when the model was applied, not since (smoke30 #5: after ten codes, nine of
        # them alike, each next one still said "unlike any coded so far")
        return "it is a typical response, unlike any coded when the model was last applied"
    return f"the model suggested it ({reason})"


# --- the machine -------------------------------------------------------------------------------


def no_answers_message(question: Question) -> str:
    """Why the model cannot be applied to ``question`` yet, in plain words."""
    from .runs import question_number

    return (
        f"There are no submitted answers to question {question_number(question)} yet, so "
        "there is nothing to code. Apply the model once partners have answered it."
    )


ALREADY_APPLYING_MESSAGE = (
    "The model is already being applied, so it was not started a second time. "
    "Its progress is shown below."
)


class AlreadyApplying(CodingError):
    """ "Apply the model" pressed while an application is queued or running (a second press,
    or a stale page): nothing was started, and the coding page shows the first's progress."""


def start_coding(codebook: Codebook, by: str) -> MachineCoding:
    """Queue an application of the model; the worker runs :func:`run_coding`.

    Raises :class:`AlreadyApplying` when one is queued or running: checked first, and
    enforced by the database (a partial unique index, ``ix_machine_coding_one_pending``), so
    of two presses at once in two web processes only one stores a coding.
    """
    if not codebook.themes:
        raise CodingError("The codebook has no themes.")
    running = latest_coding(codebook, status=None)
    if running is not None and running.status in ("queued", "running"):
        raise AlreadyApplying(ALREADY_APPLYING_MESSAGE)
    from .. import audit
    from .runs import has_answers, question_number

    if not has_answers(codebook.question):  # it could only fail in the worker
        raise CodingError(no_answers_message(codebook.question))

    coding = MachineCoding(codebook_id=codebook.id, started_by_email=by)
    db.session.add(coding)
    try:
        db.session.flush()
    except IntegrityError as clash:  # another press stored its coding first
        db.session.rollback()
        raise AlreadyApplying(ALREADY_APPLYING_MESSAGE) from clash
    # Audited, as its results change every coded count of the question (the worker records
    # "coding_model_finished" when it is done).
    audit.record(
        "coding_model_applied",
        codebook.question.section.consultation.slug,
        actor=by,
        question_number=question_number(codebook.question),
        learned_from=len(learned_codes(codebook)),
    )
    db.session.commit()
    return coding


QUEUE_DOWN_MESSAGE = (
    "The model could not be applied because the job queue cannot be reached; "
    "apply it again when the queue is back."
)


def enqueue(coding: MachineCoding) -> MachineCoding:
    """Put the coding's job on the queue; when the queue cannot be reached the coding is
    failed with :data:`QUEUE_DOWN_MESSAGE` (never left queued, which would refuse every
    later try) and :class:`CodingError` says so."""
    from .queue import enqueue_coding, enqueue_or_fail

    enqueue_or_fail(coding, "coding", enqueue_coding, QUEUE_DOWN_MESSAGE, CodingError)
    return coding


STOPPED_MESSAGE = "The worker stopped while applying the model; apply it again."


def beat_codings(coding_ids: list[int]) -> None:
    """Record that these running codings are alive (the worker running them calls this
    every ``WORKER_HEARTBEAT_SECONDS``, in a transaction of its own)."""
    if not coding_ids:
        return
    with db.engine.begin() as connection:
        connection.execute(
            update(MachineCoding)
            .where(MachineCoding.id.in_(coding_ids), MachineCoding.status == "running")
            .values(heartbeat_at=utcnow())
        )


def fail_codings(coding_ids: list[int]) -> int:
    """Mark these codings failed with :data:`STOPPED_MESSAGE` if they are still running
    (a worker stopping with them unfinished); returns how many."""
    if not coding_ids:
        return 0
    with db.engine.begin() as connection:
        return connection.execute(
            update(MachineCoding)
            .where(MachineCoding.id.in_(coding_ids), MachineCoding.status == "running")
            .values(status="failed", error=STOPPED_MESSAGE, finished_at=utcnow())
        ).rowcount


def sweep_stale_codings(
    stale_seconds: float | None = None, running_here: Collection[int] = ()
) -> list[int]:
    """Fail every 'running' coding whose heartbeat is older than ``stale_seconds``
    (default ``RUN_STALE_SECONDS``): its worker was killed. Without this it would stay
    'running' for ever, and applying the model again would be refused for ever. The
    sweeping worker's own codings (``running_here``) are never failed, however late their
    heartbeat. Returns the ids failed."""
    from flask import current_app

    if stale_seconds is None:
        stale_seconds = float(current_app.config["RUN_STALE_SECONDS"])
    cutoff = utcnow() - timedelta(seconds=stale_seconds)
    stale = (MachineCoding.heartbeat_at < cutoff) | (
        MachineCoding.heartbeat_at.is_(None) & (MachineCoding.created_at < cutoff)
    )
    if running_here:
        stale = stale & MachineCoding.id.not_in(list(running_here))
    with db.engine.begin() as connection:
        ids = connection.scalars(
            select(MachineCoding.id).where(MachineCoding.status == "running", stale)
        ).all()
        if ids:
            connection.execute(
                update(MachineCoding)
                .where(MachineCoding.id.in_(ids), MachineCoding.status == "running", stale)
                .values(status="failed", error=STOPPED_MESSAGE, finished_at=utcnow())
            )
    return list(ids)


def run_coding(coding_id: int, engine: str = "auto", floor: float | None = None) -> None:
    """Fit the coding (and stance) models on the human codes and store the machine's coding
    of every other response, the agreement figures and the next responses to code.
    ``floor``: the confidence below which the model's code counts as "not coded: the model
    is unsure" (default :data:`analysis.coding_floor.CONFIDENCE_FLOOR`), raised while people
    have coded few answers (:func:`analysis.coding_floor.floor_for`); the floor used and why
    are recorded with the coding so its figures stay as they were made."""
    from analysis.agreement import coding_metrics, stance_metrics
    from analysis.coding import CodingModel
    from analysis.coding_floor import CONFIDENCE_FLOOR, floor_for, floor_why
    from analysis.coding_stance import RowSides
    from analysis.features import CodingFeatures
    from analysis.stance import stance_from_agreement
    from analysis.stance_model import StanceModel
    from analysis.suggest import suggest

    coding = db.session.get(MachineCoding, coding_id)
    if coding is None or coding.status not in ("queued", "running"):
        return
    coding.status = "running"
    coding.heartbeat_at = utcnow()
    db.session.commit()
    try:
        codebook = coding.codebook
        book = as_book(codebook)
        answer_set = answers(codebook)
        if not answer_set.response_ids:  # removed on request while the job waited
            raise CodingError(no_answers_message(codebook.question))
        # Learned from: agreed, settled or one coder's codes; not the disagreements waiting
        # to be settled (the model codes those too, as it does the uncoded ones).
        human = learned_codes(codebook)
        people = set(human_codes(codebook))
        ids = answer_set.response_ids
        texts = answer_set.texts
        labels = [frozenset(human[i].themes) if i in human else None for i in ids]
        stances = [human[i].stance if i in human else None for i in ids]
        features = CodingFeatures(engine=engine, question=codebook.question.text).fit(
            texts + [c.text() for c in book.codes]
        )
        stance_model = None
        if len({s for s in stances if s}) >= 2:
            stance_model = StanceModel(engine=engine).fit(texts, stances, features=features)
        agreement = answer_set.agreement or [None] * len(ids)
        # Stance first: each response's side (coded, else the respondent's own agreement
        # answer, else the stance model's) tells the coding model which themes are on its
        # side (analysis.coding_stance), as the command line's `code` does.
        sides = RowSides.with_answers(
            stances,
            [stance_from_agreement(answer) for answer in agreement],
            stance_model.proba_ if stance_model else None,
            stance_model.model_.classes_ if stance_model else (),
            stance_model.held_out_proba() if stance_model else None,
        )
        model = CodingModel(engine=engine, question=codebook.question.text).fit(
            texts, labels, book, features=features, sides=sides
        )
        db.session.execute(delete(MachineCode).where(MachineCode.coding_id == coding.id))
        for row, response_id in enumerate(ids):
            if model.source_[row] == "human":
                continue
            stance, source, confidence = _machine_stance(stance_model, agreement[row], row)
            db.session.add(
                MachineCode(
                    coding_id=coding.id,
                    response_id=response_id,
                    themes=sorted(model.coded_[row], key=book.ids.index),
                    confidence=round(float(model.confidence_[row]), 4),
                    stance=stance,
                    stance_source=source,
                    stance_confidence=confidence,
                )
            )
        dense = features.embed(texts)
        uncoded = [row for row in range(len(ids)) if ids[row] not in people]
        picks = suggest(
            SUGGESTIONS_KEPT,
            dense if dense is not None else model.vectors_,
            coding=model,
            stance=_stance_still_open(stance_model, agreement, uncoded),
            uncoded=uncoded,
        )
        metrics: dict[str, Any] = {"themes": coding_metrics(model)}
        metrics["stance"] = (
            stance_metrics(stance_model)
            if stance_model
            else {"accuracy": None, "note": "Code at least one response for and one against."}
        )
        metrics["cold_start"] = bool(model.cold_start_)
        if model.cold_start_:  # answers no theme is close to (analysis.coding.COLD_FIT_RATIO)
            metrics["misfits"] = int(model.misfit_.sum())
        # The floor rises while people have coded few answers (analysis.coding_floor).
        base = CONFIDENCE_FLOOR if floor is None else float(floor)
        learned = sum(label is not None for label in labels)
        metrics["floor"] = floor_for(learned, len(book.ids), base)
        metrics["floor_base"] = base
        metrics["floor_why"] = floor_why(learned, len(book.ids), base)
        # themes the model gives far more often than people did (kept with their names, so
        # the page's warning is the same on every reload: coding_over)
        metrics["over_given"] = over_given_record(
            model.coded_, model.source_, {code.id: code.name for code in book.codes}
        )
        # which encoder made the coding vectors: the fine-tuned one's id, or "minilm"
        metrics["coding_encoder"] = features.encoder_
        coding.metrics = metrics
        coding.suggestions = [{"response_id": ids[p.row], "reason": p.reason} for p in picks]
        coding.engine = features.engine_
        coding.human_count = learned
        coding.machine_count = len(ids) - learned
        coding.status = "succeeded"
    except Exception as error:  # noqa: BLE001 - the job fails clearly, never silently
        if isinstance(error, CodingError):  # an expected end: the reason, no traceback
            log.warning("applying the coding model (coding %s) failed: %s", coding_id, error)
            reason = str(error)
        else:
            log.exception("applying the coding model (coding %s) failed", coding_id)
            reason = f"{type(error).__name__}: {error}"
        db.session.rollback()
        coding = db.session.get(MachineCoding, coding_id)
        coding.status = "failed"
        coding.error = reason[:2000]
    coding.finished_at = utcnow()
    _audit_finished(coding)
    db.session.commit()


def _audit_finished(coding: MachineCoding) -> None:
    """The audit event of an application of the model that has finished (or failed)."""
    from .. import audit
    from .coded import floor_of
    from .runs import question_number

    codebook = coding.codebook
    detail: dict[str, Any] = {"status": coding.status}
    if coding.status == "succeeded":
        floor = floor_of(coding)
        unsure = db.session.scalar(
            select(func.count())
            .select_from(MachineCode)
            .where(MachineCode.coding_id == coding.id, MachineCode.confidence < floor)
        )
        detail.update(
            learned_from=coding.human_count,
            coded_by_the_model=coding.machine_count - int(unsure or 0),
            unsure=int(unsure or 0),
            confidence_floor=floor,
            engine=coding.engine,
        )
    audit.record(
        "coding_model_finished",
        codebook.question.section.consultation.slug,
        actor=coding.started_by_email or "",
        question_number=question_number(codebook.question),
        **detail,
    )


def _stance_still_open(stance_model, agreement: list[str | None], uncoded: list[int]):
    """The stance model as the choice of the next responses should see it: a response whose
    own agreement answer gives its stance is not in doubt, whatever the model thinks (its
    stance is set from that answer on the coding page), so asking for it "because the model
    is unsure of its stance" would waste a coder's time. None when no uncoded response's
    stance is open."""
    from types import SimpleNamespace

    from analysis.stance import stance_from_agreement

    if stance_model is None:
        return None
    given = [row for row in uncoded if stance_from_agreement(agreement[row]) in STANCES]
    if len(given) == len(uncoded):
        return None
    proba = stance_model.proba_.copy()
    proba[given] = 0.0
    proba[given, 0] = 1.0  # certain: no stance doubt
    return SimpleNamespace(proba_=proba)


def _machine_stance(stance_model, agreement: str | None, row: int):
    """Stance for a response no person coded: the respondent's own answer to the paired
    agreement question where there is one, else the stance model's guess."""
    from analysis.stance import stance_from_agreement

    given = stance_from_agreement(agreement)
    if given in STANCES:
        return given, "agreement", 1.0
    if stance_model is None:
        return None, None, None
    return (
        stance_model.stance_[row],
        "model",
        round(float(stance_model.confidence_[row]), 4),
    )


# --- figures ---------------------------------------------------------------------------------


@dataclass
class ThemeCount:
    """How many responses a theme applies to, by who coded them."""

    key: str
    name: str
    human: int = 0
    machine: int = 0
    waiting: int = 0  # responses waiting to be settled in which a coder gave the theme

    @property
    def total(self) -> int:
        return self.human + self.machine


@dataclass
class CodingSummary:
    """Counts that use human codes where they exist and the model's elsewhere."""

    answers: int
    human: int
    machine: int
    uncoded: int
    themes: list[ThemeCount] = field(default_factory=list)
    settled: int = 0  # of ``human``, the codes the team settled where coders disagreed
    # responses people coded differently that nobody has settled: no person's code counts for
    # them (nor does the model learn from them) until they are settled; the model's code counts
    # meanwhile, where it has one, by the one rule of consult.reports.coded.coded_report
    waiting: int = 0
    # the counts line's words for them and the sentence explaining it, as every page and
    # export says them (consult.reports.coded.CodedReport.waiting_words, .unsettled_words)
    waiting_words: str = ""
    unsettled_words: str = ""
    # of ``settled``, how many each person settled (by email)
    settled_by: dict[str, int] = field(default_factory=dict)
    # responses the model coded below the confidence floor: not coded, in no count above
    unsure: int = 0
    # of ``unsure``, those whose stance the respondent's own paired answer gives: counted in
    # ``stance["agreement"]`` (consult.reports.coded.CodedReport.unsure_with_stance)
    unsure_with_stance: int = 0
    floor: float = 0.0
    floor_why: str = ""  # why the floor is raised ("the model has learnt from only 4 codes")
    cold: bool = False  # a cold start: no confidence measured (consult.reports.coded.cold_of)

    @property
    def unsure_words(self) -> str:
        """How many answers the model was unsure of, as a sentence ("" when none)."""
        from .coded import unsure_sentence

        return unsure_sentence(self.unsure, self.floor, self.floor_why, cold=self.cold)

    @property
    def unsure_words_here(self) -> str:
        """:attr:`unsure_words` as the coding page itself says it (how to reach them)."""
        from .coded import unsure_sentence

        return unsure_sentence(self.unsure, self.floor, self.floor_why, here=True, cold=self.cold)

    @property
    def settled_words(self) -> str:
        """What follows "N coded by people" in a file
        (:func:`consult.reports.coded.settled_words`)."""
        from .coded import settled_words

        return settled_words(self.settled)

    def settled_words_for(self, viewer: str) -> str:
        """What follows "N coded by people" on a page ``viewer`` (an email) reads."""
        from .coded import settled_words

        return settled_words(self.settled, mine=self.settled_by.get(viewer, 0))

    # "human", the model's in all ("machine"), and that split by where it came from: the
    # respondent's own answer to the paired agreement question ("agreement") or the
    # stance model's guess ("model"); each stance -> responses
    stance: dict[str, dict[str, int]] = field(default_factory=dict)
    # Partner type label -> (coded answers of that type, theme key -> answers it applies to)
    by_partner_type: dict[str, tuple[int, dict[str, int]]] = field(default_factory=dict)
    # Partner type label -> of its coded answers, those coded by people
    by_partner_type_people: dict[str, int] = field(default_factory=dict)


def summary(codebook: Codebook, coding: MachineCoding | None) -> CodingSummary:
    """Theme counts and stance splits from the human codes the model learns from
    (:func:`learned_codes`), and the model's for the rest (counted in SQL by
    :func:`consult.reports.coded.coded_counts`). Responses people coded differently that
    nobody has settled are counted by the one rule the run's report and every export follow
    (smoke18w #1): no person's code counts for them, the model's does where it has one
    (``model_for``); ``waiting`` says how many, and each theme's ``waiting`` how many of them
    any of their coders gave it."""
    from .coded import coded_counts
    from .settling import waiting_codes

    disputed = waiting_codes(codebook)
    counted = coded_counts(codebook, coding, model_for=set(disputed))
    given: Counter[str] = Counter()
    for codes in disputed.values():
        given.update({key for code in codes for key in code.themes})
    machine: Counter[str] = Counter()
    for source in ("agreement", "model"):
        machine.update(counted.stance.get(source) or {})
    by_source = {
        source: {k: v for k, v in (counted.stance.get(source) or {}).items() if v}
        for source in ("human", "agreement", "model")
    }
    return CodingSummary(
        answers=counted.answered,
        human=counted.human,
        settled=counted.settled,
        settled_by=dict(counted.settled_by),
        waiting=counted.unsettled,
        waiting_words=counted.waiting_words,
        unsettled_words=counted.unsettled_words,
        machine=counted.machine,
        unsure=counted.unsure,
        unsure_with_stance=counted.unsure_with_stance,
        floor=counted.floor,
        floor_why=counted.floor_why,
        cold=counted.cold,
        uncoded=counted.uncoded,
        themes=[
            ThemeCount(t.key, t.name, t.human, t.machine, given[t.key]) for t in counted.themes
        ],
        stance={
            "human": by_source["human"],
            "machine": {k: v for k, v in machine.items() if v},
            "agreement": by_source["agreement"],
            "model": by_source["model"],
        },
        by_partner_type={
            label: (base, {t.key: n for t, n in zip(counted.themes, counts, strict=True) if n})
            for label, base, counts in counted.partner_rows()
        },
        by_partner_type_people=dict(counted.partner_people),
    )


def explained_number(question: Question) -> int | None:
    """The number of the closed question a "why" question explains (1 for Q1), if any."""
    from .runs import question_number

    return question_number(question.explains) if question.explains is not None else None


def stance_lines(counts: CodingSummary, explained_number: int | None) -> list[tuple[str, str]]:
    """(id, sentence) for each source of stance, as the coding page and its Word summary
    both say it: people's codes, then, for a "why" question, the respondent's own answer to
    the paired question and the model's guesses where that answer gives none; otherwise the
    model's. Stances are named as every report names them (For, Against, Neither)."""
    from .coded import NOT_CODED, STANCE_ORDER
    from .wording import stance_label

    order = {name: i for i, name in enumerate((*STANCE_ORDER, NOT_CODED))}

    def listed(found: dict[str, int] | None, empty: str) -> str:
        """'For 1, Neither 2, and 6 with no stance given' (never 'Not coded 6')."""
        found = dict(found or {})
        missing = found.pop(NOT_CODED, 0)
        ranked = sorted(found.items(), key=lambda item: order.get(item[0], len(order)))
        said = ", ".join(f"{stance_label(k)} {n}" for k, n in ranked if n)
        if not missing:
            return said or empty
        if said:
            return f"{said}, and {missing} with no stance given"
        return f"{missing} {'answer' if missing == 1 else 'answers'}, with no stance given"

    lines = [
        ("stance-from-people", f"Coded by people: {listed(counts.stance.get('human'), 'none yet')}")
    ]
    if counts.stance.get("agreement") and explained_number:
        q = number_label(explained_number)
        agreement = listed(counts.stance["agreement"], "none")
        if counts.unsure_with_stance:  # counted here, in no theme (smoke30 #3, smoke30b #1)
            agreement += (
                f" (including {plural(counts.unsure_with_stance, 'answer')} whose themes the "
                "model is unsure of)"
            )
        guessed = listed(counts.stance.get("model"), "none")
        lines.append(
            ("stance-from-agreement", f"From the respondent's own answer to {q}: {agreement}")
        )
        lines.append(
            (
                "stance-from-model",
                f"Guessed by the model (where the answer to {q} gives none): {guessed}",
            )
        )
    else:
        machine = listed(counts.stance.get("machine"), "none yet")
        lines.append(("stance-by-model", f"Coded by the model: {machine}"))
    return lines


# What the agreement figures mean, for the coding page and its Word summary.
F1_MEANING = (
    "F1 shows how closely the model's themes for a response match a person's. It goes from "
    "0 (no theme in common) to 1 (the same themes). The figure is the average over the responses. "
    "The 95% interval is the range it would probably fall in on other responses like these."
)
# The theme table's Precision and Recall columns, on the page and in Word (smoke17 #10).
PRECISION_RECALL_MEANING = (
    "Precision: of the responses the model put in a theme, the share people put there too. "
    "Recall: of the responses people put in a theme, the share the model put there too. Both "
    "go from 0 to 1 and are tested on the responses people coded. In brackets, how many "
    "responses each rests on: a figure from a few responses is a rough guide only."
)


def precision_recall_text(row: dict, which: str) -> str:
    """A theme's precision or recall as the coding page and its Word summary show it: the
    figure and, where the metrics give it, how many responses it rests on ("1.00 (1 of 1)":
    smoke32 found 1.00 and 0.50 on one or two coded responses each, read as firm figures).
    Precision rests on the responses the model put in the theme (``predicted``), recall on
    those people put there (``support``), each of them the ``true_positive`` responses both
    put there, as the metrics counted them (smoke33), or worked back exactly from metrics
    stored before (:func:`true_positive`); "–" where the theme was not measured, a bare
    figure where no count can be had."""
    value = row.get(which)
    if value is None:
        return "–"
    base = row.get("predicted" if which == "precision" else "support")
    hits = true_positive(row, which)
    if base is None or hits is None:
        return f"{value:.2f}"
    return f"{value:.2f} ({hits} of {int(base)})"


# Stored precision and recall are rounded to 4 places, so a count worked back from one is
# exact while its base is under 10,000 (off by at most 0.00005 x base, under a half).
EXACT_BASE = 10_000


def true_positive(row: dict, which: str) -> int | None:
    """The responses both the model and people put in ``row``'s theme: as the metrics
    counted them, or, in metrics stored before they kept the count, worked back from the
    4-place ``which`` figure where that is exact (:data:`EXACT_BASE`; rev33b: a bare figure
    dropped smoke32's "(1 of 1)" from every coding measured before); None otherwise."""
    if row.get("true_positive") is not None:
        return int(row["true_positive"])
    value = row.get(which)
    base = row.get("predicted" if which == "precision" else "support")
    if value is None or base is None or not 0 <= int(base) < EXACT_BASE:
        return None
    return round(float(value) * int(base))


KAPPA_MEANING = (
    "Cohen's kappa shows how far two coders agree on one theme, leaving out the agreement "
    "chance alone would give. 1 is full agreement and 0 is no better than chance. Above about "
    "0.6 is usually taken as good."
)


@dataclass
class AgreementWords:
    """What the page and the Word summary say about the model's figures being current."""

    coded_then: int  # responses people had coded when the model was last applied
    not_measured: str = ""  # why there is no F1 yet ("" when there is one)
    since: str = ""  # how many more people have coded since ("" when none)
    no_theme: str = ""  # how many scored responses had no theme, and what that does to F1
    themed: str = ""  # F1 over the responses with at least one theme
    yardstick: str = ""  # expert agreement, and whether the comparison is fair
    too_few: str = ""  # why the F1 cannot be told yet from so few coded responses ("" if it can)
    over_given: str = ""  # themes the model gives far more often than people did (coding_over)
    reader: str = ""  # how the model read the answers: engine and coding encoder (enc26)


# Below this many coded responses, or with fewer than two themes used by people, an F1 is not
# shown as a figure to go by: the page and the Word summary say it is too few to tell.
F1_MIN_CODED = 20
F1_MIN_THEMES = 2


def too_few_to_tell(themes: dict[str, Any]) -> str:
    """'' when the F1 rests on enough coded responses (at least :data:`F1_MIN_CODED`, with at
    least :data:`F1_MIN_THEMES` themes used by people); else a sentence saying it is too few to
    tell, with the figure as a rough guide only."""
    coded = int(themes.get("coded") or 0)
    used = sum(1 for row in themes.get("per_theme") or [] if (row.get("support") or 0) > 0)
    if coded >= F1_MIN_CODED and used >= F1_MIN_THEMES:
        return ""
    # The themes condition is named only when it is not met: "15 coded, using 7 themes ...
    # with at least 2 themes used" read as if 7 themes were the trouble (smoke27).
    if used >= F1_MIN_THEMES:
        counted, needs = f"{coded} coded", f"{F1_MIN_CODED}"
    else:
        counted = f"{coded} coded, using {used} theme{'' if used == 1 else 's'}"
        needs = f"{F1_MIN_CODED}, with at least {F1_MIN_THEMES} themes used"
    return (
        f"Too few coded responses to tell how good the model is: {counted}. A figure to go by "
        f"needs at least {needs}. Treat the F1 as a rough guide only: code more, then apply "
        "the model again."
    )


def stance_accuracy_words(codebook: Codebook, stance: dict[str, Any]) -> str:
    """The model's stance figure in words, for the coding page. Where every stance people
    coded is the one the respondent's paired agreement answer gives (the coding form sets it
    from that answer), agreement with people measures that answer, not the model: it says so
    instead of "100% right". Too few coded: says that too. The page puts "Stance: " before
    these words, so they do not start with "Stance" again."""
    from analysis.stance import stance_from_agreement

    number = explained_number(codebook.question)
    if number is not None:
        answer_set = answers(codebook)
        agreement = dict(zip(answer_set.response_ids, answer_set.agreement or [], strict=False))
        coded = [c for c in learned_codes(codebook).values() if c.stance]
        preset = [
            c for c in coded if stance_from_agreement(agreement.get(c.response_id)) == c.stance
        ]
        if coded and len(preset) == len(coded):
            return (
                f"taken from the agreement answer. The {len(coded)} stances people coded "
                f"are each respondent's own answer to {number_label(number)}, so how often "
                "the model matches them is not a measure of the model. Responses with an "
                "agreement answer take their stance from it; the model guesses only where that "
                "answer is missing."
            )
    accuracy = stance.get("accuracy")
    if accuracy is None:
        return ""
    low, high = stance.get("accuracy_interval") or (accuracy, accuracy)
    figure = (
        f"{100 * accuracy:.0f}% right on {stance.get('coded', 0)} coded responses (95% interval "
        f"{100 * low:.0f}% to {100 * high:.0f}%)"
    )
    if int(stance.get("coded") or 0) < F1_MIN_CODED:
        return (
            f"{figure}: too few coded responses to tell; code at least {F1_MIN_CODED} for stance."
        )
    return figure + "."


def f1_context(themes: dict[str, Any]) -> tuple[str, str, str]:
    """(no theme, themed F1, yardstick) sentences for a measured sample F1: responses that
    neither the person nor the model gave a theme score a perfect 1.0, so the headline is
    only compared with experts' agreement (about 0.74) when few of them are in it. Empty
    strings for figures measured before these counts were kept."""
    if themes.get("themed") is None:
        return "", "", ""
    coded = int(themes.get("coded") or 0)
    by_people = int(themes.get("no_theme_by_people") or 0)
    both = int(themes.get("no_theme_by_both") or 0)
    if both:
        no_theme = (
            f"People gave no theme to {by_people} of these {coded} responses; for {both} of "
            "them the model gave none either, and each of those counts as full agreement (1.0)."
        )
    elif by_people:  # "for 0 of them ..., and each of those counts" said nothing, clumsily
        no_theme = (
            f"People gave no theme to {by_people} of these {coded} responses; the model gave "
            f"{'each of them' if by_people > 1 else 'it'} a theme."
        )
    else:
        no_theme = ""
    themed_f1 = themes.get("sample_f1_themed")
    if not both:
        themed = ""  # every response had a theme from one side: the headline F1 is this one
    elif themed_f1 is None:
        themed = "No response had a theme from the person or the model, so F1 over themed "
        themed += "responses cannot be measured."
    else:
        low, high = themes["sample_f1_themed_interval"]
        themed = (
            f"Over the {themes['themed']} responses with at least one theme (from the person "
            f"or the model): F1 {themed_f1:.2f} (95% interval {low:.2f} to {high:.2f})."
        )
    if themes.get("fair_to_compare"):
        yardstick = "Experts coding the same answers agree with each other at about 0.74 on "
        yardstick += "this measure." + _not_yet_comparable(themes)
    else:
        yardstick = (
            "With this many responses that have no theme, the F1 above makes the model look "
            "better than it is. It cannot be compared with how well experts agree (about 0.74). "
            "Go by the F1 over responses with a theme and each theme's precision and recall, "
            "and code more responses that have a theme."
        )
    return no_theme, themed, yardstick


def _not_yet_comparable(themes: dict[str, Any]) -> str:
    """The caveat beside the experts' figure while the F1 rests on too few coded responses
    (:func:`too_few_to_tell`), so a figure from a handful is never read as beating experts;
    '' once it rests on enough."""
    if not too_few_to_tell(themes):
        return ""
    coded = int(themes.get("coded") or 0)
    used = sum(1 for row in themes.get("per_theme") or [] if (row.get("support") or 0) > 0)
    if coded < F1_MIN_CODED:
        basis = f"tested on only {plural(coded, 'coded response')}"
    else:
        basis = f"from coded responses using only {plural(used, 'theme')}"
    # As in too_few_to_tell: the themes condition only when it is not met (smoke27).
    themes_too = f", with at least {F1_MIN_THEMES} themes used" if used < F1_MIN_THEMES else ""
    return (
        f" An F1 {basis} cannot be compared with that yet: it needs at least "
        f"{F1_MIN_CODED} coded responses{themes_too}."
    )


def apply_warning(human_now: int, latest: MachineCoding | None, waiting: int = 0) -> str:
    """Said before "Apply the model to the rest" while people have coded fewer than
    :data:`F1_MIN_CODED` responses: the model learns from so few, and its agreement with
    people (the last figure, or that none is measured yet) cannot be told; how many more to
    code. '' when enough are coded. Applying stays possible: this warns, it does not block.
    ``human_now`` counts the codes the model learns from; ``waiting``, the responses people
    coded differently that wait to be settled (said apart: settling them counts too)."""
    from analysis.agreement import MIN_CODED

    if human_now >= F1_MIN_CODED:
        return ""
    themes = ((latest.metrics if latest is not None else None) or {}).get("themes") or {}
    more = F1_MIN_CODED - human_now
    apart = (
        f" the model can learn from ({waiting} more, coded differently, "
        f"{'waits' if waiting == 1 else 'wait'} to be settled)"
        if waiting
        else ""
    )
    start = (
        f"People have coded {plural(human_now, 'response')}{apart}. That is too few to judge "
        "how good the model is. "
    )
    if themes.get("sample_f1") is not None:
        figure = (
            f"When it was last applied, it agreed with people at F1 {themes['sample_f1']:.2f}, "
            f"tested on only {int(themes.get('coded') or 0)} coded responses"
        )
        # Measured already: "Its agreement is first measured once people have coded 10"
        # after the figure read as if it had not been (smoke27). "Its agreement can be told
        # reliably from 20" after "Code 8 more (20 in all) before you rely on it" said the
        # 20 twice, after "too few to judge" and "tested on only 12" (smoke29).
        return (
            f"{start}{figure}. Code {more} more ({F1_MIN_CODED} in all) before you rely on "
            "it. You can still apply it now, as a first look."
        )
    elif human_now >= MIN_CODED:
        # Enough to measure, but not measured at the last application (smoke16 #4: "Code 10
        # more ... once people have coded 10" read as a contradiction when 10 were coded).
        then = int(themes.get("coded", latest.human_count if latest is not None else 0) or 0)
        last = (
            f" (it was last applied when people had coded {then})"
            if latest is not None
            else " (it has not been applied yet)"
        )
        again = " again" if latest is not None else ""
        # One instruction (review fixr2 #6): "Apply the model again ..." then "You can still
        # apply it now, as a first look" read as two, the first to wait.
        return (
            f"{start}Its agreement with people is not measured yet{last}. Apply the "
            f"model{again} now to measure it, as a first look, and code {more} more "
            f"({F1_MIN_CODED} in all) before you rely on it."
        )
    else:
        figure = (
            "Its agreement with people is not measured yet, so nothing says how often it is right"
        )
    # With nothing coded, "Code 20 more (20 in all)" said the number twice (smoke27).
    how_many = f"{more}" if not human_now else f"{more} more ({F1_MIN_CODED} in all)"
    # "Code 20 before you rely on it" says where its agreement can be told reliably: not
    # again as "and can be told reliably from 20" (smoke29).
    return (
        f"{start}{figure}. Code {how_many} before you rely on it. Its agreement is first "
        f"measured once people have coded {MIN_CODED}. You can still apply it now, as a "
        "first look."
    )


def no_example_warning(codebook: Codebook, latest: MachineCoding | None) -> str:
    """Names the themes that had no coded example and were given to no response when the
    model was last applied (``metrics["themes"]["no_example"]``) and that people have still
    not coded a response with: the model cannot give them. Those given only in responses
    people coded differently, which wait to be settled, are named apart: settling is what
    they need. '' when there are none, or no model was applied."""
    themes = ((latest.metrics if latest is not None else None) or {}).get("themes") or {}
    missing = set(themes.get("no_example") or [])
    if not missing:
        return ""
    for code in learned_codes(codebook).values():
        missing -= set(code.themes or [])
    from .settling import waiting_codes

    disputed = {k for codes in waiting_codes(codebook).values() for c in codes for k in c.themes}
    names = [f"{t.key} ({t.name})" for t in codebook.themes if t.key in missing - disputed]
    waiting = [f"{t.key} ({t.name})" for t in codebook.themes if t.key in missing & disputed]
    said = []
    if names:
        one = len(names) == 1
        said.append(
            f"{plural(len(names), 'theme')} of {len(codebook.themes)} "
            f"{'has' if one else 'have'} no coded example yet: {', '.join(names)}. The model "
            f"cannot give {'it' if one else 'them'} to any response until people code a "
            f"response with {'it' if one else 'each'}: find and code "
            f"{'one' if one else 'one for each'}."
        )
    if waiting:
        one = len(waiting) == 1
        said.append(
            f"{plural(len(waiting), 'theme')} of {len(codebook.themes)} "
            f"{'is' if one else 'are'} given only in responses people coded differently, which "
            f"wait to be settled: {', '.join(waiting)}. The model does not learn from those, so "
            f"it cannot give {'it' if one else 'them'} to any response until the team settles "
            "them (or people code another response with "
            f"{'it' if one else 'each'})."
        )
    return " ".join(said)


def since_words(human_now: int, then: int, waiting: int = 0) -> str:
    """How the codes the model can learn from have changed since it was last applied ('' when
    they have not). ``waiting``: responses people coded differently, which wait to be settled
    and are not learned from; they are named, as the apply warning names them, so fewer
    learnable codes than at the last application does not read as codes lost (smoke10
    Notes: "People have coded 9 responses now, 16 when the model was last applied")."""
    if human_now == then:
        return ""
    if not waiting:
        return (
            f"People have coded {plural(human_now, 'response')} now, {then} when the model "
            "was last applied: apply the model again to bring these figures up to date."
        )
    return (
        f"The model can learn from {plural(human_now, 'response')} now ({waiting} more, "
        f"coded differently, {'waits' if waiting == 1 else 'wait'} to be settled); it learned "
        f"from {then} when it was last applied. No code is lost: settle the disagreements, "
        "then apply the model again to bring these figures up to date."
    )


def agreement_words(coding: MachineCoding, human_now: int, waiting: int = 0) -> AgreementWords:
    """The model's agreement figures in words for people: the analysis library's note is
    written for files and counts at the model's last application, which the page's progress
    line (counted now) may have left behind. ``waiting``: responses people coded
    differently, waiting to be settled (:func:`since_words`)."""
    from analysis.agreement import MIN_CODED

    from ..times import uk_time

    themes = (coding.metrics or {}).get("themes") or {}
    then = int(themes.get("coded", coding.human_count) or 0)
    words = AgreementWords(coded_then=then)
    if themes.get("sample_f1") is None:
        cold = bool(themes.get("cold_start"))
        alone = ", so it coded by similarity to the codebook alone" if cold else ""
        words.not_measured = (
            f"Agreement with people is measured once people have coded at least {MIN_CODED} "
            f"responses. When the model was last applied ({uk_time(coding.finished_at)})"
            f" they had coded {then}{alone}."
        )
    else:
        words.no_theme, words.themed, words.yardstick = f1_context(themes)
        words.too_few = too_few_to_tell(themes)
    words.since = since_words(human_now, then, waiting)
    words.over_given = over_given_sentence(coding.metrics)
    words.reader = reader_words(coding)
    return words


def reader_words(coding: MachineCoding) -> str:
    """How the model read the answers when it was last applied, for the figures beside it:
    by words alone (the fast engine), or by words and meaning with plain MiniLM or with the
    fine-tuned coding encoder (:mod:`analysis.coding_encoder`, named by its id as
    metrics.json records it). Empty for a coding stored before either was recorded."""
    encoder = (coding.metrics or {}).get("coding_encoder")
    if coding.engine == "fast":
        return "The model read the answers by their words alone (the fast engine)."
    if coding.engine != "semantic" or not encoder:
        return ""
    meaning = "The model read the answers by their words and by what their sentences mean"
    if encoder == "minilm":
        return f"{meaning}, with plain MiniLM sentence embeddings (all-MiniLM-L6-v2)."
    return (
        f"{meaning}, with the coding encoder: MiniLM fine-tuned on ArgKP's key points ({encoder})."
    )


def intercoder_figures(codebook: Codebook) -> list[dict[str, Any]]:
    """Agreement of each pair of coders on the responses both coded (at least 5)."""
    from analysis.agreement import intercoder

    by_coder: dict[str, dict[int, list[str]]] = {}
    stances: dict[str, dict[int, str]] = {}
    for code in db.session.scalars(select(HumanCode).where(HumanCode.codebook_id == codebook.id)):
        by_coder.setdefault(code.coder_email, {})[code.response_id] = code.themes or []
        if code.stance:
            stances.setdefault(code.coder_email, {})[code.response_id] = code.stance
    coders = sorted(by_coder)
    keys = [t.key for t in codebook.themes]
    pairs = []
    for i, first in enumerate(coders):
        for second in coders[i + 1 :]:
            shared = sorted(set(by_coder[first]) & set(by_coder[second]))
            if len(shared) < 5:
                continue
            figures = intercoder(
                [frozenset(by_coder[first][r]) for r in shared],
                [frozenset(by_coder[second][r]) for r in shared],
                keys,
            )
            for row in figures["per_theme"]:
                ticks = [
                    (row["theme"] in by_coder[first][r], row["theme"] in by_coder[second][r])
                    for r in shared
                ]
                row["agreed"] = sum(a == b for a, b in ticks)
                row["either"] = sum(a or b for a, b in ticks)
                row["responses"] = len(shared)
                row["undefined"] = _kappa_undefined(row, len(shared))
                row["rare"] = not row["undefined"] and _kappa_too_rare(row, len(shared))
                if row["undefined"] or row["rare"]:
                    row["kappa"] = None
            both = [
                r for r in shared if r in stances.get(first, {}) and r in stances.get(second, {})
            ]
            figures["stance_both"] = len(both)
            figures["stance_same"] = sum(stances[first][r] == stances[second][r] for r in both)
            figures["interval_words"] = interval_words(len(shared), figures["sample_f1_interval"])
            pairs.append(
                {"first": first, "second": second, "small": len(shared) < SMALL_SAMPLE, **figures}
            )
    return pairs


# Fewer shared responses than this and the coders' agreement is flagged as a rough guide.
SMALL_SAMPLE = 30
# Fewer shared responses than this and no interval is given for the coders' F1: a 95 %
# percentile bootstrap of so few per-response scores is too narrow, often of no width at all
# (5 responses, 0.00 to 0.00). Simulated with responses agreed at random at a rate of 0.5,
# 0.7 and 0.9 (400 trials each, ``analysis.agreement.bootstrap_interval``): from 5 to 8
# shared responses the interval held the true rate 41 to 95 % of the time and had no width
# in up to 58 %; from 10, 96 % at 0.5 and 0.7 (62 % at 0.9, where the caveat of
# :data:`SMALL_SAMPLE` still stands). Wilson's interval is for a share, not a mean of F1s.
MIN_FOR_INTERVAL = 10


def interval_words(responses: int, interval: list[float] | tuple[float, float]) -> str:
    """What follows a pair of coders' F1: "95% interval 0.61 to 0.88", or why none is given
    (too few shared responses; or every shared response scored alike, which a bootstrap
    cannot give a range from)."""
    if responses < MIN_FOR_INTERVAL:
        return "too few shared responses to give a range"
    low, high = interval
    if low == high:
        return "every shared response scored the same, so no range can be given from them"
    return f"95% interval {low:.2f} to {high:.2f}"


def _kappa_undefined(row: dict[str, Any], responses: int) -> str | None:
    """Why Cohen's kappa cannot be told for this theme, if it cannot: when neither coder
    (or both, every time) used the theme there is nothing to agree or disagree on, and the
    1.0 the calculation gives would look like certainty."""
    if row["first"] == 0 and row["second"] == 0:
        return "neither coder used this theme"
    if row["first"] == responses and row["second"] == responses:
        return "both coders used this theme on every response"
    return None


# Kappa is left out for a theme either coder ticked on fewer than this many shared responses,
# or whose agreement chance alone would nearly give (KAPPA_CHANCE_LIMIT): there it swings on
# one response. Two coders agreed on 17 of 18 responses where one ticked a theme once and the
# other never: kappa 0.00, read as "no better than chance" (smoke17 #6).
KAPPA_MIN_TICKED = 3
KAPPA_CHANCE_LIMIT = 0.95
KAPPA_TOO_RARE = (
    "“Too few to judge”: a theme ticked on fewer than 3 of the shared responses, or so rarely "
    "that chance alone would give nearly full agreement. Kappa swings on one response there, so "
    "the table gives how often the two coders agreed on the theme instead."
)


def _kappa_too_rare(row: dict[str, Any], responses: int) -> bool:
    """Whether the theme was ticked too rarely for kappa to mean anything: by either coder on
    fewer than :data:`KAPPA_MIN_TICKED` shared responses, or with the agreement chance alone
    would give (both coders' rates, ticked and not) at :data:`KAPPA_CHANCE_LIMIT` or more."""
    if row.get("either", 0) < KAPPA_MIN_TICKED:
        return True
    one, two = row["first"] / responses, row["second"] / responses
    return one * two + (1 - one) * (1 - two) >= KAPPA_CHANCE_LIMIT


def kappa_text(row: dict[str, Any]) -> str:
    """A theme's kappa cell, on the coding page and in its Word summary: the figure, or why
    there is none (with the coders' raw agreement when the theme was too rare)."""
    if row.get("kappa") is not None:
        return f"{row['kappa']:.2f}".replace("-", "\u2212")
    if row.get("undefined"):
        return f"not enough to tell ({row['undefined']})"
    if row.get("rare"):
        return f"too few to judge (agreed on {row['agreed']} of {row['responses']})"
    return "\u2013"


def response_text(codebook: Codebook, response_id: int) -> tuple[Response, str] | None:
    """The submitted response and its non-blank answer to the codebook's question, if any
    (one row read, not the question's whole answer set)."""
    from ..models import Answer

    found = db.session.execute(
        select(Response, Answer.value)
        .join(Answer, Answer.response_id == Response.id)
        .where(
            Response.id == response_id,
            Response.status == "submitted",
            Response.consultation_id == codebook.consultation_id,
            Answer.question_id == codebook.question_id,
        )
    ).first()
    if found is None or not (found[1] or "").strip():
        return None
    return found[0], found[1]


@dataclass
class PairedAnswer:
    """What a respondent answered to the agreement question a "why" text explains."""

    number: int
    question: str
    answer: str  # the answer as the respondent saw it, or "Not answered"
    stance: str | None = None  # "for", "against" or "mixed" when the answer gives one
    agreement: bool = False  # an agree/disagree question: stances are worded from it

    @property
    def label(self) -> str:
        """The explained question's short name, 'Q1' (``runs.number_label``)."""
        return number_label(self.number)


def paired_stance(explained: Question, value: str | None) -> str | None:
    """The side the stored answer ``value`` to ``explained`` gives, read as the analysis
    reads an agreement column (:func:`analysis.stance.read_sides`): a choice question whose
    options are numbered on a longer scale than -1/0/1 (1 to 5, say) has no number read as
    a side, since its 1 can mean "strongly disagree" (review19)."""
    from analysis.stance import read_sides, stance_from_agreement

    from ..answers import choices

    if not value:
        return None
    offered = [option for option, _ in choices(explained)]
    return stance_from_agreement(read_sides([value, *offered])[0])


def paired_answer(question: Question, response: Response) -> PairedAnswer | None:
    """The respondent's answer to the closed question ``question`` explains (Q1 for "Why do
    you say that?" after Q1), for the coder to see beside the stance; None when the question
    explains none."""
    from ..survey.review import display_value
    from .runs import question_number

    explained = question.explains
    if explained is None:
        return None
    value = db.session.scalar(
        select(Answer.value).where(
            Answer.response_id == response.id, Answer.question_id == explained.id
        )
    )
    shown = display_value(explained, value) if value else ""
    stance = paired_stance(explained, value)
    return PairedAnswer(
        question_number(explained),
        explained.text,
        shown or "Not answered",
        stance if stance in ("for", "against", "mixed") else None,
        explained.kind == "agreement",
    )
