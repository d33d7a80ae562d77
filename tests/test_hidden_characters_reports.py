"""Hidden characters (direction controls, zero width spaces, word joiners, a BOM) in an answer
are shown as "[U+202E]" on the coding pages (code a response, settle it) and on the theme
reports' page of a response's answers and themes, as on the staff response page: a
right-to-left override typed into an answer can no longer reorder what staff read there
(tidy28 #2). The theme page quotes the run's own text, which the analysis cleaned
(``analysis.clean.normalise`` drops every control and format character but a joiner inside a
word or an emoji sequence), so it never holds them: pinned here, so a change to the cleaning
cannot bring them back unseen. Checked in the app and through a real gunicorn process."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Answer
from consult.reports import coding
from consult.reports.models import RunAssignment, RunTheme
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.reports_helpers import worker_environment
from tests.staff_helpers import make_user, signed_in
from tests.test_gunicorn import gunicorn_process, signed_in_browser
from tests.test_hidden_characters import SHOWN, TYPED

pytestmark = pytest.mark.backends("sqlite", "postgresql")

HIDDEN_TYPED = ("\u202e", "\u202c", "\u2066", "\u2069", "\u200b", "\u2060", "\ufeff")
# The answer as the analysis read it (and as the run stores and the theme page quotes it).
ANALYSED = "Fares eert are too high!"


@dataclass
class Pages:
    """The staff pages that quote the answer holding hidden characters."""

    code: str
    settle: str
    theme: str
    respondent: str  # the response's answers and their themes


def answer_with_hidden_characters() -> Pages:
    """A run and a codebook over 12 answers, the first of which is :data:`TYPED`; two coders
    coded that response differently, so it waits to be settled."""
    consultation, question = make_question("hidden-in-reports")
    first, *_ = add_answers(consultation, question, 12)
    answer = db.session.scalar(
        select(Answer).where(Answer.response_id == first.id, Answer.question_id == question.id)
    )
    answer.value = TYPED
    db.session.commit()
    run = stored_run(consultation, question, n_themes=3)
    key = db.session.scalar(
        select(RunTheme.key)
        .join(RunAssignment, RunAssignment.theme_id == RunTheme.id)
        .where(RunAssignment.run_id == run.id, RunAssignment.response_id == first.id)
    )
    codebook = coding.codebook_from_run(run, "a@example.gov.uk")
    keys = [theme.key for theme in codebook.themes]
    coding.save_code(codebook, first.id, "a@example.gov.uk", [keys[0]], None)
    coding.save_code(codebook, first.id, "b@example.gov.uk", [keys[1]], None)
    coding_url = f"/staff/reports/questions/{question.id}/coding"
    return Pages(
        code=f"{coding_url}/{first.id}",
        settle=f"{coding_url}/disagreements/{first.id}",
        theme=f"/staff/reports/runs/{run.id}/themes/{key}",
        respondent=f"/staff/reports/responses/{first.id}",
    )


def test_coding_and_theme_pages_show_hidden_characters(app):
    pages = answer_with_hidden_characters()
    client = signed_in(app, "analyst")
    for url in (pages.code, pages.settle):
        page = client.get(url)
        assert page.status_code == 200, url
        assert not any(char in page.get_data(as_text=True) for char in HIDDEN_TYPED), url
        quote = soup(page).find("main").select_one("blockquote.consult-quote p")
        assert quote.get_text() == SHOWN, url
    page = client.get(pages.respondent)
    assert page.status_code == 200
    assert not any(char in page.get_data(as_text=True) for char in HIDDEN_TYPED)
    answers = [p.get_text() for p in soup(page).find("main").select("p.consult-pre-wrap")]
    assert SHOWN in answers, answers
    page = client.get(pages.theme)
    assert not any(char in page.get_data(as_text=True) for char in HIDDEN_TYPED)
    theme = soup(page).find("main")
    # in the most (or least) typical answers and in the list of responses alike
    assert ANALYSED in [p.get_text() for p in theme.select("li.consult-quote p")]
    assert ANALYSED in [td.get_text() for td in theme.select("td.consult-pre-wrap")]


def test_coding_and_theme_pages_through_gunicorn(app, database_url, tmp_path):
    pages = answer_with_hidden_characters()
    email = make_user("analyst").email
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served", LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log") as (base, _):
        staff = signed_in_browser(base, email)
        urls = (pages.code, pages.settle, pages.theme, pages.respondent)
        got = {url: staff.request(url) for url in urls}
    for url, reply in got.items():
        assert reply.status == 200, (url, reply.text[:300])
        assert not any(char in reply.text for char in HIDDEN_TYPED), url
    assert all(SHOWN in got[url].text for url in (pages.code, pages.settle, pages.respondent))
    assert got[pages.theme].text.count(ANALYSED) == 2  # a typical answer and the list's row
