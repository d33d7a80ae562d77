"""Coding in the staff workspace: a codebook from a run or a file, coding responses one
after another, applying the model, agreement figures, and who may do what."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.reports import coding, pages
from consult.reports.coding_models import Codebook, HumanCode, MachineCode, MachineCoding
from tests.helpers import error_summary, soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    return stored_run(consultation, question, n_themes=4)


@pytest.fixture
def analyst(app):
    return signed_in(app, "analyst", "first.analyst@example.gov.uk")


def overview_url(question_id: int) -> str:
    return f"/staff/reports/questions/{question_id}/coding"


def banner(client, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"])
    found = soup(page).find(id="flash-success") or soup(page).find(id="flash")
    return found.get_text(" ", strip=True) if found else ""


def make_codebook(client, run) -> Codebook:
    done = post(
        client,
        f"/staff/reports/runs/{run.id}/codebook",
        {"confirmed": "yes"},  # its themes are not reviewed: confirmed (see test_codebook_confirm)
        page_url=overview_url(run.question_id),
    )
    assert f"run {run.id}'s 4 themes" in banner(client, done)
    return db.session.scalar(select(Codebook).where(Codebook.question_id == run.question_id))


def test_codebook_from_a_run_keeps_its_reviewed_themes(run, analyst):
    page = analyst.get(overview_url(run.question_id))
    assert "has no codebook yet" in page.get_data(as_text=True)
    codebook = make_codebook(analyst, run)
    assert [t.key for t in codebook.themes] == [t.key for t in run.visible_themes]
    assert [t.name for t in codebook.themes] == [t.label for t in run.visible_themes]
    assert all(t.examples for t in codebook.themes)  # the quotes become examples
    page = soup(analyst.get(overview_url(run.question_id)))
    rows = page.find("table").find("tbody").find_all("tr")
    assert len(rows) == 4 and "0 coded by people" in page.get_text(" ")


def test_import_a_codebook_and_bad_files(run, analyst):
    url = f"/staff/reports/questions/{run.question_id}/codebook/import"
    good = b"id,name,description,keywords\nBUS,Buses,Late buses,bus;late\nHOME,Housing,,rent\n"
    done = post(
        analyst, url, {"file": (io.BytesIO(good), "book.csv")}, content_type="multipart/form-data"
    )
    assert "Imported 2 themes" in banner(analyst, done)
    codebook = db.session.scalar(select(Codebook).where(Codebook.question_id == run.question_id))
    assert [(t.key, t.keywords) for t in codebook.themes] == [
        ("BUS", ["bus", "late"]),
        ("HOME", ["rent"]),
    ]
    bad = post(
        analyst,
        url,
        {"file": (io.BytesIO(b"code,title\nA,b\n"), "book.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400
    assert error_summary(bad) == [("#file", "A codebook CSV needs 'id' and 'name' columns")]
    empty = post(analyst, url, {}, content_type="multipart/form-data")
    assert empty.status_code == 400 and "Choose a CSV or JSON" in error_summary(empty)[0][1]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "The selected file is empty"),  # was "Choose a CSV or JSON codebook file"
        (b"\r\n \n", "The selected file is empty"),
        (b"id,name\nT01,Funding\nbad;id,Other\n", "Row 3: theme id 'bad;id' is not allowed"),
        (b"id,name\nT01,A\nT01,B\n", "Row 3: theme id 'T01' appears twice in the codebook"),
        (b"\xff\xfe\x00junk", "The codebook is not UTF-8 text"),
    ],
)
def test_a_bad_codebook_file_says_what_is_wrong_in_a_sentence(run, analyst, body, message):
    """A new analyst's bad files: an empty one was told to choose a file (they had), and the
    reader's messages began in lower case or with the file's name."""
    url = f"/staff/reports/questions/{run.question_id}/codebook/import"
    bad = post(
        analyst,
        url,
        {"file": (io.BytesIO(body), "my book.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400
    [(href, text)] = error_summary(bad)
    assert href == "#file" and text.startswith(message), text
    assert coding.codebook_for(run.question) is None


def test_code_one_response_after_another(run, analyst):
    codebook = make_codebook(analyst, run)
    keys = [t.key for t in codebook.themes]
    first = analyst.get(f"/staff/reports/questions/{run.question_id}/coding/next")
    assert first.status_code == 302
    page_url = first.headers["Location"]
    page = soup(analyst.get(page_url))
    assert page.find("blockquote") is not None
    assert len(page.find_all("input", {"name": "themes"})) == 4 + 1  # and "None of these themes"
    saved = post(analyst, page_url, {"themes": [keys[0], keys[2]], "stance": "for"})
    assert saved.status_code == 302 and "/coding/next" in saved.headers["Location"]
    code = db.session.scalar(select(HumanCode))
    assert code.themes == [keys[0], keys[2]] and code.stance == "for"
    following = analyst.get(saved.headers["Location"])
    assert following.headers["Location"] != page_url  # on to a different response
    # Coding it again replaces this coder's code; an unknown theme is refused.
    post(analyst, page_url, {"themes": ["-none"], "stance": ""})
    db.session.expire_all()
    again = db.session.scalar(select(HumanCode))
    assert again.themes == [] and again.stance is None
    shown = soup(analyst.get(page_url))  # shown again as "None of these themes", ticked
    assert shown.find(id="themes-none").has_attr("checked")
    bad = post(analyst, page_url, {"themes": ["ZZZ"], "stance": "maybe"})
    assert bad.status_code == 400
    assert {message for _, message in error_summary(bad)} >= {"Choose themes from the codebook"}
    assert (
        analyst.get(f"/staff/reports/questions/{run.question_id}/coding/999999").status_code == 404
    )


def test_apply_the_model_keeps_human_codes_and_reports_agreement(run, analyst, app):
    codebook = make_codebook(analyst, run)
    data = answers_of(run.question)
    members = {a.response_id: a.theme.key for a in run.assignments if a.theme is not None}
    coded = data["ids"][:24]
    for index, response_id in enumerate(coded):
        key = members.get(response_id, codebook.themes[0].key)
        coding.save_code(
            codebook,
            response_id,
            "first.analyst@example.gov.uk",
            [key],
            "for" if index % 2 else "against",
        )
    done = post(
        analyst, f"{overview_url(run.question_id)}/apply", page_url=overview_url(run.question_id)
    )
    assert "being applied in the background" in banner(analyst, done)
    job = db.session.scalar(select(MachineCoding))
    assert job.status == "queued"
    # While it waits, the overview says so in words, not by the job's status code.
    waiting = analyst.get(overview_url(run.question_id)).get_data(as_text=True)
    assert "The model is waiting to be applied" in waiting and "(queued" not in waiting
    # smoke9 #10: "you asked for it at 5 December 2026 at 4:39pm" read twice "at".
    said = " ".join(soup(analyst.get(overview_url(run.question_id))).get_text().split())
    assert "it was asked for on " in said and "asked for it at " not in said
    # smoke27: "you asked for it" was said to every viewer, and of the application a new
    # codebook starts by itself, which nobody asked for.
    assert "you asked" not in said
    assert "Apply the model to the rest" not in waiting  # it would only be refused
    coding.run_coding(job.id, engine="fast")  # what the worker runs
    db.session.expire_all()
    job = db.session.get(MachineCoding, job.id)
    assert job.status == "succeeded", job.error
    assert (job.human_count, job.machine_count) == (24, 16)
    machine_ids = set(db.session.scalars(select(MachineCode.response_id)))
    assert machine_ids == set(data["ids"]) - set(coded)  # human codes are never overwritten
    assert job.metrics["themes"]["sample_f1"] is not None
    assert job.suggestions and all(s["response_id"] not in coded for s in job.suggestions)
    text = soup(analyst.get(overview_url(run.question_id))).get_text(" ")
    assert "24 coded by people, 16 by the model" in text
    assert "Agreement with people" in text and "Learning curve" in text
    # The partner type breakdown says how many of each type's answers people coded.
    table = next(
        t
        for t in soup(analyst.get(overview_url(run.question_id))).find_all("table")
        if "by partner type" in t.caption.get_text()
    )
    assert [th.get_text(strip=True) for th in table.thead("th")][1:3] == [
        "Coded answers",
        "Of them, by people",
    ]
    rows = [[td.get_text(strip=True) for td in row("td")] for row in table.tbody("tr")]
    assert sum(int(r[0]) for r in rows) == 40 and sum(int(r[1]) for r in rows) == 24
    # A second coder codes the same five responses: their agreement shows.
    for response_id in coded[:5]:
        coding.save_code(
            codebook, response_id, "second@example.gov.uk", [codebook.themes[0].key], None
        )
    text = soup(analyst.get(overview_url(run.question_id))).get_text(" ")
    assert "second@example.gov.uk both coded 5 responses" in text
    assert "Cohen's kappa per theme" in text
    # The next suggestion to code comes from the model and says why.
    nxt = analyst.get(f"/staff/reports/questions/{run.question_id}/coding/next")
    assert f"/coding/{job.suggestions[0]['response_id']}" in nxt.headers["Location"]
    assert "Chosen because " in analyst.get(nxt.headers["Location"]).get_data(as_text=True)


def test_viewers_see_figures_but_cannot_code(run, analyst, app):
    make_codebook(analyst, run)
    viewer = signed_in(app, "viewer")
    assert viewer.get(overview_url(run.question_id)).status_code == 200
    assert viewer.get(f"{overview_url(run.question_id)}/next").status_code == 403
    assert viewer.post(f"/staff/reports/runs/{run.id}/codebook").status_code in (400, 403)
    assert db.session.scalar(select(func.count()).select_from(HumanCode)) == 0


def test_downloads_carry_the_coding_and_its_source(run, analyst, app):
    import csv

    from docx import Document
    from openpyxl import load_workbook

    codebook = make_codebook(analyst, run)
    data = answers_of(run.question)
    key = codebook.themes[1].key
    for response_id in data["ids"][:12]:
        coding.save_code(codebook, response_id, "first.analyst@example.gov.uk", [key], "against")
    job = coding.start_coding(codebook, "first.analyst@example.gov.uk")
    coding.run_coding(job.id, engine="fast")
    base = f"{overview_url(run.question_id)}/download"
    page = soup(analyst.get(overview_url(run.question_id)))
    assert page.find("a", href=f"{base}.xlsx") is not None
    body = analyst.get(f"{base}.csv")
    assert body.status_code == 200 and "attachment" in body.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == len(data["ids"])
    # the model's rows are "model", or "unsure" where its guess is below the floor (how many
    # depends on the codebook's examples, which the run's quotes give)
    assert {"human", "model"} <= {r["source"] for r in rows} <= {"human", "model", "unsure"}
    human = [r for r in rows if r["source"] == "human"]
    assert len(human) == 12 and all(r["themes"] == key and r["stance"] == "against" for r in human)
    assert all(r["partner_type"] for r in rows)
    workbook = load_workbook(io.BytesIO(analyst.get(f"{base}.xlsx").get_data()), read_only=True)
    assert workbook.sheetnames == ["Themes", "Coding", "Codebook", "Figures"]
    themes = list(workbook["Themes"].iter_rows(values_only=True))
    # Headers in words; the per-answer sheet keeps the CSV's (documented) column names.
    assert themes[0] == (
        "Theme key",
        "Theme",
        "Coded by people",
        "Coded by the model",
        "All responses coded with it",
    )
    assert next(workbook["Coding"].iter_rows(values_only=True))[:3] == (
        "reference",
        "partner_type",
        "themes",
    )
    assert next(workbook["Codebook"].iter_rows(values_only=True))[:2] == ("Theme key", "Theme")
    assert sum(row[2] for row in themes[1:]) >= 12
    document = Document(io.BytesIO(analyst.get(f"{base}.docx").get_data()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "12 coded by people" in text and run.question.text in text
    assert analyst.get(f"{base}.pdf").status_code == 404
    from consult import audit
    from consult.models import AuditEvent

    exported = AuditEvent.query.filter_by(action="coding_exported").first()
    assert exported.target == run.question.section.consultation.slug  # no database id
    number = pages.question_number(run.question)
    assert audit.readable(exported.detail, exported.action)[0] == ("", f"Question {number}")
    viewer = signed_in(app, "viewer")
    assert viewer.get(f"{base}.csv").status_code == 403


def test_downloads_show_a_plain_dash_for_an_answer_coded_with_no_theme(run, analyst):
    """A lone "-" (coded, no theme) is no formula: neither download guards it with an
    apostrophe (the reviewer saw a literal '- in both)."""
    import csv

    from openpyxl import load_workbook

    codebook = make_codebook(analyst, run)
    data = answers_of(run.question)
    for response_id in data["ids"][:3]:
        coding.save_code(codebook, response_id, "first.analyst@example.gov.uk", [], None)
    base = f"{overview_url(run.question_id)}/download"
    body = analyst.get(f"{base}.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = [r for r in csv.DictReader(io.StringIO(body)) if r["source"] == "human"]
    assert len(rows) == 3 and {r["themes"] for r in rows} == {"-"}
    workbook = load_workbook(io.BytesIO(analyst.get(f"{base}.xlsx").get_data()), read_only=True)
    sheet = list(workbook["Coding"].iter_rows(values_only=True))
    column = sheet[0].index("themes")
    human = [row for row in sheet[1:] if row[sheet[0].index("source")] == "human"]
    assert len(human) == 3 and {row[column] for row in human} == {"-"}


def test_stance_comes_from_the_paired_agreement_answer(run, analyst):
    from consult.models import Answer

    codebook = make_codebook(analyst, run)
    agreement_question = run.question.explains
    data = answers_of(run.question)
    for response_id in data["ids"][:10]:
        db.session.add(
            Answer(
                response_id=response_id,
                question_id=agreement_question.id,
                value="strongly_disagree",
            )
        )
    db.session.commit()
    coding.save_code(
        codebook, data["ids"][-1], "first.analyst@example.gov.uk", [codebook.themes[0].key], "for"
    )
    job = coding.start_coding(codebook, "first.analyst@example.gov.uk")
    coding.run_coding(job.id, engine="fast")
    codes = {m.response_id: m for m in db.session.scalars(select(MachineCode))}
    for response_id in data["ids"][:10]:
        assert (codes[response_id].stance, codes[response_id].stance_source) == (
            "against",
            "agreement",
        )
    assert all(codes[r].stance is None for r in data["ids"][10:-1])  # nothing else says


def test_a_control_character_never_breaks_the_coding_workbook(run, analyst):
    from openpyxl import load_workbook

    from consult.models import Answer

    make_codebook(analyst, run)
    answer = db.session.scalar(select(Answer).where(Answer.question_id == run.question_id))
    answer.value = "Buses\x0b are late\x01"
    db.session.commit()
    body = analyst.get(f"{overview_url(run.question_id)}/download.xlsx")
    assert body.status_code == 200
    rows = list(load_workbook(io.BytesIO(body.get_data()))["Coding"].iter_rows(values_only=True))
    assert "Buses are late" in {row[-1] for row in rows}


def test_an_unreachable_queue_fails_the_coding_in_plain_words(run, analyst, app):
    """Redis down when the model is applied: a clear message, and the coding is failed
    (not left 'queued' for ever, which would refuse every later try); it was a 500."""
    from consult.reports.queue import init_app

    codebook = make_codebook(analyst, run)
    for response_id in answers_of(run.question)["ids"][:5]:
        coding.save_code(
            codebook, response_id, "first.analyst@example.gov.uk", [codebook.themes[0].key], None
        )
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    init_app(app)
    done = post(
        analyst, f"{overview_url(run.question_id)}/apply", page_url=overview_url(run.question_id)
    )
    assert done.status_code == 302
    page = soup(analyst.get(done.headers["Location"])).get_text(" ")
    assert "the job queue cannot be reached" in page
    job = db.session.scalar(select(MachineCoding))
    assert job.status == "failed" and "the job queue cannot be reached" in job.error
    # Once the queue is back, applying again is not refused as "already being applied".
    coding.start_coding(db.session.get(Codebook, codebook.id), "first.analyst@example.gov.uk")


def test_a_coding_whose_worker_died_is_failed_and_can_be_applied_again(run, analyst, app):
    """kill -9 of the worker mid-coding leaves the coding 'running' with a heartbeat that
    stops; the sweep every live worker makes fails it with a plain message, so applying the
    model again is no longer refused for ever. A coding still beating is left alone."""
    from datetime import timedelta

    from consult.models import utcnow

    codebook = make_codebook(analyst, run)
    for response_id in answers_of(run.question)["ids"][:5]:
        coding.save_code(
            codebook, response_id, "first.analyst@example.gov.uk", [codebook.themes[0].key], None
        )
    dead = coding.start_coding(codebook, "first.analyst@example.gov.uk")
    dead.status = "running"  # as run_coding left it when its worker was killed
    dead.heartbeat_at = utcnow() - timedelta(seconds=app.config["RUN_STALE_SECONDS"] + 5)
    db.session.commit()
    with pytest.raises(coding.CodingError, match="already being applied"):
        coding.start_coding(codebook, "first.analyst@example.gov.uk")
    assert coding.sweep_stale_codings(running_here={dead.id}) == []  # the sweeper's own
    assert coding.sweep_stale_codings() == [dead.id]
    db.session.expire_all()
    dead = db.session.get(MachineCoding, dead.id)
    assert dead.status == "failed" and dead.error == coding.STOPPED_MESSAGE
    assert "apply it again" in soup(analyst.get(overview_url(run.question_id))).get_text(" ")
    alive = coding.start_coding(db.session.get(Codebook, codebook.id), "a@example.gov.uk")
    alive.status = "running"
    db.session.commit()
    coding.beat_codings([alive.id])  # its worker is still beating
    assert coding.sweep_stale_codings() == []
    assert db.session.get(MachineCoding, alive.id).status == "running"


def applied_coding(codebook, suggestions, metrics=None, human_count=0) -> MachineCoding:
    """A finished application of the model, stored as the worker would leave it."""
    job = MachineCoding(
        codebook_id=codebook.id,
        status="succeeded",
        finished_at=coding.utcnow(),
        suggestions=suggestions,
        metrics=metrics,
        human_count=human_count,
    )
    db.session.add(job)
    db.session.commit()
    return job


def test_why_a_response_was_chosen_reads_as_a_sentence_with_todays_count(run, analyst):
    codebook = make_codebook(analyst, run)
    key, name = codebook.themes[1].key, codebook.themes[1].name
    ids = answers_of(run.question)["ids"]
    # The model was applied when nobody had coded the theme; two responses are coded with it
    # since, so the count in the stored reason is stale.
    applied_coding(
        codebook,
        [
            {
                "response_id": ids[10],
                "reason": f"may be an example of theme {key}, which has 0 coded",
            },
            {"response_id": ids[11], "reason": f"unsure whether theme {key} applies"},
            {"response_id": ids[12], "reason": "a typical response not yet like any coded one"},
        ],
    )
    for response_id in ids[:2]:
        coding.save_code(codebook, response_id, "first.analyst@example.gov.uk", [key], None)

    def reason(response_id: int) -> str:
        page = analyst.get(f"/staff/reports/questions/{run.question_id}/coding/{response_id}")
        found = [p for p in soup(page).find_all("p") if p.get_text().startswith("Chosen")]
        return " ".join(found[0].get_text().split())

    assert reason(ids[10]) == (
        f"Chosen because it may be an example of theme {key} ({name}), which people have "
        "coded 2 responses with so far."
    )
    assert (
        reason(ids[11])
        == f"Chosen because the model is unsure whether theme {key} ({name}) applies."
    )
    assert reason(ids[12]) == (
        "Chosen because it is a typical response, unlike any coded when the model was last applied."
    )


def test_one_coded_response_is_not_called_responses(run, analyst):
    """The overview said "People have coded 1 responses now"."""
    codebook = make_codebook(analyst, run)
    metrics = {"themes": {"coded": 0, "sample_f1": None}, "stance": {"accuracy": None}}
    applied_coding(codebook, [], metrics=metrics, human_count=0)
    ids = answers_of(run.question)["ids"]
    coding.save_code(codebook, ids[0], "first.analyst@example.gov.uk", [], None)
    since = " ".join(
        soup(analyst.get(overview_url(run.question_id))).find(id="coded-since").text.split()
    )
    assert since.startswith("People have coded 1 response now, 0 when"), since


def test_agreement_figures_say_when_they_were_counted(run, analyst):
    codebook = make_codebook(analyst, run)
    key = codebook.themes[0].key
    ids = answers_of(run.question)["ids"]
    # The model was applied with 6 responses coded; people have coded 12 since.
    applied_coding(
        codebook,
        [],
        metrics={
            "themes": {
                "coded": 6,
                "sample_f1": None,
                "cold_start": False,
                "note": "agreement needs at least 10 coded responses; 6 coded so far",
            },
            "stance": {"accuracy": None, "note": "Code at least one response for and one against."},
        },
        human_count=6,
    )
    for response_id in ids[:12]:
        coding.save_code(codebook, response_id, "first.analyst@example.gov.uk", [key], None)
    page = soup(analyst.get(overview_url(run.question_id)))
    text = " ".join(page.get_text(" ").split())
    assert "12 coded by people" in text
    assert "agreement needs at least" not in text  # the model's note, written for files
    measured = " ".join(page.find(id="agreement-not-measured").get_text().split())
    assert measured.startswith(
        "Agreement with people is measured once people have coded at least 10 responses."
    )
    assert measured.endswith("they had coded 6.")
    since = " ".join(page.find(id="coded-since").get_text().split())
    assert since.startswith("People have coded 12 responses now, 6 when the model was last applied")
    # The Word summary says the same.
    from docx import Document

    word = analyst.get(f"/staff/reports/questions/{run.question_id}/coding/download.docx")
    paragraphs = [p.text for p in Document(io.BytesIO(word.data)).paragraphs]
    assert measured in paragraphs and since in paragraphs
    # Stance is optional, and the page says so rather than telling people to code it.
    stance = " ".join(page.find(id="stance-accuracy").get_text().split())
    assert "Stance is optional" in stance and "Code at least one response" not in stance
    code_page = soup(analyst.get(f"/staff/reports/questions/{run.question_id}/coding/{ids[20]}"))
    legends = [legend.get_text(" ", strip=True) for legend in code_page.find_all("legend")]
    # Worded from the agreement question it explains, not "the proposal" (smoke16 #12).
    assert "Its stance: does it agree with Q1? (optional)" in legends
    assert "agrees or disagrees with Q1" in code_page.find(id="stance-hint").get_text()
    stance_labels = [
        label.get_text(" ", strip=True)
        for label in code_page.select(".govuk-radios__label")
        if label.get("for", "").startswith("stance")
    ]
    assert stance_labels[:2] == ["Agrees with Q1", "Disagrees with Q1"]
    assert "proposal" not in code_page.get_text()
    # With no agreement question it explains, plain for and against.
    from consult.reports.coding import PairedAnswer
    from consult.reports.coding_forms import stance_labels as labels_for
    from consult.reports.coding_forms import stance_legend

    assert labels_for(None)["for"] == "For" and stance_legend(None) == "Its stance (optional)"
    choice = PairedAnswer(3, "Which option?", "B", "for", agreement=False)
    assert labels_for(choice)["against"] == "Against"


def test_kappa_is_not_told_for_a_theme_nobody_used_and_small_samples_are_flagged(run, analyst):
    codebook = make_codebook(analyst, run)
    first, unused = codebook.themes[0].key, codebook.themes[1].key
    for response_id in answers_of(run.question)["ids"][:6]:
        for coder in ("first.analyst@example.gov.uk", "second@example.gov.uk"):
            coding.save_code(codebook, response_id, coder, [first], None)
    page = soup(analyst.get(overview_url(run.question_id)))
    kappas = {
        row.th.get_text(strip=True).split(":")[0]: " ".join(row.td.get_text().split())
        for table in page.find_all("table")
        if "kappa" in table.caption.get_text()
        for row in table.tbody.find_all("tr")
    }
    assert kappas[unused] == "not enough to tell (neither coder used this theme)"
    names = [
        row.th.get_text(strip=True)
        for table in page.find_all("table")
        if "kappa" in table.caption.get_text()
        for row in table.tbody.find_all("tr")
    ]  # each theme by its name too, as in the codebook table (a new analyst saw ids alone)
    assert names == [f"{t.key}: {t.name}" for t in codebook.themes]
    assert kappas[first] == "not enough to tell (both coders used this theme on every response)"
    flag = " ".join(page.find(id="small-sample-1").get_text().split())
    assert flag.startswith("Only 6 responses in common: too few for a dependable figure.")
    # smoke9 #10: no capital after a semicolon ("...than it is; Treat these...").
    assert "; Treat" not in flag and "; treat" not in flag
    assert "dependable figure. Treat these figures as a rough guide" in flag


def test_a_stance_model_too_young_to_measure_is_not_called_missing(run, analyst):
    """With people's stance codes of two kinds the model guesses stance, even when too few of
    each are coded to measure it: the page said it 'does not guess stance yet' beside the
    model's own stance counts."""
    codebook = make_codebook(analyst, run)
    applied_coding(
        codebook,
        [],
        metrics={
            "themes": {"coded": 4, "sample_f1": None, "cold_start": False, "note": ""},
            "stance": {
                "coded": 4,
                "accuracy": None,
                "note": "too few coded responses of each stance to measure",
            },
        },
        human_count=4,
    )
    page = soup(analyst.get(overview_url(run.question_id)))
    stance = " ".join(page.find(id="stance-accuracy").get_text().split())
    assert "does not guess stance yet" not in stance
    assert stance.startswith("Stance: the model guesses stance from the 4 responses people coded")
    assert "too few of each stance" in stance


def test_stance_is_named_as_every_report_names_it(run, analyst):
    """The coding page listed stored names ('for 1, mixed 2') where reports say 'For',
    'Neither'; the coding form offered 'Mixed'."""
    codebook = make_codebook(analyst, run)
    key = codebook.themes[0].key
    ids = answers_of(run.question)["ids"]
    for response_id, stance in zip(ids[:3], ["for", "mixed", "mixed"], strict=True):
        coding.save_code(codebook, response_id, "first.analyst@example.gov.uk", [key], stance)
    page = soup(analyst.get(overview_url(run.question_id)))
    text = " ".join(page.get_text(" ").split())
    assert "Coded by people: For 1, Neither 2" in text
    code_page = soup(analyst.get(f"/staff/reports/questions/{run.question_id}/coding/{ids[5]}"))
    options = [label.get_text(" ", strip=True) for label in code_page.find_all("label")]
    assert "Neither: mixed, or no clear side" in options and "Mixed" not in options


def _measured(coded: int, by_people: int, both: int, fair: bool) -> dict:
    """Stored agreement figures as the worker leaves them, with the no-theme counts."""
    return {
        "themes": {
            "coded": coded,
            "sample_f1": 0.73,
            "sample_f1_interval": [0.57, 0.88],
            "cold_start": False,
            "no_theme_by_people": by_people,
            "no_theme_by_both": both,
            "themed": coded - both,
            "sample_f1_themed": 0.42,
            "sample_f1_themed_interval": [0.25, 0.6],
            "fair_to_compare": fair,
            "per_theme": [],
        },
        "stance": {"accuracy": None, "note": ""},
    }


@pytest.mark.parametrize("fair", [False, True])
def test_the_f1_headline_says_how_many_responses_had_no_theme(run, analyst, fair):
    """Review finding 3: with 15 of 27 coded responses 'no theme' on both sides, F1 0.73 was
    set beside 'Experts agree with each other at about 0.74', inviting over-trust."""
    from docx import Document

    codebook = make_codebook(analyst, run)
    both = 2 if fair else 15
    applied_coding(codebook, [], metrics=_measured(27, both + 1, both, fair), human_count=27)
    ids = answers_of(run.question)["ids"]
    for response_id in ids[:27]:
        coding.save_code(codebook, response_id, "first.analyst@example.gov.uk", [], None)
    page = soup(analyst.get(overview_url(run.question_id)))
    no_theme = " ".join(page.find(id="f1-no-theme").get_text().split())
    assert no_theme == (
        f"People gave no theme to {both + 1} of these 27 responses; for {both} of them the "
        "model gave none either, and each of those counts as full agreement (1.0)."
    )
    themed = " ".join(page.find(id="f1-themed").get_text().split())
    assert themed == (
        f"Over the {27 - both} responses with at least one theme (from the person or the "
        "model): F1 0.42 (95% interval 0.25 to 0.60)."
    )
    yardstick = " ".join(page.find(id="f1-yardstick").get_text().split())
    if fair:
        assert yardstick.startswith("Experts coding the same answers agree")
    else:
        assert "cannot be compared with how well experts agree (about 0.74)" in yardstick
    paragraphs = [
        p.text
        for p in Document(
            io.BytesIO(analyst.get(f"{overview_url(run.question_id)}/download.docx").data)
        ).paragraphs
    ]
    assert no_theme in paragraphs and themed in paragraphs and yardstick in paragraphs
    assert not any("Experts agree with each other at about 0.74." in p for p in paragraphs)
    assert any(p.startswith("F1 0.73 (95% interval 0.57 to 0.88)") for p in paragraphs)
    assert any(coding.F1_MEANING in p for p in paragraphs)


def test_the_word_summary_gives_each_themes_precision_and_recall(run, analyst):
    """The Word summary's advice to go by each theme's precision and recall needs them there."""
    from docx import Document

    codebook = make_codebook(analyst, run)
    metrics = _measured(27, 3, 2, True)
    key = codebook.themes[0].key
    metrics["themes"]["per_theme"] = [{"theme": key, "precision": 0.5, "recall": 0.25}]
    applied_coding(codebook, [], metrics=metrics, human_count=0)
    word = Document(io.BytesIO(analyst.get(f"{overview_url(run.question_id)}/download.docx").data))
    table = word.tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header[-2:] == ["Precision", "Recall"]
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert rows[key][-2:] == ["0.50", "0.25"]
    assert rows[codebook.themes[1].key][-2:] == ["–", "–"]
    # Each column said in one plain sentence, as on the page (smoke17 #10).
    assert coding.PRECISION_RECALL_MEANING in [p.text for p in word.paragraphs]
    page = soup(analyst.get(overview_url(run.question_id)))
    said = " ".join(page.find(id="precision-recall").get_text().split())
    assert said == coding.PRECISION_RECALL_MEANING


def test_the_page_gives_a_dash_for_a_theme_the_stored_metrics_do_not_measure(run, analyst):
    """Metrics stored before a theme was added to the codebook have no row for it: the page
    shows a dash for its precision and recall, as Word does, instead of failing."""
    codebook = make_codebook(analyst, run)
    metrics = _measured(27, 3, 2, True)
    key = codebook.themes[0].key
    metrics["themes"]["per_theme"] = [{"theme": key, "precision": 0.5, "recall": 0.25}]
    applied_coding(codebook, [], metrics=metrics, human_count=0)
    response = analyst.get(overview_url(run.question_id))
    assert response.status_code == 200
    rows = {
        row.find("th").get_text(" ", strip=True).split(":")[0]: [
            cell.get_text(strip=True) for cell in row.find_all("td")
        ]
        for row in soup(response).select("tbody tr")
        if row.find("th")
    }
    assert rows[key][-2:] == ["0.50", "0.25"]
    assert rows[codebook.themes[1].key][-2:] == ["–", "–"]


def test_the_word_summary_says_where_stance_came_from_as_the_page_does(run, analyst):
    """Review finding 4: the Word summary said 'Coded by the model: for 104, mixed 15,
    against 79' for stances the page says come from the respondents' own answers to Q1, and
    named the question 'Why do you say that?' without its number."""
    from docx import Document

    from consult.models import Answer
    from consult.reports.pages import question_title

    codebook = make_codebook(analyst, run)
    data = answers_of(run.question)
    for response_id, value in zip(data["ids"][:10], ["agree"] * 4 + ["disagree"] * 6, strict=True):
        db.session.add(
            Answer(response_id=response_id, question_id=run.question.explains_id, value=value)
        )
    db.session.commit()
    coding.save_code(
        codebook, data["ids"][-1], "first.analyst@example.gov.uk", [codebook.themes[0].key], "mixed"
    )
    job = coding.start_coding(codebook, "first.analyst@example.gov.uk")
    coding.run_coding(job.id, engine="fast")
    page = soup(analyst.get(overview_url(run.question_id)))
    lines = {
        item["id"]: " ".join(item.get_text().split())
        for item in page.find_all("li", id=lambda v: v and v.startswith("stance-"))
    }
    number = coding.explained_number(run.question)
    assert lines["stance-from-people"] == "Coded by people: Neither 1"
    # smoke30b #1: the answers the model is unsure of count too (Q1 gives their stance, not
    # the model), and the line says how many of them it counts
    unsure = coding.summary(codebook, coding.latest_coding(codebook)).unsure_with_stance
    counted = (
        f" (including {unsure} answer{'s' * (unsure != 1)} whose themes the model is unsure of)"
    )
    assert lines["stance-from-agreement"] == (
        f"From the respondent's own answer to Q{number}: For 4, Against 6"
        + (counted if unsure else "")
    )
    assert lines["stance-from-model"].startswith(
        f"Guessed by the model (where the answer to Q{number} gives none):"
    )
    word = analyst.get(f"{overview_url(run.question_id)}/download.docx")
    paragraphs = [p.text for p in Document(io.BytesIO(word.data)).paragraphs]
    assert f"Question {question_title(run.question)}" in paragraphs
    assert question_title(run.question).startswith(f"Q{number + 1}: ")
    for line in lines.values():
        assert f"{line}." in paragraphs
    assert not any("Coded by the model" in p or "mixed" in p for p in paragraphs)


def test_the_paired_answer_fills_in_stance_and_coders_stance_agreement_shows(run, analyst):
    """Review finding 8: for a "why" question the form showed 'Their answer to Q1: Disagree'
    and still asked the coder to code stance from scratch; and 'Agreement between coders'
    said nothing of stance when two coders disagreed on it."""
    from consult.models import Answer

    codebook = make_codebook(analyst, run)
    ids = answers_of(run.question)["ids"]
    db.session.add(
        Answer(response_id=ids[0], question_id=run.question.explains_id, value="disagree")
    )
    db.session.commit()
    url = f"{overview_url(run.question_id)}/{ids[0]}"
    page = soup(analyst.get(url))
    checked = page.find("input", {"name": "stance", "checked": True})
    assert checked is not None and checked["value"] == "against"
    hint = " ".join(page.find(id="paired-answer").get_text().split())
    assert "So its stance is set to “Disagrees with Q1”: change it only if" in hint
    unanswered = soup(analyst.get(f"{overview_url(run.question_id)}/{ids[1]}"))
    assert unanswered.find("input", {"name": "stance", "checked": True})["value"] == ""
    # A coder's own saved choice wins over the paired answer.
    coding.save_code(codebook, ids[0], "first.analyst@example.gov.uk", [], None)
    again = soup(analyst.get(url))
    assert again.find("input", {"name": "stance", "checked": True})["value"] == ""
    key = codebook.themes[0].key
    for index, response_id in enumerate(ids[:6]):
        coding.save_code(codebook, response_id, "a@example.gov.uk", [key], "for")
        coding.save_code(
            codebook, response_id, "b@example.gov.uk", [key], "against" if index < 2 else "for"
        )
    overview = soup(analyst.get(overview_url(run.question_id)))
    sentences = [
        " ".join(p.get_text().split())
        for p in overview.find_all("p", id=lambda v: v and v.startswith("stance-agreement-"))
    ]
    # Both coders see stance filled in from the paired answer, so the page says what their
    # agreement on it mostly measures (15 of 15 on the demo, both having kept it).
    number = coding.explained_number(run.question)
    assert (
        "Stance: they gave the same stance to 4 of the 6 responses both coded for stance. The "
        f"coding form fills stance in from each respondent's own answer to Q{number}, so "
        "agreement on stance mostly shows that both kept it."
    ) in sentences


def test_stance_preset_from_the_agreement_answer_is_not_called_the_models_accuracy(run, analyst):
    """Review: 'Stance: 100 % right on 20 coded responses (95% interval 100 to 100 %)' when
    every stance people coded had been set from the paired agreement answer."""
    from consult.models import Answer

    codebook = make_codebook(analyst, run)
    agreement_question = run.question.explains
    ids = answers_of(run.question)["ids"]
    key = codebook.themes[0].key
    for index, response_id in enumerate(ids[:20]):
        value, stance = ("agree", "for") if index % 2 else ("disagree", "against")
        db.session.add(
            Answer(response_id=response_id, question_id=agreement_question.id, value=value)
        )
        db.session.flush()
        coding.save_code(codebook, response_id, "first.analyst@example.gov.uk", [key], stance)
    stance_metrics = {"coded": 20, "accuracy": 1.0, "accuracy_interval": [1.0, 1.0]}
    applied_coding(
        codebook,
        [],
        metrics={"themes": _measured(20, 0, 0, True)["themes"], "stance": stance_metrics},
        human_count=20,
    )
    page = soup(analyst.get(overview_url(run.question_id)))
    stance = " ".join(page.find(id="stance-accuracy").get_text().split())
    assert "% right" not in stance
    # smoke9 #10: "Stance: Stance came from ..." said the word twice.
    assert stance.startswith("Stance: taken from the agreement answer. The 20 stances")
    assert "is not a measure of the model" in stance


def test_an_f1_from_too_few_coded_responses_is_not_shown_as_certain(run, analyst):
    from docx import Document

    codebook = make_codebook(analyst, run)
    key = codebook.themes[0].key
    metrics = _measured(12, 0, 0, True)
    metrics["themes"]["per_theme"] = [
        {"theme": t.key, "support": 12 if t.key == key else 0, "precision": 1.0, "recall": 1.0}
        for t in codebook.themes
    ]
    metrics["stance"] = {"coded": 12, "accuracy": 0.9, "accuracy_interval": [0.7, 1.0]}
    flat = [{"coded": n, "sample_f1": 0.73} for n in (2, 5, 7, 10)]
    metrics["themes"]["learning_curve"] = flat
    applied_coding(codebook, [], metrics=metrics, human_count=12)
    page = soup(analyst.get(overview_url(run.question_id)))
    # A flat curve over a dozen responses is no sign that coding more will not help.
    curve = next(c for c in page.find_all("caption") if "Learning curve" in c.get_text())
    assert " ".join(curve.get_text().split()) == (
        # smoke27: was "too few responses are coded to read a trend from it yet, rising or flat"
        "Learning curve: too few responses are coded yet to tell whether it is rising or flat"
    )
    warning = " ".join(page.find(id="f1-too-few").get_text().split())
    assert warning.startswith("Too few coded responses to tell how good the model is: 12 coded")
    assert "using 1 theme. " in warning
    assert not [s for s in page.find_all("strong") if s.get_text().startswith("F1 0.73")]
    stance = " ".join(page.find(id="stance-accuracy").get_text().split())
    assert "too few coded responses to tell" in stance
    word = Document(io.BytesIO(analyst.get(f"{overview_url(run.question_id)}/download.docx").data))
    assert warning in [p.text for p in word.paragraphs]
    # With enough coded responses over two themes, the figure stands on its own.
    enough = _measured(27, 0, 0, True)
    enough["themes"]["per_theme"] = [
        {"theme": t.key, "support": 15 - i, "precision": 0.8, "recall": 0.7}
        for i, t in enumerate(codebook.themes)
    ]
    enough["themes"]["learning_curve"] = flat
    applied_coding(codebook, [], metrics=enough, human_count=27)
    page = soup(analyst.get(overview_url(run.question_id)))
    assert page.find(id="f1-too-few") is None
    curve = next(c for c in page.find_all("caption") if "Learning curve" in c.get_text())
    assert "if F1 still rises at the end, coding more will help" in curve.get_text()
    # Two short numeric columns: a compact, one-third-width table, numbers right-aligned, not
    # spread across the page with a wide empty first column.
    table = page.find(id="learning-curve")
    assert "govuk-!-width-one-third" in table["class"]
    assert all("govuk-table__header--numeric" in th["class"] for th in table.thead("th"))
    cells = table.tbody("td")
    assert len(cells) == 8 and all("govuk-table__cell--numeric" in td["class"] for td in cells)
    assert [s for s in page.find_all("strong") if s.get_text().startswith("F1 0.73")]


def test_fifteen_coded_responses_are_too_few_to_judge_not_to_learn_from(run, analyst):
    """smoke3 finding 13: with 15 coded and the model applied, the page said "too few for the
    model to learn from" though it had learned from them and coded the rest, and lower down
    set its F1 0.80 beside experts' 0.74 as if it beat them after 15 examples."""
    from docx import Document

    codebook = make_codebook(analyst, run)
    keys = [t.key for t in codebook.themes]
    ids = answers_of(run.question)["ids"]
    for number, response_id in enumerate(ids[:15]):
        coding.save_code(
            codebook, response_id, "first.analyst@example.gov.uk", [keys[number % 2]], None
        )
    metrics = _measured(15, 0, 0, True)
    metrics["themes"]["sample_f1"] = 0.80
    metrics["themes"]["per_theme"] = [
        {"theme": key, "support": 8 - i if i < 2 else 0, "precision": 0.8, "recall": 0.8}
        for i, key in enumerate(keys)
    ]
    applied_coding(codebook, [], metrics=metrics, human_count=15)
    page = soup(analyst.get(overview_url(run.question_id)))
    warning = " ".join(page.find(id="apply-too-soon").get_text().split())
    assert "People have coded 15 responses. That is too few to judge how good the model is." in (
        warning
    )
    assert "to learn from" not in warning
    yardstick = " ".join(page.find(id="f1-yardstick").get_text().split())
    assert yardstick == (
        "Experts coding the same answers agree with each other at about 0.74 on this measure. "
        "An F1 tested on only 15 coded responses cannot be compared with that yet: it "
        f"needs at least {coding.F1_MIN_CODED} coded responses."  # 2 themes used: not named
    )
    word = Document(io.BytesIO(analyst.get(f"{overview_url(run.question_id)}/download.docx").data))
    assert yardstick in [p.text for p in word.paragraphs]
    # Enough coded responses but one theme used: the caveat names that instead.
    one_theme = _measured(27, 0, 0, True)
    one_theme["themes"]["per_theme"] = [{"theme": keys[0], "support": 27}]
    assert coding.f1_context(one_theme["themes"])[2].endswith(
        "An F1 from coded responses using only 1 theme cannot be compared with that yet: "
        f"it needs at least {coding.F1_MIN_CODED} coded responses, with at least "
        f"{coding.F1_MIN_THEMES} themes used."
    )
    # On enough, over two themes, the experts' figure stands alone.
    enough = _measured(27, 0, 0, True)
    enough["themes"]["per_theme"] = [{"theme": k, "support": 10} for k in keys[:2]]
    assert coding.f1_context(enough["themes"])[2] == (
        "Experts coding the same answers agree with each other at about 0.74 on this measure."
    )


def test_ten_coded_since_the_model_was_applied_at_five_says_apply_again(run, analyst):
    """smoke16 #4: with 10 coded and the model last applied at 5, the warning said "Code 10
    more ... its agreement is first measured once people have coded 10": they had. It says
    to apply the model again, and when it was last applied."""
    codebook = make_codebook(analyst, run)
    keys = [t.key for t in codebook.themes]
    ids = answers_of(run.question)["ids"]
    for number, response_id in enumerate(ids[:10]):
        coding.save_code(
            codebook, response_id, "first.analyst@example.gov.uk", [keys[number % 2]], None
        )
    metrics = {
        "themes": {"coded": 5, "sample_f1": None, "cold_start": False},
        "stance": {"accuracy": None, "note": ""},
    }
    applied_coding(codebook, [], metrics=metrics, human_count=5)
    page = soup(analyst.get(overview_url(run.question_id)))
    warning = " ".join(page.find(id="apply-too-soon").get_text().split())
    assert "People have coded 10 responses" in warning
    assert "(it was last applied when people had coded 5)" in warning
    assert "Apply the model again now to measure it, as a first look, and code" in warning
    # one instruction (review fixr2 #6): not "Apply ... again" then "You can still apply it"
    assert "You can still apply it" not in warning
    assert warning.count("pply") == 1
    assert "first measured once people have coded" not in warning
    assert f"code {coding.F1_MIN_CODED - 10} more ({coding.F1_MIN_CODED} in all)" in warning
    # Never applied, 10 coded: apply it (not "again") to measure it.
    never = coding.apply_warning(10, None)
    assert "(it has not been applied yet). Apply the model now to measure it" in never
    assert never.endswith(f"({coding.F1_MIN_CODED} in all) before you rely on it.")
    assert never.count(str(coding.F1_MIN_CODED)) == 1  # said once (smoke29)
    # Fewer than 10: the old advice stands.
    assert "first measured once people have coded 10" in coding.apply_warning(8, None)


def test_coding_tables_name_their_columns_for_screen_readers(run, analyst):
    """The cross-table's columns are theme keys (T01...) to fit the page; each header also
    names its theme for a screen reader, which reads it with every count (WCAG 1.3.1). The
    codebook's total column says what it adds up (was "All responses", read as a count of
    every response)."""
    codebook = make_codebook(analyst, run)
    data = answers_of(run.question)
    coding.save_code(codebook, data["ids"][0], "first.analyst@example.gov.uk", ["T01"], None)
    page = soup(analyst.get(overview_url(run.question_id)))
    codebook_table, by_type = page.find_all("table")[:2]
    headers = [th.get_text(" ", strip=True) for th in codebook_table.find("thead").find_all("th")]
    assert headers[:4] == [
        "Theme",
        "Coded by people",
        "Coded by the model",
        "In all (people and model)",
    ]
    assert "partner type" in by_type.find("caption").get_text()
    columns = by_type.find("thead").find_all("th")[3:]  # after the two counts
    assert len(columns) == len(codebook.themes)
    for th, theme in zip(columns, codebook.themes, strict=True):
        hidden = th.find(class_="govuk-visually-hidden")
        assert th.get_text("", strip=True).startswith(theme.key)
        assert hidden is not None and hidden.get_text(strip=True) == f": {theme.name}"


def test_stance_lines_read_naturally():
    """A new officer read "Coded by people: Not coded 6": answers coded without a stance are
    said in words after the stances."""
    from types import SimpleNamespace

    def people(found: dict[str, int]) -> str:
        counts = SimpleNamespace(stance={"human": found, "machine": {}})
        return dict(coding.stance_lines(counts, None))["stance-from-people"]

    assert people({"not coded": 6}) == "Coded by people: 6 answers, with no stance given"
    assert people({"not coded": 1}) == "Coded by people: 1 answer, with no stance given"
    assert people({"for": 1, "mixed": 2, "not coded": 6}) == (
        "Coded by people: For 1, Neither 2, and 6 with no stance given"
    )
    assert people({"for": 1}) == "Coded by people: For 1"
    assert people({}) == "Coded by people: none yet"


def test_a_negative_kappa_has_a_true_minus_sign(run, analyst):
    """Scores on pages use the minus sign of "−1 to +1", not a hyphen."""
    codebook = make_codebook(analyst, run)
    first = codebook.themes[0].key
    ids = answers_of(run.question)["ids"][:6]
    for n, response_id in enumerate(ids):
        coding.save_code(
            codebook, response_id, "first.analyst@example.gov.uk", [first] if n < 3 else [], None
        )
        coding.save_code(
            codebook, response_id, "second@example.gov.uk", [first] if n >= 3 else [], None
        )
    page = soup(analyst.get(overview_url(run.question_id)))
    kappas = {
        row.th.get_text(strip=True).split(":")[0]: " ".join(row.td.get_text().split())
        for table in page.find_all("table")
        if "kappa" in table.caption.get_text()
        for row in table.tbody.find_all("tr")
    }
    assert kappas[first] == "\u22121.00"


def test_kappa_is_too_few_to_judge_for_a_theme_ticked_once(run, analyst):
    """Two coders agreed on 17 of 18 responses for a theme one ticked once and the other
    never; the page said kappa 0.00, "no better than chance" (smoke17 #6)."""
    from docx import Document

    codebook = make_codebook(analyst, run)
    rare, common = codebook.themes[0].key, codebook.themes[1].key
    ids = answers_of(run.question)["ids"][:18]
    for n, response_id in enumerate(ids):
        tick = [common] if n % 2 else []
        coding.save_code(
            codebook,
            response_id,
            "first.analyst@example.gov.uk",
            tick + ([rare] if n == 0 else []),
            None,
        )
        coding.save_code(codebook, response_id, "second@example.gov.uk", tick or [], None)
    page = soup(analyst.get(overview_url(run.question_id)))
    kappas = {
        row.th.get_text(strip=True).split(":")[0]: " ".join(row.td.get_text().split())
        for table in page.find_all("table")
        if "kappa" in table.caption.get_text()
        for row in table.tbody.find_all("tr")
    }
    assert kappas[rare] == "too few to judge (agreed on 17 of 18)"
    assert kappas[common] == "1.00"  # ticked on 9 of 18 by both: kappa means something
    note = " ".join(page.find(id="kappa-too-rare-1").get_text().split())
    assert note == " ".join(coding.KAPPA_TOO_RARE.split())
    word = analyst.get(f"/staff/reports/questions/{run.question_id}/coding/download.docx")
    document = Document(io.BytesIO(word.data))
    cells = [row.cells[1].text for table in document.tables for row in table.rows]
    assert "too few to judge (agreed on 17 of 18)" in cells
    assert coding.KAPPA_TOO_RARE in [p.text for p in document.paragraphs]
    # Rare by chance alone: 2 and 3 ticks of 100 would agree 95 % of the time by chance.
    row = {"first": 2, "second": 3, "either": 4}
    assert coding._kappa_too_rare(row, 100)
    assert not coding._kappa_too_rare({"first": 3, "second": 3, "either": 3}, 40)


@pytest.mark.parametrize(
    ("themes", "message"),
    [
        ([], "Choose the themes this response raises, or ‘None of these themes’"),
        (["-none", "T01"], "Choose themes or ‘None of these themes’, not both"),
    ],
)
def test_no_theme_is_coded_on_purpose_never_by_an_early_enter(run, analyst, themes, message):
    """Nothing ticked was saved as "no theme" (a person's code, which teaches the model and
    is never overwritten): an analyst pressing Enter too early coded a response that said a
    theme word for word as having none. Now "None of these themes" must be ticked, and not
    beside a theme (the exclusive box needs JavaScript; the server checks it too)."""
    codebook = make_codebook(analyst, run)
    themes = [codebook.themes[0].key if t == "T01" else t for t in themes]
    page_url = analyst.get(f"/staff/reports/questions/{run.question_id}/coding/next").headers[
        "Location"
    ]
    page = soup(analyst.get(page_url))
    box = page.find(id="themes-none")
    assert box["value"] == "-none" and box.has_attr("data-behaviour")
    assert page.find("label", {"for": "themes-none"}).get_text(strip=True) == "None of these themes"
    assert box.find_parent(class_="govuk-checkboxes")["data-module"] == "govuk-checkboxes"
    refused = post(analyst, page_url, {"themes": themes, "stance": "for"})
    assert refused.status_code == 400
    assert error_summary(refused) == [("#themes", message)]
    assert db.session.scalar(select(func.count()).select_from(HumanCode)) == 0
    again = soup(refused)
    assert again.find("input", {"name": "stance", "value": "for"}).has_attr("checked")


def test_a_second_coder_is_led_through_a_colleagues_sample_without_seeing_it(run, analyst, app):
    """ "Code responses" only ever gave a response nobody had coded, so a second coder could
    reach a colleague's sample only response by response, seeing the colleague's coding there:
    the agreement between coders could not be measured as the page said. Now the overview
    leads there, blind, one response after another, and the figures follow."""
    codebook = make_codebook(analyst, run)
    keys = [t.key for t in codebook.themes]
    data = answers_of(run.question)
    first = data["ids"][:6]
    for number, response_id in enumerate(first[:5]):
        coding.save_code(
            codebook, response_id, "first.analyst@example.gov.uk", [keys[number % 2]], None
        )
    job = coding.start_coding(codebook, "first.analyst@example.gov.uk")
    coding.run_coding(job.id, engine="fast")
    assert coding.machine_code(coding.latest_coding(codebook), first[5]) is not None
    coding.save_code(codebook, first[5], "first.analyst@example.gov.uk", [keys[1]], None)
    second = signed_in(app, "analyst", "second.analyst@example.gov.uk")
    overview = soup(second.get(overview_url(run.question_id)))
    assert "6 responses coded by colleagues are waiting for you" in overview.get_text(" ")
    link = overview.find(id="code-to-check")
    assert link.get_text(strip=True) == "Code the responses your colleagues have coded"
    # The first analyst has nothing of their own to check.
    assert soup(analyst.get(overview_url(run.question_id))).find(id="code-to-check") is None

    seen = []
    url = second.get(link["href"]).headers["Location"]
    for _ in range(6):
        assert "check=colleagues" in url
        page = soup(second.get(url))
        assert page.find(id="checking") is not None
        assert "The model's coding" not in page.get_text(" ")
        assert not [
            box for box in page.find_all("input", {"name": "themes"}) if box.has_attr("checked")
        ]
        seen.append(int(url.split("?")[0].rsplit("/", 1)[-1]))
        done = post(second, url, {"themes": [keys[0]], "stance": ""})
        assert done.status_code == 302
        url = second.get(done.headers["Location"]).headers["Location"]
    assert sorted(seen) == sorted(first)
    assert url.endswith(overview_url(run.question_id))
    ended = second.get(url)
    assert "You have coded every response your colleagues have coded" in ended.get_data(
        as_text=True
    )
    figures = coding.intercoder_figures(codebook)
    assert len(figures) == 1 and figures[0]["responses"] == 6
    # "Save" keeps the coder on the same response, still checking.
    again = post(
        second,
        f"/staff/reports/questions/{run.question_id}/coding/{first[0]}?check=colleagues",
        {"themes": [keys[1]], "stance": "", "action": "stay"},
    )
    assert again.headers["Location"].endswith(f"/coding/{first[0]}?check=colleagues")


def test_no_response_is_asked_for_because_of_a_stance_its_own_answer_gives(run, analyst):
    """The next responses to code were chosen partly by the stance model's doubt, even
    where the respondent's agreement answer sets the stance (and the coding page fills it
    in): "Chosen because the model is unsure of its stance" on a response whose stance was
    never in doubt. Those responses now count as certain of their stance."""
    from consult.models import Answer

    codebook = make_codebook(analyst, run)
    keys = [t.key for t in codebook.themes]
    agreement_question = run.question.explains
    ids = answers_of(run.question)["ids"]
    given = set(ids[:24])
    for number, response_id in enumerate(ids[:24]):
        value = ("agree", "disagree", "neither")[number % 3]
        db.session.add(
            Answer(response_id=response_id, question_id=agreement_question.id, value=value)
        )
    db.session.commit()
    for number, response_id in enumerate(ids[24:32]):
        coding.save_code(
            codebook,
            response_id,
            "first.analyst@example.gov.uk",
            [keys[number % len(keys)]],
            ("for", "against")[number % 2],
        )
    job = coding.start_coding(codebook, "first.analyst@example.gov.uk")
    coding.run_coding(job.id, engine="fast")
    job = db.session.get(MachineCoding, job.id)
    assert job.status == "succeeded", job.error
    stance_picks = [
        s["response_id"]
        for s in job.suggestions
        if s["reason"].startswith("unsure of its stance")  # alone or with a theme
    ]
    assert stance_picks, job.suggestions  # the open ones are still asked for
    assert not set(stance_picks) & given


@pytest.mark.parametrize(
    ("by_people", "expected"),
    [
        (
            3,
            "People gave no theme to 3 of these 15 responses; the model gave each of them a theme.",
        ),
        (1, "People gave no theme to 1 of these 15 responses; the model gave it a theme."),
        (0, ""),
    ],
)
def test_no_response_without_a_theme_on_both_sides_is_said_plainly(by_people, expected):
    """Seen on the demo: "People gave no theme to 3 of these 14 responses; for 0 of them the
    model gave none either, and each of those counts as full agreement (1.0)", then "Over the
    14 responses with at least one theme: F1 0.71" repeating the headline. With none on both
    sides the headline already is the F1 over themed responses."""
    themes = _measured(15, by_people, 0, True)["themes"]
    themes["sample_f1_themed"], themes["sample_f1_themed_interval"] = 0.73, [0.57, 0.88]
    no_theme, themed, yardstick = coding.f1_context(themes)
    assert no_theme == expected and themed == ""
    assert yardstick.startswith("Experts coding the same answers agree")


def test_the_response_pages_offer_a_colleague_their_own_coding_not_a_change(run, analyst, app):
    """A second coder read "Change the coding" under a colleague's coding, though coding it
    records their own (the colleague's stays, for agreement between coders)."""
    codebook = make_codebook(analyst, run)
    response_id = answers_of(run.question)["ids"][0]
    coding.save_code(
        codebook, response_id, "first.analyst@example.gov.uk", [codebook.themes[0].key], None
    )
    second = signed_in(app, "analyst", "second.analyst@example.gov.uk")
    for page in (f"/staff/reports/responses/{response_id}", f"/staff/responses/{response_id}"):
        for client, words in ((analyst, "Change your coding"), (second, "Code it yourself")):
            box = soup(client.get(page)).find(id=f"coding-{run.question_id}")
            link = box.find("a")
            assert link.get_text(" ", strip=True).startswith(words), link
            assert link["href"].endswith(f"/coding/{response_id}")
    # Once both have coded it differently the page says the codes disagree (not the latest
    # one's code): each of them may settle it, or change their own.
    coding.save_code(
        codebook, response_id, "second.analyst@example.gov.uk", [codebook.themes[1].key], None
    )
    for client in (analyst, second):
        box = soup(client.get(f"/staff/reports/responses/{response_id}"))
        links = box.find(id=f"coding-{run.question_id}").find_all("a")
        assert [a.get_text(" ", strip=True).split(" of ")[0] for a in links] == [
            "Settle the coding",
            "change your coding",
        ]
        assert links[1]["href"].endswith(f"/coding/{response_id}")


def test_the_coding_page_says_how_far_coding_has_got(run, analyst, app):
    """Coding one response after another, a new analyst could not tell how many they had
    done without going back to the overview."""
    codebook = make_codebook(analyst, run)
    key = codebook.themes[0].key
    ids = answers_of(run.question)["ids"]
    for response_id in ids[:3]:
        coding.save_code(codebook, response_id, "first.analyst@example.gov.uk", [key], None)
    coding.save_code(codebook, ids[0], "second@example.gov.uk", [key], None)
    coding.save_code(codebook, ids[3], "second@example.gov.uk", [key], None)
    page = soup(analyst.get(f"/staff/reports/questions/{run.question_id}/coding/{ids[5]}"))
    assert " ".join(page.find(id="coding-progress").get_text().split()) == (
        "You have coded 3 responses to this question; people have coded 4 in all."
    )


def test_an_unsure_coder_can_skip_a_response_for_now(run, analyst):
    """With "None of these themes" required, a coder unsure of a response had no way on
    but to code it (or leave the page): "Skip this response for now" puts it aside for the
    session, and it comes back only when nothing else is left."""
    codebook = make_codebook(analyst, run)
    ids = answers_of(run.question)["ids"]
    base = f"/staff/reports/questions/{run.question_id}/coding"

    def shown(location: str) -> int:
        return int(location.split("?")[0].rsplit("/", 1)[-1])

    first = shown(analyst.get(f"{base}/next").headers["Location"])
    link = soup(analyst.get(f"{base}/{first}")).find(id="skip")
    assert link.get_text(strip=True) == "Skip this response for now"
    second = shown(analyst.get(link["href"]).headers["Location"])
    third = shown(analyst.get(f"{base}/next?skip={second}").headers["Location"])
    assert len({first, second, third}) == 3  # the first stays aside too
    # Everything else coded: the skipped ones come back, with a word why.
    for response_id in ids:
        if response_id not in (first, second, third):
            coding.save_code(codebook, response_id, "first.analyst@example.gov.uk", ["T01"], None)
    again = analyst.get(f"{base}/next?skip={third}")
    assert shown(again.headers["Location"]) in (first, second, third)
    page = analyst.get(again.headers["Location"]).get_data(as_text=True)
    assert "Only the responses you skipped are left to code." in page


def test_the_models_line_gives_only_the_models_own_stance(run, analyst):
    """ "The model's coding: T04 ...; Against (confidence 28 %)" where Against was the
    respondent's own agreement answer, not the model's (the stance question already says
    so), beside the model's confidence in its themes."""
    codebook = make_codebook(analyst, run)
    key = codebook.themes[0].key
    job = applied_coding(codebook, [], metrics=_measured(20, 0, 0, True), human_count=20)
    ids = answers_of(run.question)["ids"]
    for response_id, source in ((ids[0], "agreement"), (ids[1], "model")):
        db.session.add(
            MachineCode(
                coding_id=job.id,
                response_id=response_id,
                themes=[key],
                confidence=0.28,
                stance="against",
                stance_source=source,
                stance_confidence=1.0 if source == "agreement" else 0.6,
            )
        )
    db.session.commit()
    lines = {}
    for response_id in ids[:2]:
        page = soup(analyst.get(f"/staff/reports/questions/{run.question_id}/coding/{response_id}"))
        inset = next(
            d for d in page.find_all(class_="govuk-inset-text") if "model's coding" in d.get_text()
        )
        lines[response_id] = " ".join(inset.get_text().split())
    assert "Against" not in lines[ids[0]] and lines[ids[0]].endswith("(confidence 0.28).")
    assert "; Against (confidence 0.28)." in lines[ids[1]]  # on the page's scale (smoke27)


def test_every_download_of_answers_asks_for_the_password_again(app, run, analyst):
    """The coding downloads (every answer's text, partner type and coder) were served an
    hour after signing in, when every other export asks for the password again after a few
    minutes."""
    exports = {
        rule.rule: app.view_functions[rule.endpoint]
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "permission", None) == "export"
    }
    assert "/staff/reports/questions/<int:question_id>/coding/download.<fmt>" in exports
    assert {rule for rule, view in exports.items() if not view.fresh} == set()
    make_codebook(analyst, run)
    with analyst.session_transaction() as session:
        session["reauth_at"] = 0  # the password was entered long ago
    prompt = analyst.get(f"{overview_url(run.question_id)}/download.csv")
    assert prompt.status_code == 302 and "/staff/confirm-password" in prompt.headers["Location"]


def test_each_run_offered_as_a_codebook_says_what_it_holds(run, analyst):
    """ "Use the themes of run 1", "Use the themes of run 2": a new analyst could not tell the
    runs apart, nor that the page's "themes as reviewed" had not been reviewed at all."""
    page = soup(analyst.get(overview_url(run.question_id)))
    about = " ".join(page.find(id=f"run-{run.id}-about").get_text().split())
    assert about.startswith(f"Run {run.id}, ")
    assert about.endswith(": 4 themes, none marked reviewed yet (review them first).")
    button = page.find("button", attrs={"aria-describedby": f"run-{run.id}-about"})
    assert button.get_text(" ", strip=True).startswith(f"Use the themes of run {run.id}")
    run.themes[0].reviewed_at = coding.utcnow()
    db.session.commit()
    about = soup(analyst.get(overview_url(run.question_id))).find(id=f"run-{run.id}-about")
    assert " ".join(about.get_text().split()).endswith(": 4 themes, 1 marked reviewed.")
    for theme in run.themes:
        theme.reviewed_at = coding.utcnow()
    db.session.commit()
    about = soup(analyst.get(overview_url(run.question_id))).find(id=f"run-{run.id}-about")
    assert " ".join(about.get_text().split()).endswith(": 4 themes, all marked reviewed.")


def test_a_question_that_cannot_be_coded_is_not_found_on_every_coding_page(run, analyst):
    """Only free-text questions are coded: the agreement scale a "why" text explains (Q1)
    was 200 "This question has no codebook yet ... Import a codebook" on its coding page
    while its next response was 404. Every coding page of it is Not found, alike, even with a
    codebook made for it by hand, and its runs page does not link to coding."""
    closed = run.question.explains
    assert closed is not None and not closed.is_text
    response_id = answers_of(run.question)["ids"][0]
    base = f"/staff/reports/questions/{closed.id}"
    pages_of_it = [
        f"{base}/coding",
        f"{base}/codebook/import",
        f"{base}/coding/next",
        f"{base}/coding/{response_id}",
        f"{base}/coding/disagreements",
        f"{base}/coding/disagreements/{response_id}",
    ]
    for url in pages_of_it:
        assert analyst.get(url).status_code == 404, url
    codebook = Codebook(consultation_id=closed.section.consultation_id, question_id=closed.id)
    db.session.add(codebook)
    db.session.commit()
    for url in pages_of_it:
        assert analyst.get(url).status_code == 404, url
    applied = post(analyst, f"{base}/coding/apply", page_url=overview_url(run.question_id))
    assert applied.status_code == 404
    importing = f"/staff/reports/questions/{run.question_id}/codebook/import"
    upload = post(
        analyst,
        f"{base}/codebook/import",
        {"file": (io.BytesIO(b"id,name\nA,Agree\n"), "book.csv")},
        page_url=importing,
        content_type="multipart/form-data",
    )
    assert upload.status_code == 404 and len(codebook.themes) == 0
    assert db.session.scalar(select(func.count()).select_from(MachineCoding)) == 0
    # the free-text question's own pages still work, and only its runs page links to coding
    assert analyst.get(overview_url(run.question_id)).status_code == 200
    runs_page = analyst.get(f"{base}/runs").get_data(as_text=True)
    assert f"{base}/coding" not in runs_page
    assert overview_url(run.question_id) in analyst.get(
        f"/staff/reports/questions/{run.question_id}/runs"
    ).get_data(as_text=True)


def test_a_codebook_from_a_run_describes_each_theme_from_the_run(run, analyst):
    """Every theme's description was empty in a codebook made from a run. Each now has one: a
    reviewer's where they wrote it, else the theme's own point (its label) with its top keywords,
    never a summary point (smoke walk 6: those are other points, often another theme's, so the
    codebook told coders the theme was about something else); a codebook file replaces it."""
    from types import SimpleNamespace

    themes = run.visible_themes
    themes[1].description = "  Buses that come late or not at all.  "  # a reviewer wrote it
    db.session.commit()
    codebook = make_codebook(analyst, run)
    described = {t.key: t.description for t in codebook.themes}
    assert all(described.values()), described
    assert described[themes[1].key] == "Buses that come late or not at all."
    book = coding.as_book(codebook)
    for theme in (themes[0], *themes[2:]):
        # the theme's own point (its label), not a summary point (often another theme's)
        label = theme.label.strip().rstrip(".")
        assert described[theme.key].startswith(f"Answers making the point “{label}”, with words")
        assert described[theme.key] in book.codes[themes.index(theme)].text()
    # Without keywords the label alone; without a label the keywords; with neither, nothing.
    bare = SimpleNamespace(
        description="", summary=[{"text": "Another point"}], label="Buses are late."
    )
    bare.keywords = ["bus", "late", "timetable", "fare", "route", "stop"]
    assert coding.theme_description(bare) == (
        "Answers making the point “Buses are late”, with words such as bus, late, timetable,"
        " fare, route."
    )
    bare.keywords = []
    assert coding.theme_description(bare) == "Answers making the point “Buses are late”."
    bare.label = ""
    assert coding.theme_description(bare) == ""
    # Editable as before: a codebook file with the same ids replaces the descriptions.
    rows = "".join(f"{t.key},{t.name},Edited {t.key}\n" for t in codebook.themes)
    done = post(
        analyst,
        f"/staff/reports/questions/{run.question_id}/codebook/import",
        {"file": (io.BytesIO(f"id,name,description\n{rows}".encode()), "book.csv")},
        content_type="multipart/form-data",
    )
    assert "Imported 4 themes" in banner(analyst, done)
    db.session.expire_all()
    codebook = coding.codebook_for(run.question)
    assert [t.description for t in codebook.themes] == [f"Edited {t.key}" for t in codebook.themes]


def test_a_run_has_one_time_on_every_page(run, analyst):
    """Finding 18: the coding page said "Run 1, ... at 12:58pm" (when it was queued) and the
    report "Run 1 on ... at 12:59pm" (when it finished): every page now says its finished
    time, or "queued" before it has one."""
    from datetime import timedelta

    from consult.reports.wording import run_time
    from consult.times import uk_time

    run.created_at = run.finished_at - timedelta(minutes=3)
    db.session.commit()
    finished = uk_time(run.finished_at)
    assert run_time(run) == finished and uk_time(run.created_at) != finished

    def said(url: str) -> str:
        return " ".join(soup(analyst.get(url)).find("main").get_text(" ").split())

    coding_page = said(overview_url(run.question_id))
    assert f"Run {run.id}, {finished}:" in coding_page
    report = said(f"/staff/reports/runs/{run.id}")
    assert f"Run {run.id}, {finished}, by" in report
    listing = said(f"/staff/reports/questions/{run.question_id}/runs")
    assert finished in listing and uk_time(run.created_at) not in listing
    overview = said(f"/staff/reports/consultations/{run.consultation_id}")
    assert f"{finished}." in overview and uk_time(run.created_at) not in overview

    class Waiting:
        status, finished_at = "queued", None

    assert run_time(Waiting()) == "queued"
