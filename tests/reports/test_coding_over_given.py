"""The coding pages warn when the model gives a theme to a far larger share of the responses
it codes than people gave it (smoke12: "Couldn't be improved" given to 76 % of the model-coded
rows against 38 % of people's): the command line's rule (``analysis.coding_shares``), kept in
the stored metrics with the theme's name, said beside the agreement figures on the coding
overview and in the Word and Excel downloads. Where the shares match, nothing is said."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from consult.extensions import db
from consult.reports import coding, coding_documents
from consult.reports.coding_over import over_given_sentence
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.reports_helpers import worker_environment
from tests.staff_helpers import make_user, signed_in
from tests.test_gunicorn import gunicorn_process, signed_in_browser

pytestmark = pytest.mark.backends("sqlite", "postgresql")

CODER = "shares@example.gov.uk"


def _coded(per_topic: dict[int, int]):
    """60 answers (15 about each of buses, cycling, housing and skills, in turn); the first
    theme is given to buses and cycling alike, the third to housing, the fourth to skills.
    People code ``per_topic[t]`` answers of topic ``t``; then the model is applied."""
    consultation, question = make_question()
    add_answers(consultation, question, 60)
    run = stored_run(consultation, question, n_themes=4)
    codebook = coding.codebook_from_run(run, CODER)
    keys = [t.key for t in codebook.themes]
    theme_of = {0: keys[0], 1: keys[0], 2: keys[2], 3: keys[3]}
    ids = answers_of(question)["ids"]
    taken = dict.fromkeys(per_topic, 0)
    for index, response_id in enumerate(ids):
        topic = index % 4
        if taken[topic] < per_topic[topic]:
            coding.save_code(codebook, response_id, CODER, [theme_of[topic]], None)
            taken[topic] += 1
    job = coding.start_coding(codebook, CODER)
    coding.run_coding(job.id, engine="fast")
    latest = coding.latest_coding(codebook)
    assert latest.status == "succeeded", latest.error
    return question, codebook, latest, keys


def _page_text(analyst, question) -> tuple[str, str]:
    page = soup(analyst.get(f"/staff/reports/questions/{question.id}/coding"))
    warning = page.find(id="over-given")
    if warning is None:
        return "", page.get_text(" ")
    # beside the agreement figures: in the section that gives them
    assert warning.find_previous("h2").get_text(strip=True) == "How good is the model's coding?"
    return " ".join(warning.get_text(" ").split()), page.get_text(" ")


def test_a_theme_people_under_sampled_is_named_everywhere(app):
    # people coded 2 + 2 buses and cycling answers (the first theme: 4 of 24, 17 %) and
    # 10 + 10 of housing and skills; the model codes the other 36, 26 of them buses or cycling
    question, codebook, latest, keys = _coded({0: 2, 1: 2, 2: 10, 3: 10})
    found = latest.metrics["over_given"]
    assert [item["theme"] for item in found] == [keys[0]]
    item = found[0]
    assert item["name"] == codebook.themes[0].name
    assert (item["people_rows"], item["people_share"]) == (4, round(4 / 24, 3))
    assert item["model_share"] >= 0.5
    sentence = over_given_sentence(latest.metrics)
    named = f"{keys[0]} ({codebook.themes[0].name})"
    assert sentence.startswith(f"The model gave {named} to {round(100 * item['model_share'])}%")
    assert "against 17% of the responses people coded" in sentence
    # the coding overview, beside the agreement figures; the same after reloading from the DB
    analyst = signed_in(app, "analyst")
    shown, _ = _page_text(analyst, question)
    assert shown.endswith(sentence) and "Warning" in shown
    db.session.expire_all()
    assert over_given_sentence(coding.latest_coding(codebook).metrics) == sentence
    assert _page_text(analyst, question)[0] == shown
    # the Word summary, under "Agreement with people"
    document = Document(io.BytesIO(coding_documents.coding_docx(codebook, latest)))
    paragraphs = [p.text for p in document.paragraphs]
    heading = paragraphs.index("Agreement with people")
    assert sentence in paragraphs[heading:]
    # the Excel workbook, a sheet of its own
    workbook = load_workbook(io.BytesIO(coding_documents.coding_xlsx(codebook, latest)))
    assert workbook.sheetnames[-1] == "Model check"
    rows = list(workbook["Model check"].iter_rows(values_only=True))
    assert rows == [("Warning",), (sentence,)]


def test_matching_shares_say_nothing(app):
    # 6 of each topic: people gave the first theme to half their answers, as the model does
    question, codebook, latest, _ = _coded({0: 6, 1: 6, 2: 6, 3: 6})
    assert latest.metrics["over_given"] == []
    assert over_given_sentence(latest.metrics) == ""
    shown, text = _page_text(signed_in(app, "analyst"), question)
    assert shown == ""
    assert "too freely" not in text and "Agreement with people" in text
    document = Document(io.BytesIO(coding_documents.coding_docx(codebook, latest)))
    assert not any("too freely" in p.text for p in document.paragraphs)
    workbook = load_workbook(io.BytesIO(coding_documents.coding_xlsx(codebook, latest)))
    assert workbook.sheetnames == ["Themes", "Coding", "Codebook", "Figures"]


def test_metrics_stored_before_the_check_say_nothing():
    assert over_given_sentence(None) == ""
    assert over_given_sentence({"themes": {}}) == ""


def test_the_warning_in_downloads_through_gunicorn(app, database_url, tmp_path):
    """The Word and Excel coding downloads as a real gunicorn process sends them (built
    documents, read after the request's session is gone) carry the warning too."""
    question, codebook, latest, keys = _coded({0: 2, 1: 2, 2: 10, 3: 10})
    sentence = over_given_sentence(latest.metrics)
    assert sentence
    question_id = question.id
    email = make_user("analyst").email
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served", LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log") as (base, _):
        browser = signed_in_browser(base, email)
        url = f"/staff/reports/questions/{question_id}/coding/download"
        got = {fmt: browser.request(f"{url}.{fmt}") for fmt in ("docx", "xlsx", "csv")}
    assert {fmt: reply.status for fmt, reply in got.items()} == dict.fromkeys(got, 200)
    assert all(r.headers["Content-Disposition"].startswith("attachment") for r in got.values())
    paragraphs = [p.text for p in Document(io.BytesIO(got["docx"].body)).paragraphs]
    assert sentence in paragraphs[paragraphs.index("Agreement with people") :]
    workbook = load_workbook(io.BytesIO(got["xlsx"].body))
    assert list(workbook["Model check"].iter_rows(values_only=True)) == [("Warning",), (sentence,)]
    # the CSV is one row per answer: the warning is the Word and Excel summaries' to give
    assert got["csv"].body.decode("utf-8-sig").splitlines()[0].startswith("reference")
