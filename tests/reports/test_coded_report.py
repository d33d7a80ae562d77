"""Coding feeds the report: a run's theme report (page, CSV, Excel, Word) has a "Coded
against the codebook" section whose counts use people's codes where they exist and the
model's elsewhere, and say how many of each; the consultation's response exports and the
response pages carry each answer's coding and its source."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from sqlalchemy import event, select

from consult.extensions import db
from consult.models import Answer, Response
from consult.reports import coded, coded_documents, coding, settling
from consult.reports.coding_models import HumanCode, MachineCode
from consult.reports.wording import CODED_IS_A_DIFFERENT_COUNT
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

FIRST = "first.analyst@example.gov.uk"
SECOND = "second.analyst@example.gov.uk"


@pytest.fixture
def setup(app):
    """40 answers; 16 coded by people (4 of them twice, differently, and not settled: as the
    model, the report learns from neither code), the model applied to the rest; one more
    answer arrives after the model ran (not coded yet)."""
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    run = stored_run(consultation, question, n_themes=4)
    codebook = coding.codebook_from_run(run, FIRST)
    keys = [t.key for t in codebook.themes]
    data = answers_of(question)
    for index, response_id in enumerate(data["ids"][:16]):
        themes = [keys[index % 4]] + ([keys[(index + 1) % 4]] if index % 5 == 0 else [])
        stance = ("for", "against", "mixed", None)[index % 4]
        coding.save_code(codebook, response_id, FIRST, themes if index != 6 else [], stance)
    job = coding.start_coding(codebook, FIRST)
    coding.run_coding(job.id, engine="fast")
    for response_id in data["ids"][:4]:  # a colleague codes again, later, differently
        coding.save_code(codebook, response_id, SECOND, [keys[3]], "against")
    add_answers(consultation, question, 1, seed=9)
    return run, codebook, data


def expected(codebook) -> dict:
    """The figures worked out the slow way: every code read, the human code of each answer
    its coders all gave alike (or its one coder's) where there is one, else the model's."""
    db.session.expire_all()
    answered = {
        a.response_id
        for a in db.session.scalars(
            select(Answer).where(Answer.question_id == codebook.question_id)
        )
        if (a.value or "").strip()
    }
    human: dict[int, HumanCode] = {}
    differ: set[int] = set()
    for code in db.session.scalars(select(HumanCode).order_by(HumanCode.coded_at, HumanCode.id)):
        other = human.get(code.response_id)
        if other is not None and (set(other.themes), other.stance) != (
            set(code.themes),
            code.stance,
        ):
            differ.add(code.response_id)
        human[code.response_id] = code
    for response_id in differ:  # nobody settled them (this fixture settles none)
        del human[response_id]
    latest = coding.latest_coding(codebook)
    machine = {
        m.response_id: m
        for m in db.session.scalars(select(MachineCode).where(MachineCode.coding_id == latest.id))
    }
    partner = dict(db.session.execute(select(Response.id, Response.partner_type)).all())
    counts: Counter = Counter()
    stance: Counter = Counter()
    by_type: Counter = Counter()
    sources = Counter()
    for response_id in answered:
        if response_id in human:
            code, source = human[response_id], "human"
        elif response_id in machine:
            code, source = machine[response_id], "machine"
        else:
            continue
        sources[source] += 1
        for key in code.themes:
            counts[(key, source)] += 1
            stance[(key, code.stance or "not coded")] += 1
            by_type[(coded.partner_label(partner[response_id]), key)] += 1
        if source == "human":
            by_type[(coded.partner_label(partner[response_id]), "by people")] += 1
    return {
        "differ": differ & answered,
        "answered": len(answered),
        "sources": sources,
        "counts": counts,
        "stance": stance,
        "by_type": by_type,
    }


def test_counts_use_people_where_they_coded_and_the_model_elsewhere(setup):
    run, codebook, data = setup
    report = coded.coded_report(run.question)
    want = expected(codebook)
    assert report.answered == want["answered"] == 41
    assert (report.human, report.machine) == (want["sources"]["human"], want["sources"]["machine"])
    # The four coded differently later and not settled wait to be settled, in no count (the
    # model had not coded them: one person had, when it was applied), not as the colleague's
    # code; only the late answer is not coded yet (smoke8 #7: as the coding page says it).
    assert (report.human, report.machine, report.uncoded) == (12, 24, 1)
    assert report.waiting_words == "4 coded differently by people and waiting to be settled, "
    assert (report.unsettled, report.unsettled_by_model) == (4, 0) == (len(want["differ"]), 0)
    assert report.unsettled_words == (
        "4 answers that people coded differently are waiting to be settled. Until then "
        "they are left out of these counts, and the model does not learn from them."
    )
    for theme in report.themes:
        assert theme.human == want["counts"][(theme.key, "human")]
        assert theme.machine == want["counts"][(theme.key, "machine")]
        for name in ("for", "against", "mixed", "not coded"):
            assert theme.stance.get(name, 0) == want["stance"][(theme.key, name)]
        for label, _, counts in report.partner_rows():
            assert counts[report.themes.index(theme)] == want["by_type"][(label, theme.key)]
        assert report.share(theme.total) == pytest.approx(theme.total / 41)
    assert report.no_theme.human == 1  # coded by a person with none of the themes
    # Neither coder's code of the four counts.
    fourth = codebook.themes[3].key
    assert sum(base for _, base, _ in report.partner_rows()) == report.coded
    # Each partner type says how many of its coded answers people coded.
    for label, _, _ in report.partner_rows():
        assert report.partner_people.get(label, 0) == want["by_type"][(label, "by people")]
    assert sum(report.partner_people.values()) == report.human
    assert fourth in {key for key, _ in want["counts"]}
    by_source = dict(report.stance_rows())
    assert sum(sum(counts) for counts in by_source.values()) == report.coded
    # 12 coded by people (the 4 recoded "against" are not): three in four have a stance.
    assert sum(by_source["coded by people"][:3]) == 9


def test_the_report_counts_people_as_the_coding_page_does(setup, app):
    """The run's report and the coding page agree on people's counts: neither counts a
    response people coded differently and nobody settled (the model does not learn from
    it); the report counts the model's code for it instead, once the model has coded it."""
    run, codebook, data = setup
    job = coding.start_coding(codebook, FIRST)
    coding.run_coding(job.id, engine="fast")  # now the model codes the four waiting too
    report = coded.coded_report(run.question)
    summary = coding.summary(codebook, coding.latest_coding(codebook))
    assert report.human == summary.human == len(coding.learned_codes(codebook)) == 12
    assert summary.waiting == report.unsettled == report.unsettled_by_model == 4
    assert (report.machine, report.uncoded) == (24 + 4 + 1, 0)  # and the late answer
    assert [t.human for t in report.themes] == [t.human for t in summary.themes]
    want = expected(codebook)
    assert (report.human, report.machine) == (want["sources"]["human"], want["sources"]["machine"])
    for theme in report.themes:
        assert theme.machine == want["counts"][(theme.key, "machine")]
    assert report.unsettled_words.startswith(
        "4 answers that people coded differently are waiting to be settled. Until then "
        "they are counted with the model's code, not a person's"
    )
    # Settling one: it counts with people's codes again, and the note says three.
    settling.settle(codebook, data["ids"][0], SECOND, [codebook.themes[3].key], "against")
    report = coded.coded_report(run.question)
    assert (report.human, report.settled, report.unsettled, report.machine) == (13, 1, 3, 28)
    page = soup(signed_in(app, "analyst").get(f"/staff/reports/runs/{run.id}"))
    note = page.find(id="coded-unsettled")
    assert note.get_text(" ", strip=True).startswith(
        "3 answers that people coded differently are waiting"
    )
    # The run's CSV gives the model's code for the three still waiting, marked, and the
    # settled one as people's: counted from it, people's codes are the report's.
    client = signed_in(app, "analyst", "csv@example.gov.uk")
    body = client.get(f"/staff/reports/runs/{run.id}/report.csv")
    rows = list(csv.DictReader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff"))))
    waiting = [r for r in rows if r["codebook_disagreement"] == "not settled"]
    assert {r["reference"] for r in waiting} == set(data["references"][1:4])
    assert {r["codebook_source"] for r in waiting} == {"model"}
    assert all(r["codebook_confidence"] for r in waiting)
    first = next(r for r in rows if r["reference"] == data["references"][0])
    assert (first["codebook_source"], first["codebook_disagreement"]) == ("settled", "settled")
    assert_people_counted_as_the_report(rows, run, codebook)
    link = note.find("a")
    assert link.get_text(" ", strip=True) == "Settle the disagreements for this question"
    assert link["href"] == f"/staff/reports/questions/{run.question_id}/coding/disagreements"
    assert "13 coded by people (1 of them settled by" in page.find(id="coded-counts").get_text()


def test_counting_reads_a_few_grouped_rows_not_every_code(setup):
    run, _, _ = setup
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        coded.coded_report(run.question)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    codes = [s for s in statements if "human_code" in s or "machine_code " in s]
    # one grouped query for people's codes and one for the model's, not a row per answer,
    # and the codes of the responses the database finds coded twice (to count those coded
    # differently and not settled)
    assert len(codes) == 3 and all("GROUP BY" in s for s in codes)
    assert len(statements) <= 10


def test_no_codebook_no_section(app):
    consultation, question = make_question()
    add_answers(consultation, question, 12)
    run = stored_run(consultation, question, n_themes=2)
    assert coded.coded_report(question) is None
    viewer = signed_in(app, "viewer")
    page = soup(viewer.get(f"/staff/reports/runs/{run.id}"))
    assert page.find(id="coded") is None


def test_the_report_page_shows_the_section(setup, app):
    run, codebook, _ = setup
    viewer = signed_in(app, "viewer")
    page = soup(viewer.get(f"/staff/reports/runs/{run.id}"))
    section = page.find(id="coded")
    assert section is not None and section.find("h2").get_text() == "Coded against the codebook"
    text = section.get_text(" ", strip=True)
    # Its counts are labelled as a different count from the run's themes.
    assert section.find(id="coded-different-count").get_text(" ", strip=True) == (
        CODED_IS_A_DIFFERENT_COUNT
    )
    assert CODED_IS_A_DIFFERENT_COUNT.startswith("A different count from this analysis's themes")
    # the four a colleague coded differently, later, are not people's codes until settled
    assert (
        "41 answers (submitted and not blank): 12 coded by people, 4 coded differently by "
        "people and waiting to be settled, 24 by the model"
    ) in (
        text.replace(" ,", ",")  # "<strong>12 coded by people</strong>, 24"
    )
    assert "1 not coded yet" in text
    assert (
        section.find(id="coded-unsettled")
        .get_text(" ", strip=True)
        .startswith(
            "4 answers that people coded differently are waiting to be settled. Until then "
            "they are left out of these counts"
        )
    )
    rows = section.find(id="coded-themes").find("tbody").find_all("tr")
    assert len(rows) == len(codebook.themes) + 1  # and the answers with no codebook theme
    report = coded.coded_report(run.question)
    first = [c.get_text(strip=True) for c in rows[0].find_all(["th", "td"])]
    theme = report.themes[0]
    assert first[:5] == [
        f"{theme.key}: {theme.name}",
        str(theme.human),
        str(theme.machine),
        str(theme.total),
        f"{100 * theme.total / 41:.0f}%",
    ]
    assert section.find(id="coded-stance") is not None
    if report.guessed_stance:  # the model's stance guesses come with their measured accuracy
        caveat = section.find(id="coded-stance-guessed").get_text(" ", strip=True)
        assert caveat.startswith(f"{report.guessed_stance} stances are the model's guess")
    partner = section.find(id="coded-partner-types").find("tbody").find_all("tr")
    assert len(partner) == len(report.partner_rows())
    heads = [th.get_text(strip=True) for th in section.find(id="coded-partner-types").thead("th")]
    assert heads[1:3] == ["Coded answers", "Of them, by people"]
    by_people = [int(row.find_all("td")[1].get_text()) for row in partner]
    assert by_people == [
        report.partner_people.get(label, 0) for label, _, _ in report.partner_rows()
    ]
    assert sum(by_people) == report.human == 12


def assert_people_counted_as_the_report(rows: list[dict], run, codebook) -> None:
    """Counting people's codes from the run's CSV gives the report's figures: in all and
    theme by theme, and the responses they are of are those the model learns from."""
    report = coded.coded_report(run.question)
    people = [r for r in rows if r["codebook_source"] in ("human", "settled")]
    assert len(people) == report.human
    assert sum(r["codebook_source"] == "settled" for r in people) == report.settled
    assert sum(r["codebook_disagreement"] == "not settled" for r in rows) == report.unsettled
    for theme in report.themes:
        coded_with = [r for r in people if f"{theme.key}: " in r["codebook_themes"]]
        assert len(coded_with) == theme.human, theme.key
    references = dict(db.session.execute(select(Response.id, Response.reference)).tuples().all())
    learned = {references[r] for r in coding.learned_codes(codebook)}
    assert {r["reference"] for r in people} == learned


def test_run_downloads_carry_the_section_and_each_answers_coding(setup, app):
    from docx import Document
    from openpyxl import load_workbook

    run, codebook, data = setup
    client = signed_in(app, "analyst", "downloads@example.gov.uk")
    body = client.get(f"/staff/reports/runs/{run.id}/report.csv")
    assert body.status_code == 200
    rows = list(csv.DictReader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 40 and list(rows[0])[-1] == "text"
    by_reference = {r["reference"]: r for r in rows}
    # The four people coded differently and nobody settled count as the report counts them:
    # not with a person's code, nor the model's (it ran before they were coded twice): no
    # themes, and the source says "not settled", as the coding download's does (reviewedrun)
    sources = Counter(r["codebook_source"] for r in rows)
    assert sources == {"human": 12, "model": 24, "not settled": 4}
    assert Counter(r["codebook_disagreement"] for r in rows) == {"": 36, "not settled": 4}
    second = by_reference[data["references"][0]]
    assert [second[h] for h in coded_documents.CODE_HEADERS] == [
        "",
        "not settled",
        "",
        "",
        "",
        "not settled",
    ]
    model = next(r for r in rows if r["codebook_source"] == "model")
    assert 0 <= float(model["codebook_confidence"]) <= 1
    assert_people_counted_as_the_report(rows, run, codebook)
    workbook = load_workbook(
        io.BytesIO(client.get(f"/staff/reports/runs/{run.id}/report.xlsx").data)
    )
    assert workbook.sheetnames[-3:] == [
        "Codebook coding",
        "Codebook themes",
        "Codebook by partner type",
    ]
    figures = dict(workbook["Codebook coding"].iter_rows(values_only=True))
    assert figures.pop("Figure") == "Value"  # headers and row names in words
    assert (
        figures["Answers (submitted, not blank)"],
        figures["Coded by people"],
        figures["Coded by the model"],
    ) == (41, 12, 24)
    waiting = (
        "Coded differently by people and waiting to be settled (counted with the model's code "
        "where it has one it is sure of; not counted where the model is unsure or has no code; "
        "not in the people's count)"
    )
    assert (figures[waiting], figures["Not coded yet"]) == (4, 1)
    themes = list(workbook["Codebook themes"].iter_rows(values_only=True))
    assert themes[0][:6] == (
        "Theme key",
        "Theme",
        "Coded by people",
        "Coded by the model",
        "All answers coded with it",
        "Share of answered",
    )
    assert workbook["Codebook themes"]["F2"].number_format == "0.0%"  # still a share
    by_type = list(workbook["Codebook by partner type"].iter_rows(values_only=True))
    assert by_type[0][0] == "Partner type" and "_" not in "".join(by_type[0])
    assert by_type[0][2] == "Of them, coded by people"
    assert sum({row[0]: row[2] for row in by_type[1:]}.values()) == 12
    report = coded.coded_report(run.question)
    assert [row[:5] for row in themes[1 : len(report.themes) + 1]] == [
        (t.key, t.name, t.human, t.machine, t.total) for t in report.themes
    ]
    sheet = list(workbook["Coding"].iter_rows(values_only=True))
    column = sheet[0].index("codebook_disagreement")
    assert sheet[0][column - 4] == "codebook_source"
    assert Counter(r[column] for r in sheet[1:])["not settled"] == report.unsettled == 4
    assert sum(r[column - 4] in ("human", "settled") for r in sheet[1:]) == report.human
    document = Document(io.BytesIO(client.get(f"/staff/reports/runs/{run.id}/report.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Coded against the codebook" in text and CODED_IS_A_DIFFERENT_COUNT in text
    assert (
        "41 answers: 12 coded by people, 4 coded differently by people and waiting to be "
        "settled, 24 by the model"
    ) in text
    assert report.unsettled_words in text and report.unsettled_words.startswith("4 answers")
    cells = {c.text for table in document.tables for row in table.rows for c in row.cells}
    assert f"{report.themes[0].key}: {report.themes[0].name}" in cells


def test_response_exports_carry_the_coding_and_its_source(setup, app):
    from openpyxl import load_workbook

    run, codebook, data = setup
    client = signed_in(app, "analyst", "exports@example.gov.uk")
    url = f"/staff/consultations/{codebook.consultation_id}/export"
    body = client.get(f"{url}.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    header = rows[0]
    # "Q4: Why do you say that? (about Q3: ...)": a why question names what it explains
    question_column = next(
        i for i, h in enumerate(header) if h.split(": ", 1)[-1].startswith(run.question.text)
    )
    number = header[question_column].split(":")[0]
    assert header[question_column + 1 : question_column + 7] == [
        f"{number} coded themes",
        f"{number} coding source",
        f"{number} coding confidence",
        f"{number} coded stance",
        f"{number} stance source",
        f"{number} disagreement",
    ]
    by_reference = {row[0]: row for row in rows[1:]}
    # The four people coded differently and nobody settled: as the report counts them, not
    # with a person's code (nor the model's: it ran before), source and disagreement
    # "not settled".
    for reference in data["references"][:4]:
        assert by_reference[reference][question_column + 1 : question_column + 7] == [
            "",
            "not settled",
            *[""] * 3,
            "not settled",
        ]
    fifth = by_reference[data["references"][4]]
    assert fifth[question_column + 2 : question_column + 7] == ["human", "", "for", "human", ""]
    sources = Counter(row[question_column + 2] for row in rows[1:])
    assert sources == {"human": 12, "model": 24, "not settled": 4, "": 1}
    report = coded.coded_report(run.question)
    assert sources["human"] == report.human and sources["model"] == report.machine
    waiting = Counter(row[question_column + 6] for row in rows[1:])
    assert waiting["not settled"] == report.unsettled == 4
    workbook = load_workbook(io.BytesIO(client.get(f"{url}.xlsx").data), read_only=True)
    sheet = list(workbook["Responses"].iter_rows(values_only=True))
    assert sheet[0][question_column + 2] == f"{number} coding source"
    assert Counter(r[question_column + 2] for r in sheet[1:]) == {
        "human": 12,
        "model": 24,
        "not settled": 4,
        None: 1,
    }
    assert Counter(r[question_column + 6] for r in sheet[1:])["not settled"] == 4
    records = client.get(f"{url}.json").get_json()["responses"]
    said = Counter(r[f"{number} disagreement"] for r in records)
    assert said["not settled"] == 4
    assert Counter(r[f"{number} coding source"] for r in records)["human"] == 12


def test_response_pages_show_its_coding(setup, app):
    run, codebook, data = setup
    client = signed_in(app, "analyst", "pages@example.gov.uk")
    human_id = data["ids"][0]
    model_id = data["ids"][20]
    page = soup(client.get(f"/staff/reports/responses/{human_id}"))
    coding_text = page.find(id=f"coding-{run.question_id}").get_text(" ", strip=True)
    # coded differently by two people and not settled: said so, with who coded what (the
    # page showed the latest person's code as the response's)
    assert coding_text.startswith("Not settled People coded this answer differently")
    assert f"{SECOND} coded " in coding_text and "Coded by a person" not in coding_text
    assert codebook.themes[3].name in coding_text and "against" in coding_text
    page = soup(client.get(f"/staff/responses/{model_id}"))
    coding_text = page.find(id=f"coding-{run.question_id}").get_text(" ", strip=True)
    assert "Coded by the model" in coding_text and "confidence" in coding_text


def test_a_replaced_codebook_is_said_and_its_dropped_themes_counted_once(setup, app):
    """Seen by a new analyst: after importing a codebook without two themes only the model
    had used, the report's "No codebook theme" row said 4 answers while its stance split
    added up to 35 (the model's answers with only the dropped themes counted in one and not
    the other), and nothing said the model's coding followed the old codebook."""
    from openpyxl import load_workbook

    run, codebook, _ = setup
    report = coded.coded_report(run.question)
    assert report.stale == ""
    # Five of the model's answers carry only a theme of the old codebook ("OLD"), which the
    # new one, imported now, leaves out.
    latest = coding.latest_coding(codebook)
    people = {c.response_id for c in db.session.scalars(select(HumanCode))}
    moved = [
        m
        for m in db.session.scalars(select(MachineCode).where(MachineCode.coding_id == latest.id))
        if m.response_id not in people
    ][:5]
    for code in moved:
        code.themes = ["OLD"]
    db.session.commit()
    book = "id,name\n" + "".join(f"{t.key},{t.name}\n" for t in codebook.themes)
    coding.import_codebook(run.question, book.encode(), "new.csv", "first.analyst@example.gov.uk")
    report = coded.coded_report(run.question)
    assert report.stale.startswith("The codebook was replaced (")
    assert report.stale.endswith("Apply the model again.")
    row = report.no_theme
    assert row.machine == 5 and row.human == 1
    assert row.total == sum(row.stance.values())  # one count, not two
    assert sum(row.by_partner_type.values()) == row.total
    viewer = signed_in(app, "viewer")
    page = soup(viewer.get(f"/staff/reports/runs/{run.id}"))
    assert report.stale in " ".join(page.find(id="coded-stale").get_text().split())
    analyst = signed_in(app, "analyst", "third@example.gov.uk")
    page = soup(analyst.get(f"/staff/reports/questions/{run.question_id}/coding"))
    assert report.stale in " ".join(page.find(id="coding-stale").get_text().split())
    workbook = load_workbook(
        io.BytesIO(analyst.get(f"/staff/reports/runs/{run.id}/report.xlsx").data)
    )
    assert dict(workbook["Codebook coding"].iter_rows(values_only=True))["Warning"] == report.stale
    # Applied again, the warning goes.
    job = coding.start_coding(codebook, "first.analyst@example.gov.uk")
    coding.run_coding(job.id, engine="fast")
    assert coded.coded_report(run.question).stale == ""


def test_codes_waiting_to_be_settled_are_not_said_as_codes_lost(app, setup):
    """smoke10 Notes: with codes in dispute the Word summary said "People have coded 12
    responses now, 16 when the model was last applied", as if codes were lost; the page and
    the Word summary now name the ones waiting to be settled, as the apply warning does."""
    from docx import Document

    run, codebook, _ = setup
    want = (
        "The model can learn from 12 responses now (4 more, coded differently, wait to be "
        "settled); it learned from 16 when it was last applied. No code is lost: settle the "
        "disagreements, then apply the model again to bring these figures up to date."
    )
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/questions/{run.question_id}/coding"))
    assert " ".join(page.find(id="coded-since").get_text().split()) == want
    word = client.get(f"/staff/reports/questions/{run.question_id}/coding/download.docx")
    paragraphs = [p.text for p in Document(io.BytesIO(word.data)).paragraphs]
    assert want in paragraphs
    assert not any("People have coded 12 responses now" in p for p in paragraphs)


def test_since_words():
    assert coding.since_words(16, 16) == ""
    assert coding.since_words(1, 0).startswith("People have coded 1 response now, 0 when")
    assert coding.since_words(9, 16, 1).startswith(
        "The model can learn from 9 responses now (1 more, coded differently, waits to be "
        "settled); it learned from 16"
    )


def test_an_answer_three_people_coded_differently_is_not_said_to_be_two_peoples(setup):
    """review fixr2 #5: "answers that two people coded differently" was untrue of an answer
    three people coded three ways."""
    run, codebook, data = setup
    keys = [t.key for t in codebook.themes]
    coding.save_code(codebook, data["ids"][0], "third.analyst@example.gov.uk", [keys[2]], "for")
    report = coded.coded_report(run.question)
    assert report.unsettled == 4
    assert report.unsettled_words.startswith(
        "4 answers that people coded differently are waiting to be settled."
    )
    assert "two people" not in report.unsettled_words
