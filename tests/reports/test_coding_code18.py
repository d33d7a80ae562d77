"""The staff coding pages after the smoke18w walk: the model applied as soon as a codebook
exists (coding by similarity, and saying so), the page polling the job, one rule for answers
waiting to be settled, the CSV naming every agreeing coder, a stale save refused, an already
coded response said so, a run's themes offered once a codebook exists, titles naming the
question."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import coding
from consult.reports.coding_models import Codebook, MachineCode, MachineCoding
from tests.helpers import error_summary, soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.staff_helpers import post, signed_in

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]

FIRST = "first.analyst@example.gov.uk"
SECOND = "second@example.gov.uk"


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    return stored_run(consultation, question, n_themes=4)


@pytest.fixture
def analyst(app):
    return signed_in(app, "analyst", FIRST)


def overview_url(question_id: int) -> str:
    return f"/staff/reports/questions/{question_id}/coding"


def flashed(client, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"])
    found = soup(page).find(id="flash-success") or soup(page).find(id="flash")
    return found.get_text(" ", strip=True) if found else ""


def make_codebook(client, run) -> Codebook:
    done = post(
        client,
        f"/staff/reports/runs/{run.id}/codebook",
        {"confirmed": "yes"},
        page_url=overview_url(run.question_id),
    )
    assert done.status_code == 302
    return db.session.scalar(select(Codebook).where(Codebook.question_id == run.question_id))


def words(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


def test_a_new_codebook_is_applied_at_once_and_the_form_says_by_similarity(run, analyst, app):
    """smoke18w #4, #7: importing a codebook queues the model (cold start); the coding page
    polls its status, and once it is done the form shows the model's coding by similarity, or
    that the model is unsure where no theme is close."""
    app.config["CODING_APPLY_ON_CODEBOOK"] = True
    url = f"/staff/reports/questions/{run.question_id}/codebook/import"
    book = b"id,name,description\nP1,Joint boards,joint boards\nP2,Shared data,shared data\n"
    done = post(
        analyst, url, {"file": (io.BytesIO(book), "book.csv")}, content_type="multipart/form-data"
    )
    said = flashed(analyst, done)
    assert "Imported 2 themes" in said and "by similarity to the codebook" in said
    job = db.session.scalar(select(MachineCoding))
    assert job is not None and job.status == "queued"
    status = analyst.get(f"{overview_url(run.question_id)}/status")
    assert status.get_json() == {"coding_id": job.id, "status": "queued", "finished": False}
    assert status.headers["Cache-Control"] == "no-store"
    page = analyst.get(overview_url(run.question_id)).get_data(as_text=True)
    assert 'data-status-url="' in page and "shows the results by itself" in page
    assert "Refresh this page" not in page
    coding.run_coding(job.id, engine="semantic")  # the misfit rule reads MiniLM features
    db.session.expire_all()
    assert analyst.get(f"{overview_url(run.question_id)}/status").get_json()["finished"]
    job = db.session.get(MachineCoding, job.id)
    assert job.status == "succeeded" and job.metrics["cold_start"]
    finished = soup(analyst.get(f"{overview_url(run.question_id)}?applied={job.id}"))
    assert finished.find(id="coding-finished") is not None
    assert soup(analyst.get(overview_url(run.question_id))).find(id="coding-finished") is None
    # The answers are about buses, not joint boards: the model abstains on most of them.
    codes = list(db.session.scalars(select(MachineCode)))
    unsure = [c for c in codes if c.confidence < job.metrics["floor"]]
    assert unsure and all(c.themes == [] for c in unsure if c.confidence < 0.1)
    first = unsure[0].response_id
    form = words(analyst.get(f"{overview_url(run.question_id)}/{first}"))
    assert "The model is unsure: no theme in the codebook is close to this response" in form
    assert "by similarity to the codebook alone" in form
    sure = [c for c in codes if c.confidence >= job.metrics["floor"]]
    if sure:
        form = words(analyst.get(f"{overview_url(run.question_id)}/{sure[0].response_id}"))
        assert "The model's coding, by similarity to the codebook alone" in form


def test_off_by_default_under_tests(run, analyst):
    make_codebook(analyst, run)
    assert db.session.scalar(select(MachineCoding)) is None


def test_status_of_a_codebook_never_applied(run, analyst):
    make_codebook(analyst, run)
    answer = analyst.get(f"{overview_url(run.question_id)}/status").get_json()
    assert answer == {"coding_id": None, "status": "none", "finished": True}


def test_a_stale_save_is_refused_and_an_already_coded_response_says_so(run, analyst):
    """smoke18w #5, #6, #14."""
    codebook = make_codebook(analyst, run)
    keys = [t.key for t in codebook.themes]
    response_id = answers_of(run.question)["ids"][0]
    url = f"{overview_url(run.question_id)}/{response_id}"
    page = soup(analyst.get(url))
    assert page.title.get_text().startswith("Code response ")
    assert re.match(r"Code response \S+ \(Q\d+\) ", page.title.get_text())
    assert page.find(id="already-coded") is None
    seen_a = page.find("input", {"name": "seen"})["value"]
    assert seen_a == ""
    # tab A saves
    done = post(analyst, url, {"themes": keys[0], "seen": seen_a, "action": "stay"}, page_url=url)
    assert done.status_code == 302
    # tab B, opened before A saved, saves another coding: refused, nothing replaced
    stale = post(analyst, url, {"themes": keys[1], "seen": seen_a}, page_url=url)
    assert stale.status_code == 409
    summary = " ".join(text for _, text in error_summary(stale))
    assert "another tab or window" in summary and "Nothing was saved" in summary
    assert coding.coder_codes(codebook, response_id, FIRST).themes == [keys[0]]
    # the page drawn with the refusal carries the new stamp: saving again replaces
    fresh = soup(stale).find("input", {"name": "seen"})["value"]
    assert fresh
    again = post(analyst, url, {"themes": keys[1], "seen": fresh, "action": "stay"}, page_url=url)
    assert again.status_code == 302
    db.session.expire_all()
    assert coding.coder_codes(codebook, response_id, FIRST).themes == [keys[1]]
    page = analyst.get(url)
    text = words(page)
    assert "You coded this response on " in text and "Saving replaces your coding." in text
    assert "Chosen because" not in text


def test_one_rule_for_answers_waiting_to_be_settled_and_every_agreeing_coder(run, analyst):
    """smoke18w #1, #2, #9: the coding page, the run page and the coding downloads count an
    answer people coded differently with the model's code meanwhile, and say so alike; the
    CSV gives that code marked "not settled", and names both coders where two agreed."""
    from docx import Document

    codebook = make_codebook(analyst, run)
    keys = [t.key for t in codebook.themes]
    ids = answers_of(run.question)["ids"]
    for response_id in ids[:12]:
        coding.save_code(codebook, response_id, FIRST, [keys[0]], None)
    coding.save_code(codebook, ids[0], SECOND, [keys[0]], None)  # agrees
    coding.save_code(codebook, ids[1], SECOND, [keys[1]], None)  # differs: waits
    job = coding.start_coding(codebook, FIRST)
    coding.run_coding(job.id, engine="fast")
    db.session.expire_all()
    coding_page = soup(analyst.get(overview_url(run.question_id)))
    run_page = soup(analyst.get(f"/staff/reports/runs/{run.id}"))
    progress = " ".join(coding_page.find(id="coding-progress").get_text(" ").split())
    counts = " ".join(run_page.find(id="coded-counts").get_text(" ").split())
    waiting = "1 coded differently by people and waiting to be settled (counted with the model's"
    assert waiting in progress and waiting in counts
    model_count = progress.split(
        "waiting to be settled (counted with the model's code meanwhile), "
    )[1]
    assert model_count.split(" by the model")[0] == counts.split("meanwhile), ")[1].split(" by")[0]
    explained = " ".join(coding_page.find(id="waiting-to-settle").get_text(" ").split())
    assert explained.startswith(
        " ".join(run_page.find(id="coded-unsettled").get_text(" ").split())[:80]
    )
    body = analyst.get(f"{overview_url(run.question_id)}/download.csv").get_data(as_text=True)
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))}
    references = answers_of(run.question)["references"]
    both = rows[references[0]]
    assert both["coder"] == f"{FIRST}; {SECOND}" and both["source"] == "human"
    assert rows[references[2]]["coder"] == FIRST
    open_row = rows[references[1]]
    machine = db.session.scalar(
        select(MachineCode).where(
            MachineCode.coding_id == job.id, MachineCode.response_id == ids[1]
        )
    )
    assert machine is not None  # the model codes what waits to be settled
    assert open_row["disagreement"] == "not settled"
    assert open_row["source"] in ("model", "unsure") and open_row["coder"] == ""
    document = Document(
        io.BytesIO(analyst.get(f"{overview_url(run.question_id)}/download.docx").get_data())
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert waiting in text
    assert "gives the model's code for such an answer" in text
    assert "latest person's code" not in text


def test_a_run_s_themes_can_replace_an_existing_codebook(run, analyst):
    """smoke18w #3: once a codebook exists, the page still offers the run's themes."""
    url = f"/staff/reports/questions/{run.question_id}/codebook/import"
    post(
        analyst,
        url,
        {"file": (io.BytesIO(b"id,name\nA,Alpha\n"), "book.csv")},
        content_type="multipart/form-data",
    )
    page = soup(analyst.get(overview_url(run.question_id)))
    assert page.find(id="replace-codebook") is not None
    forms = [f for f in page.find_all("form") if f["action"].endswith(f"/runs/{run.id}/codebook")]
    assert forms and "in place of the codebook" in forms[0].get_text(" ")
    done = post(
        analyst,
        f"/staff/reports/runs/{run.id}/codebook",
        {"confirmed": "yes"},
        page_url=overview_url(run.question_id),
    )
    assert f"run {run.id}'s 4 themes" in flashed(analyst, done)
