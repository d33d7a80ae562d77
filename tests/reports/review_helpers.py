"""Helpers for review and document tests: a question with answers, and a run stored straight
from a fitted :class:`analysis.ThemeModel` (no queue, no job), shaped as ``reports``' own
``runs.store_results`` stores it (keys matched to a previous run's by member overlap)."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from scipy.optimize import linear_sum_assignment
from sqlalchemy import insert, select

from consult.extensions import db
from consult.models import Answer, Consultation, Question, Response, utcnow
from consult.reports.models import AnalysisRun, RunAssignment, RunTheme
from consult.tokens import new_reference
from tests.helpers import make_consultation

TOPICS = {
    "buses": [
        "buses are late",
        "the bus timetable is unreliable",
        "more frequent bus services",
        "bus routes in the evening",
        "bus fares are too high",
        "the bus stop shelters",
    ],
    "cycling": [
        "safe cycle lanes",
        "protected bike lanes",
        "secure bike parking",
        "cyclists feel unsafe",
        "cycle routes to work",
        "bike hire scheme",
    ],
    "housing": [
        "affordable housing",
        "social housing for families",
        "house prices are too high",
        "new homes near stations",
        "housing costs and rents",
        "building more homes",
    ],
    "skills": [
        "apprenticeships for young people",
        "adult skills courses",
        "college training funding",
        "digital skills training",
        "skills for local employers",
        "further education colleges",
    ],
}
PARTNER_TYPES = ["business", "university", "council", "vcse"]


def make_question(slug: str = "review-test") -> tuple[Consultation, Question]:
    """The test consultation and its free-text "Why do you say that?" question."""
    consultation = make_consultation(slug)
    why = next(q for q in consultation.questions if q.text.startswith("Why"))
    return consultation, why


def add_answers(
    consultation: Consultation, question: Question, count: int, seed: int = 1
) -> list[Response]:
    """``count`` submitted responses answering ``question`` about the four topics."""
    rng = random.Random(seed)
    names = list(TOPICS)
    made = []
    for i in range(count):
        topic = names[i % len(names)]
        first, second = rng.sample(TOPICS[topic], 2)
        response = Response(
            consultation=consultation,
            reference=new_reference(),
            status="submitted",
            organisation_name=f"Organisation {i}",
            partner_type=PARTNER_TYPES[(i // 4 + (i % 4 == 0)) % len(PARTNER_TYPES)],
            area="coventry",
            submitted_at=utcnow(),
        )
        response.answers.append(Answer(question_id=question.id, value=f"{first} and {second}"))
        db.session.add(response)
        made.append(response)
    db.session.commit()
    return made


def answers_of(question: Question) -> dict[str, list[Any]]:
    """The question's submitted answers: ids, references, texts and partner types."""
    rows = db.session.execute(
        select(Response.id, Response.reference, Answer.value, Response.partner_type)
        .join(Answer, Answer.response_id == Response.id)
        .where(Answer.question_id == question.id, Response.status == "submitted")
        .order_by(Response.id)
    ).all()
    return {
        "ids": [r[0] for r in rows],
        "references": [r[1] for r in rows],
        "texts": [r[2] for r in rows],
        "partner_type": [r[3] or "not_given" for r in rows],
    }


def review_members(run: AnalysisRun) -> dict[str, set[str]]:
    """What a rerun matches its themes to: the previous run's machine themes' members."""
    from consult.reports.review import machine_members

    return machine_members(run)


# What ``stored_run`` reads from a fitted model.
FITTED = (
    "engine_",
    "summary_",
    "non_substantive_",
    "themes_",
    "theme_ids_",
    "texts_",
    "confidence_",
    "memberships_",
    "stance_",
    "sentiment_",
    "duplicate_group_",
    "flags_",
)
_fits: dict[tuple, tuple[list[str], dict[str, Any]]] = {}


def _renamed(value: Any, names: dict[str, str]) -> Any:
    """A deep copy of ``value`` with every string in ``names`` replaced by its new name."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        return {_renamed(k, names): _renamed(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(_renamed(v, names) for v in value))
    if isinstance(value, tuple):
        return tuple(_renamed(v, names) for v in value)
    if isinstance(value, set | frozenset):
        return type(value)(_renamed(v, names) for v in value)
    return copy.deepcopy(value)


def fitted_model(
    texts: list[str],
    references: list[str],
    partner_type: list[str],
    agreement: list[str] | None,
    n_themes: int,
    seed: int,
) -> SimpleNamespace:
    """The fast engine's fit of these answers, made once per session for each set of
    arguments (the fit is deterministic; response references are only labels, so a cached
    fit is handed out with this call's references in place of the first call's)."""
    key = (tuple(texts), tuple(partner_type), tuple(agreement or ()), n_themes, seed)
    if key not in _fits:
        from analysis import ThemeModel

        model = ThemeModel(n_themes=n_themes, engine="fast", seed=seed).fit(
            texts,
            ids=references,
            segments={"partner_type": partner_type},
            agreement=agreement,
        )
        _fits[key] = (list(references), {name: getattr(model, name) for name in FITTED})
    first, fitted = _fits[key]
    names = dict(zip(first, references, strict=True))
    return SimpleNamespace(**{name: _renamed(value, names) for name, value in fitted.items()})


def stored_run(
    consultation: Consultation,
    question: Question,
    n_themes: int = 4,
    previous: AnalysisRun | None = None,
    replay: Callable[[AnalysisRun, AnalysisRun], Any] | None = None,
    seed: int = 0,
) -> AnalysisRun:
    """Fit the fast engine on the question's answers and store the run (succeeded). With
    ``previous``, keys are matched to its machine themes by member overlap and ``replay``
    (e.g. ``review.replay_edits``) runs in a savepoint before the run is committed, as the
    job does."""
    data = answers_of(question)
    # A "why" text's agreement answers give the stance, as the job passes them.
    agreement = ["Agree", "Disagree", "Strongly agree"] if question.explains_id else None
    model = fitted_model(
        data["texts"],
        data["references"],
        data["partner_type"],
        [agreement[i % 3] for i in range(len(data["texts"]))] if agreement else None,
        n_themes,
        seed,
    )
    run = AnalysisRun(
        consultation_id=consultation.id,
        question_id=question.id,
        stance_question_id=question.explains_id,
        status="running",
        settings={
            "engine": "fast",
            "n_themes": n_themes,
            "seed": seed,
            "segments": ["partner_type"],
        },
        engine_used=model.engine_,
        input_count=len(data["texts"]),
        previous_run_id=previous.id if previous is not None else None,
        started_by_email="analyst@example.org",
        summary=dict(model.summary_) | {"non_substantive_bucket": model.non_substantive_},
    )
    db.session.add(run)
    db.session.flush()
    engine_ids = [t["id"] for t in model.themes_]
    keys = {e: e for e in engine_ids}
    if previous is not None:
        members: dict[str, set[str]] = {e: set() for e in engine_ids}
        for row, engine_id in enumerate(model.theme_ids_):
            if engine_id in members:
                members[engine_id].add(data["references"][row])
        before = review_members(previous)
        old, new = list(before), list(members)
        scores = [
            [len(members[n] & before[o]) / max(1, len(members[n] | before[o])) for o in old]
            for n in new
        ]
        used = {
            k
            for k in db.session.scalars(
                select(RunTheme.key)
                .join(AnalysisRun, AnalysisRun.id == RunTheme.run_id)
                .where(AnalysisRun.question_id == question.id)
            )
        }
        highest = max(int(k[1:]) for k in used)
        matched = {}
        if old:
            for r, c in zip(*linear_sum_assignment(scores, maximize=True), strict=True):
                if scores[r][c] >= 0.2:
                    matched[new[r]] = old[c]
        for engine_id in engine_ids:
            if engine_id in matched:
                keys[engine_id] = matched[engine_id]
            else:
                highest += 1
                keys[engine_id] = f"T{highest:02d}"
    themes = {}
    for position, theme in enumerate(model.themes_):
        low, high = theme["share_ci95"]
        themes[theme["id"]] = RunTheme(
            run_id=run.id,
            key=keys[theme["id"]],
            position=position,
            label=theme["label"],
            keywords=theme["keywords"],
            size=theme["size"],
            mentions=theme["mentions"],
            share=theme["share"],
            share_low=low,
            share_high=high,
            stance=theme["stance"],
            sentiment=0.1,
            stability=theme["stability"],
            quotes=theme["quotes"],
            summary=theme["summary"],
            segments=theme.get("segments", {}),
            origin="machine",
        )
    db.session.add_all(themes.values())
    db.session.flush()
    rows = []
    for row in range(len(data["texts"])):
        primary = model.theme_ids_[row]
        rows.append(
            {
                "run_id": run.id,
                "response_id": data["ids"][row],
                "reference": data["references"][row],
                "text": model.texts_[row],
                "theme_id": themes[primary].id if primary in themes else None,
                "themes": [
                    [keys[engine_ids[i]], float(model.confidence_[row]) if n == 0 else None]
                    for n, i in enumerate(model.memberships_[row])
                ],
                "confidence": float(model.confidence_[row]),
                "stance": model.stance_[row],
                "sentiment": round(float(model.sentiment_[row]), 4),
                "duplicate_group": model.duplicate_group_[row] or None,
                "flags": list(model.flags_[row]),
                "moved_by_hand": False,
                "segments": {"partner_type": data["partner_type"][row]},
            }
        )
    db.session.execute(insert(RunAssignment), rows)
    db.session.flush()
    if previous is not None and replay is not None:
        with db.session.begin_nested():
            replay(previous, run)
    run.status = "succeeded"
    run.finished_at = utcnow()
    db.session.commit()
    return run


def snapshot(run: AnalysisRun) -> dict[str, Any]:
    """Everything a review edit may change: every theme's columns and every coding."""
    from consult.models import as_utc
    from consult.reports.review import THEME_FIELDS

    db.session.expire_all()
    themes = {}
    for theme in db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id)):
        data = {name: getattr(theme, name) for name in THEME_FIELDS}
        data["reviewed_at"] = as_utc(theme.reviewed_at)
        themes[theme.key] = data
    codings = {
        row.reference: (row.theme_id, row.themes, row.confidence, row.moved_by_hand)
        for row in db.session.scalars(select(RunAssignment).where(RunAssignment.run_id == run.id))
    }
    return {"themes": themes, "codings": codings}
