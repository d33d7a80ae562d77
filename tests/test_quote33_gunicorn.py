"""quote33: a run's quotes as the report shows them, read through a real gunicorn process and
job worker (the setup of tests/test_gunicorn.py), as a policy officer reads the report.

The fast engine picks a theme's quotes around its centre before the label's point is counted.
quote33 tried picking them again among the answers the count took as making the label's point
(:mod:`analysis.quote_makers`); its adoption rule failed on the fresh motions, so it ships off.
On the served demo (60 answers, "Why do you say that?", 4 themes, seed 1) it would open
"Priorities set in the West Midlands will fit our places better than ones set in London" with
"Put simply, our officers spend months ..." instead of "A single settlement lets us plan
transport ...": the report must show the quotes the shipped default picks, the latter."""

from __future__ import annotations

import json
import time
import urllib.parse

import pytest
from sqlalchemy import select

from analysis import ThemeModel, quote_makers
from consult.extensions import db
from consult.models import Question
from consult.reports.models import RunTheme
from consult.reports.runs import answers_for
from tests.test_gunicorn import served, signed_in_browser  # noqa: F401 - the served fixture

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]
SETTINGS = {"engine": "fast", "themes": "4", "seed": "1"}


def words(text: str) -> str:
    return " ".join(text.split())


def fitted_quotes(app, question_id: int, on: bool) -> dict[str, list[str]]:
    """Each label's quotes as the job's fit gives them, picked again (``on``) or as shipped."""
    with app.app_context():
        question = db.session.get(Question, question_id)
        answers, wording = answers_for(question, None), question.text
        db.session.remove()
    before = quote_makers.LABEL_POINT_QUOTES
    quote_makers.LABEL_POINT_QUOTES = on
    try:
        model = ThemeModel(n_themes=4, engine="fast", seed=1).fit(
            answers.texts, ids=answers.references, agreement=answers.agreement, question=wording
        )
    finally:
        quote_makers.LABEL_POINT_QUOTES = before
    return {t["label"]: [words(q["text"]) for q in t["quotes"]] for t in model.themes_}


def test_the_report_shows_the_quotes_the_shipped_default_picks(served):  # noqa: F811
    base, consultation_id, question_id, email, _, app = served
    staff = signed_in_browser(base, email)
    started = staff.form(
        f"/staff/reports/consultations/{consultation_id}/new",
        {"question": str(question_id), **SETTINGS},
    )
    assert started.status == 302, started.text[:500]
    run_path = urllib.parse.urlsplit(started.headers["Location"]).path
    deadline = time.monotonic() + 300
    while True:
        progress = json.loads(staff.request(run_path + "/status").body)
        if progress["finished"]:
            break
        assert time.monotonic() < deadline, progress
        time.sleep(0.5)
    assert progress["status"] == "succeeded", progress

    assert not quote_makers.LABEL_POINT_QUOTES  # off: the rule failed (BENCHMARKS "quote33")
    now, tried = fitted_quotes(app, question_id, False), fitted_quotes(app, question_id, True)
    moved = [label for label in now if now[label][0] != tried[label][0]]
    assert moved, "turning it on changes no first quote: this test reads nothing"
    run_id = int(run_path.rstrip("/").rsplit("/", 1)[-1])
    with app.app_context():
        stored = {
            theme.label: [words(q["text"]) for q in theme.quotes or []]
            for theme in db.session.scalars(select(RunTheme).where(RunTheme.run_id == run_id))
        }
        db.session.remove()
    for label, quotes in now.items():
        assert stored[label] == quotes, label

    page = words(staff.request(run_path).soup().get_text(" "))
    for label in moved:
        start = page.index(label)
        shown, other = page.find(now[label][0], start), page.find(tried[label][0], start)
        assert shown > start, (label, now[label][0])
        # the answer the option would have put first comes later, if at all
        assert other == -1 or other > shown, (label, tried[label][0])
