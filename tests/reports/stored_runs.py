"""A stored analysis run built directly in the database, for page tests and the report page
benchmark: submitted responses, their answers, and a succeeded run with themes, per-response
assignments and segment breakdowns computed by :func:`analysis.segments.segment_breakdown`
(so significance flags are real). Universities raise the first theme far more often than
anyone else, so its partner-type breakdown has a significant difference to explain."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, insert, select

from analysis.segments import segment_breakdown, wilson
from analysis.themes import STABILITY_MEASURE
from consult.extensions import db
from consult.models import Answer, Consultation, Question, Response, utcnow
from consult.reports.models import AnalysisRun, RunAssignment, RunTheme

PARTNERS = ["business", "university", "fe_college", "local_authority_constituent", "vcse"]
AREAS = ["birmingham", "coventry", "walsall"]
SIZES = ["micro", "small", "large"]
AGREEMENT = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]
STANCES = ["for", "against", "mixed", "unclear"]
TOPICS = [
    ("Bus reliability", ["buses", "reliable", "late"]),
    ("Skills funding", ["skills", "funding", "colleges"]),
    ("Housing supply", ["housing", "homes", "affordable"]),
    ("Rail links", ["rail", "stations", "trains"]),
    ("Local control", ["local", "decisions", "powers"]),
    ("Net zero", ["carbon", "climate", "energy"]),
    ("Digital access", ["broadband", "digital", "connectivity"]),
    ("Health and care", ["health", "care", "wellbeing"]),
]
CAMPAIGN_TEXT = (
    "We the undersigned residents call on the combined authority to protect every bus route "
    "in the region and to publish its plans in full before any decision is taken."
)


def topic(index: int) -> tuple[str, list[str]]:
    label, words = TOPICS[index % len(TOPICS)]
    return (label if index < len(TOPICS) else f"{label} {index // len(TOPICS) + 1}"), words


def store_synthetic_run(
    consultation: Consultation,
    question: Question,
    responses: int = 60,
    themes: int = 6,
    *,
    seed: int = 0,
    segments: tuple[str, ...] = ("partner_type", "area"),
    started_by_email: str = "analyst@example.org",
    size_of_businesses_only: bool = False,
) -> AnalysisRun:
    """Submitted responses answering ``question`` (and its agreement question, for a "why"
    text) and a succeeded run coding them; returns the run (committed).
    ``size_of_businesses_only``: as the form asks, only businesses give a size band, the
    others' "not_given" (the size breakdown's "Not given" split, bench.size_split)."""
    rng = random.Random(seed)
    now = utcnow()
    existing = db.session.scalar(select(func.count(Response.id))) or 0
    prefix = f"WM-S{existing:06d}-"
    partner = [PARTNERS[i % len(PARTNERS)] for i in range(responses)]
    area = [AREAS[(i // 2) % len(AREAS)] for i in range(responses)]
    size = [SIZES[(i // 3) % len(SIZES)] for i in range(responses)]
    if size_of_businesses_only:
        # a business in seven gives none either ("Not given (a business that did not say)")
        size = [
            size[i] if partner[i] == "business" and i % 7 else "not_given" for i in range(responses)
        ]
    primary: list[int] = []
    texts: list[str] = []
    for i in range(responses):
        if i % 17 == 16:
            primary.append(-1)
            texts.append("n/a")
            continue
        if partner[i] == "university" and rng.random() < 0.75:
            chosen = 0
        else:
            chosen = rng.randrange(1, themes) if rng.random() < 0.85 else 0
        primary.append(chosen)
        words = topic(chosen)[1]
        texts.append(
            CAMPAIGN_TEXT
            if 3 <= i <= 8 and chosen >= 0
            else f"Our view on {words[0]}: {words[1]} and {words[2]} matter, answer {i}."
        )
    rows = [
        {
            "consultation_id": consultation.id,
            "reference": f"{prefix}{i:06d}",
            "status": "submitted",
            "submitted_at": now - timedelta(minutes=responses - i),
            "version": 1,
            "organisation_name": f"Organisation {i}",
            "partner_type": partner[i],
            "area": area[i],
            "size_band": size[i],
            "last_page": "check",
            "source": "web",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(responses)
    ]
    ids: list[int] = []
    for start in range(0, responses, 2000):
        ids += list(
            db.session.execute(
                insert(Response).returning(Response.id), rows[start : start + 2000]
            ).scalars()
        )
    answers = [
        {"response_id": ids[i], "question_id": question.id, "value": texts[i], "updated_at": now}
        for i in range(responses)
    ]
    stance_question = question.explains if question.explains is not None else None
    if stance_question is not None and stance_question.kind == "agreement":
        answers += [
            {
                "response_id": ids[i],
                "question_id": stance_question.id,
                "value": AGREEMENT[(i + primary[i]) % len(AGREEMENT)],
                "updated_at": now,
            }
            for i in range(responses)
        ]
    else:
        stance_question = None
    for start in range(0, len(answers), 5000):
        db.session.execute(insert(Answer), answers[start : start + 5000])

    memberships = [
        [] if p < 0 else ([p, (p + 1) % themes] if i % 4 == 0 else [p])
        for i, p in enumerate(primary)
    ]
    stance = [STANCES[i % len(STANCES)] for i in range(responses)]
    sentiment = [round(rng.uniform(-0.6, 0.8), 4) for _ in range(responses)]
    confidence = [round(rng.uniform(0.1, 0.95), 4) for _ in range(responses)]
    columns = {"partner_type": partner, "area": area, "size_band": size}
    theme_sets = [set(m) for m in memberships]
    breakdowns = {name: segment_breakdown(theme_sets, columns[name], themes) for name in segments}

    run = AnalysisRun(
        consultation_id=consultation.id,
        question_id=question.id,
        stance_question_id=stance_question.id if stance_question is not None else None,
        status="succeeded",
        stage="finished",
        stage_done=9,
        stage_total=9,
        settings={"engine": "auto", "n_themes": themes, "seed": seed, "segments": list(segments)},
        engine_used="fast",
        versions={"consult": "test", "scikit-learn": "1"},
        input_count=responses,
        input_sha256="0" * 64,
        started_by_email=started_by_email,
        created_at=now - timedelta(seconds=30),
        started_at=now - timedelta(seconds=29),
        finished_at=now - timedelta(seconds=20),
        heartbeat_at=now,
        timings={"reading answers": 0.2, "themes": 5.5, "saving": 1.3},
        attempts=1,
        summary={
            "rows": responses,
            "non_substantive": sum(1 for p in primary if p < 0),
            "duplicates": {
                "campaigns": 1,
                "campaign_responses": 6,
                "text": "6 responses from 1 campaigns",
            },
            "personal_data_masked": {"email": 2, "phone": 1},
            "non_substantive_bucket": {"id": "NS", "examples": ["n/a"]},
            "stability_measure": STABILITY_MEASURE,  # stored by today's engine
        },
    )
    db.session.add(run)
    db.session.flush()
    stored: list[RunTheme] = []
    for index in range(themes):
        label, words = topic(index)
        members = [i for i, p in enumerate(primary) if p == index]
        mentions = [i for i, m in enumerate(memberships) if index in m]
        low, high = wilson(len(members), responses)
        quoted = [{"id": rows[i]["reference"], "text": texts[i]} for i in members[:3]]
        stored.append(
            RunTheme(
                run_id=run.id,
                key=f"T{index + 1:02d}",
                position=index,
                label=label,
                description="",
                keywords=words,
                size=len(members),
                mentions=len(mentions),
                share=round(len(members) / responses, 4),
                share_low=round(low, 4),
                share_high=round(high, 4),
                stance=dict(Counter(stance[i] for i in mentions)),
                sentiment=round(sum(sentiment[i] for i in mentions) / len(mentions), 4)
                if mentions
                else None,
                stability=round(0.95 - 0.08 * index, 4),
                quotes=quoted,
                summary=quoted[:2],
                segments={name: breakdowns[name][index] for name in segments},
                origin="machine",
            )
        )
    db.session.add_all(stored)
    db.session.flush()
    assignments = []
    for i in range(responses):
        keys = [stored[t].key for t in memberships[i]]
        flags = ["campaign"] if texts[i] == CAMPAIGN_TEXT else []
        if primary[i] < 0:
            flags.append("non_substantive")
        assignments.append(
            {
                "run_id": run.id,
                "response_id": ids[i],
                "reference": rows[i]["reference"],
                "text": texts[i],
                "theme_id": stored[primary[i]].id if primary[i] >= 0 else None,
                "themes": [[key, confidence[i] if n == 0 else None] for n, key in enumerate(keys)],
                "confidence": confidence[i] if keys else None,
                "stance": stance[i],
                "sentiment": sentiment[i],
                "duplicate_group": "D1" if texts[i] == CAMPAIGN_TEXT else None,
                "flags": flags,
                "moved_by_hand": False,
                "segments": {"partner_type": partner[i], "area": area[i], "size_band": size[i]},
            }
        )
    for start in range(0, responses, 5000):
        db.session.execute(insert(RunAssignment), assignments[start : start + 5000])
    db.session.commit()
    return run


def store_queued_run(consultation: Consultation, question: Question, **fields) -> AnalysisRun:
    """A run as ``start_run`` leaves it before a worker picks it up (no job enqueued)."""
    values = {
        "consultation_id": consultation.id,
        "question_id": question.id,
        "status": "queued",
        "settings": {"engine": "auto", "n_themes": "auto", "seed": 0, "segments": ["partner_type"]},
        "started_by_email": "analyst@example.org",
        "attempts": 1,
    } | fields
    run = AnalysisRun(**values)
    db.session.add(run)
    db.session.commit()
    return run
