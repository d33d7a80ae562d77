"""rev33a: a merge, split or created theme's count reads its described summary, then
:func:`consult.reports.merging.not_said_elsewhere` takes out the points another theme gives in
the same words (or that say its label). Those were stored nowhere, so a later recount (a
rename and back) read fewer of the theme's own points than the count that made it: the fault
store33 fixed for a run's themes. They are now kept in ``unlisted_points`` with those the
count left out itself."""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.reports import merging, review
from consult.reports.merging import Described, unlisted_after
from consult.reports.models import RunTheme
from tests.helpers import make_consultation
from tests.reports.stored_runs import store_synthetic_run


def test_unlisted_after_keeps_the_counts_and_adds_what_was_taken_out():
    counted = [
        {"id": "R1", "text": "Run more buses."},
        {"id": "R2", "text": "Build homes."},
        {"id": "R3", "text": "This theme makes one point only.", "only_point": True},
    ]
    assert unlisted_after(["Put on coaches."], counted, counted[1:]) == [
        "Put on coaches.",
        "Run more buses.",
    ]
    assert unlisted_after(None, counted, counted) is None  # a theme stored before: as it was
    assert unlisted_after([], counted, counted) == []
    assert unlisted_after(["Run more buses."], counted, counted[1:]) == ["Run more buses."]


def test_a_merge_keeps_the_point_another_theme_says_for_its_recount(app, monkeypatch):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.kind == "short_text")
    run = store_synthetic_run(consultation, question, responses=90, themes=3)
    themes = {
        t.key: t for t in db.session.scalars(select(RunTheme).where(RunTheme.run_id == run.id))
    }
    themes["T03"].summary = [{"id": "X1", "text": "Fares are far too high."}]
    db.session.commit()
    described = Described(
        ["fares"],
        [{"id": "X2", "text": "Fares are far too high."}, {"id": "X3", "text": "Run later."}],
        12,
        ["Trams and buses, more often."],
    )
    monkeypatch.setattr(review, "describe_members", lambda *args, **kwargs: described)
    monkeypatch.setattr(merging, "describe_members", lambda *args, **kwargs: described)
    review.merge_themes(run, ["T01", "T02"], None)
    db.session.commit()
    db.session.expire_all()
    merged = db.session.scalars(
        select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.key == "T01")
    ).one()
    assert [p["text"] for p in merged.summary] == ["Run later."]  # T03 says the other
    assert merged.unlisted_points == ["Trams and buses, more often.", "Fares are far too high."]
