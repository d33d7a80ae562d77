"""Settling disagreements between coders: the rules (consult.reports.settling) and the pages.

Two colleagues who code the same response differently used to leave the latest code to win,
for the model and the reports alike. Now the team settles it; the settled code counts, and
the agreement between coders is still measured on what each of them coded."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEvent
from consult.reports import coded, coding, settling
from consult.reports.coding_models import HumanCode, SettledCode
from tests.helpers import error_summary, soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

FIRST = "first.analyst@example.gov.uk"
SECOND = "second.analyst@example.gov.uk"


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    return stored_run(consultation, question, n_themes=4)


@pytest.fixture
def codebook(run):
    return coding.codebook_from_run(run, FIRST)


@pytest.fixture
def analyst(app):
    return signed_in(app, "analyst", FIRST)


def overview_url(question_id: int) -> str:
    return f"/staff/reports/questions/{question_id}/coding"


def list_url(question_id: int) -> str:
    return f"{overview_url(question_id)}/disagreements"


def two_coders(codebook, ids: list[int]) -> list[str]:
    """Six responses both coders coded: the first two differently in themes, the third in
    stance only, the rest alike."""
    keys = [t.key for t in codebook.themes]
    for number, response_id in enumerate(ids[:6]):
        coding.save_code(codebook, response_id, FIRST, [keys[0]], "for")
        theirs = [keys[1]] if number < 2 else [keys[0]]
        stance = "against" if number == 2 else "for"
        coding.save_code(codebook, response_id, SECOND, theirs, stance)
    return keys


# --- the rules --------------------------------------------------------------------------------


def test_disagreements_are_responses_coded_differently_in_answer_order(run, codebook):
    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    coding.save_code(codebook, ids[10], FIRST, [keys[2]], None)  # one coder only: not listed
    found = settling.disagreements(codebook)
    assert [d.response_id for d in found] == ids[:3]
    first = found[0]
    assert [c.coder for c in first.codes] == [FIRST, SECOND]
    assert [c.themes for c in first.codes] == [(keys[0],), (keys[1],)]
    assert first.themes_differ and not first.stance_differs
    assert found[2].stance_differs and not found[2].themes_differ
    assert settling.count(codebook) == 3


def test_a_settled_code_counts_and_the_coders_agreement_is_kept(run, codebook):
    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    before = coding.intercoder_figures(codebook)
    # The latest code (the second coder's) won before settling.
    assert coding.human_codes(codebook)[ids[0]].themes == [keys[1]]
    settled = settling.settle(codebook, ids[0], FIRST, [keys[2], keys[0]], "mixed")
    assert settled.themes == [keys[0], keys[2]]  # in codebook order
    assert [d.response_id for d in settling.disagreements(codebook)] == ids[1:3]
    # What the model learns from and what the reports count: the settled code.
    human = coding.human_codes(codebook)[ids[0]]
    assert human.themes == [keys[0], keys[2]] and human.stance == "mixed"
    assert human.coder_email == FIRST
    code = coded.response_codes([codebook.id], [ids[0]])[(codebook.id, ids[0])]
    assert code.themes == [keys[0], keys[2]] and code.stance == "mixed" and code.coder == FIRST
    counts = coded.coded_counts(codebook, None)
    assert counts.human == 6  # still six responses coded by people, not seven
    by_key = {t.key: t for t in counts.themes}
    assert by_key[keys[2]].human == 1 and by_key[keys[1]].human == 1  # ids[1] only now
    # The coders' own codes are untouched, and so is their agreement.
    assert db.session.scalar(select(func.count()).select_from(HumanCode)) == 12
    assert coding.intercoder_figures(codebook) == before
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "coding_settled"))
    assert event is not None and event.actor == FIRST
    assert '"stance": "mixed"' in event.detail and SECOND in event.detail


def test_settling_again_replaces_and_a_later_different_code_reopens_it(run, codebook):
    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    settling.settle(codebook, ids[0], FIRST, [keys[0]], "for")
    settling.settle(codebook, ids[0], SECOND, [keys[1]], None)
    assert db.session.scalar(select(func.count()).select_from(SettledCode)) == 1
    assert settling.settled_code(codebook, ids[0]).settled_by_email == SECOND
    # A coder coding it again as settled leaves it settled; differently, reopens it.
    coding.save_code(codebook, ids[0], FIRST, [keys[1]], None)
    assert ids[0] not in [d.response_id for d in settling.disagreements(codebook)]
    coding.save_code(codebook, ids[0], FIRST, [keys[3]], None)
    reopened = [d for d in settling.disagreements(codebook) if d.response_id == ids[0]]
    assert reopened and reopened[0].settled is not None
    # Until settled again, the settled code still counts.
    assert coding.human_codes(codebook)[ids[0]].themes == [keys[1]]


def test_settling_refuses_what_cannot_be_settled(run, codebook):
    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    coding.save_code(codebook, ids[10], FIRST, [keys[0]], None)
    with pytest.raises(coding.CodingError, match="two or more people"):
        settling.settle(codebook, ids[10], FIRST, [keys[0]], None)
    with pytest.raises(coding.CodingError, match="not in the codebook"):
        settling.settle(codebook, ids[0], FIRST, ["ZZZ"], None)
    with pytest.raises(coding.CodingError, match="Choose for, against"):
        settling.settle(codebook, ids[0], FIRST, [keys[0]], "maybe")
    assert db.session.scalar(select(func.count()).select_from(SettledCode)) == 0


def test_the_model_learns_from_the_settled_code(run, codebook):
    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    settling.settle(codebook, ids[0], FIRST, [keys[3]], "against")
    job = coding.start_coding(codebook, FIRST)
    coding.run_coding(job.id, engine="fast")
    job = db.session.get(type(job), job.id)
    assert job.status == "succeeded", job.error
    # Six coded by people: three alike, one settled, two still differing (ids[1], ids[2]),
    # which the model does not learn from until they are settled.
    assert job.human_count == 4
    assert coding.machine_code(job, ids[0]) is None  # a person's (the team's) code, kept
    assert coding.machine_code(job, ids[1]) is not None


@pytest.mark.parametrize("how", ["delete", "anonymise"])
def test_removing_a_respondents_data_removes_its_settled_code(run, codebook, how):
    from consult import retention
    from consult.models import Response

    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    settling.settle(codebook, ids[0], FIRST, [keys[0]], None)
    settling.settle(codebook, ids[1], FIRST, [keys[1]], None)
    retention.remove(db.session.get(Response, ids[0]), how, "the respondent asked")
    db.session.commit()
    assert [s.response_id for s in db.session.scalars(select(SettledCode))] == [ids[1]]


def test_a_new_codebook_keeps_the_themes_a_settled_code_uses(run, codebook):
    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    settling.settle(codebook, ids[0], FIRST, [keys[3]], None)
    kept = [t for t in codebook.themes if t.key != keys[3]]
    book = "id,name\n" + "".join(f"{t.key},Theme {t.key}\n" for t in kept)
    with pytest.raises(coding.CodingError, match=keys[3]):
        coding.import_codebook(run.question, book.encode(), "book.csv", FIRST)


# --- the pages --------------------------------------------------------------------------------


def test_the_overview_counts_disagreements_and_the_list_shows_who_coded_what(
    run, codebook, analyst
):
    ids = answers_of(run.question)["ids"]
    page = soup(analyst.get(overview_url(run.question_id)))
    assert "No disagreements to settle" in page.find(id="disagreements").get_text(" ")
    keys = two_coders(codebook, ids)
    page = soup(analyst.get(overview_url(run.question_id)))
    link = page.find(id="disagreements").find("a")
    assert link.get_text(" ", strip=True) == "3 disagreements to settle"
    listed = soup(analyst.get(link["href"]))
    assert listed.find(id="disagreements-count").get_text(strip=True) == (
        "3 disagreements to settle."
    )
    names = {t.key: t.name for t in codebook.themes}
    first = listed.find(id=f"response-{ids[0]}").find_next("table")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in first.find("tbody").find_all("tr")
    ]
    assert [row[:3] for row in rows] == [
        [FIRST, f"{keys[0]}: {names[keys[0]]}", "For"],
        [SECOND, f"{keys[1]}: {names[keys[1]]}", "For"],
    ]
    assert listed.find("a", string=lambda s: s and s.startswith("Settle response"))


def test_settle_a_disagreement_from_one_side(run, codebook, analyst):
    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    url = f"{list_url(run.question_id)}/{ids[0]}"
    empty = soup(analyst.get(url))
    # Each coder's "Start from this" link stays on one line and names whose coding it is.
    starts = [a for a in empty.find_all("a") if a.get_text().startswith("Start from this")]
    assert [a.get_text() for a in starts] == [
        f"Start from this coding by {FIRST}",
        f"Start from this coding by {SECOND}",
    ]
    assert all("consult-nowrap" in a["class"] for a in starts)
    # Every column is named on screen, as to a screen reader (left18: the links' column had
    # a visually hidden header only), and the caption names the table.
    table = starts[0].find_parent("table")
    headers = table.find("thead").find_all("th")
    assert not table.select("thead .govuk-visually-hidden")
    assert [th.get_text(strip=True) for th in headers] == [
        "Coded by",
        "Themes",
        "Stance",
        "When",
        "Actions",
    ]
    assert table.find("caption").get_text(strip=True).startswith("How each person coded")
    assert not [b for b in empty.find_all("input", {"name": "themes"}) if b.has_attr("checked")]
    second = settling.coder_codes(codebook, ids[0])[1]
    started = soup(analyst.get(f"{url}?start={second.id}"))
    ticked = [
        b["value"] for b in started.find_all("input", {"name": "themes"}) if b.has_attr("checked")
    ]
    assert ticked == [keys[1]]
    assert started.find("input", {"name": "stance", "value": "for"}).has_attr("checked")
    done = post(analyst, url, {"themes": [keys[1], keys[2]], "stance": "against"})
    assert done.status_code == 302 and done.headers["Location"].endswith(list_url(run.question_id))
    shown = analyst.get(done.headers["Location"])
    assert "Settled the coding of response" in shown.get_data(as_text=True)
    assert soup(shown).find(id=f"response-{ids[0]}") is None
    settled = settling.settled_code(codebook, ids[0])
    assert settled.themes == [keys[1], keys[2]] and settled.stance == "against"
    # Shown on the page again when opened, with who settled it: the reader, here.
    again = soup(analyst.get(url)).find(id="settled").get_text(" ", strip=True)
    assert again.startswith("Settled by you (")


def test_bad_input_is_refused_plainly(run, codebook, analyst, app):
    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    coding.save_code(codebook, ids[10], FIRST, [keys[0]], None)
    url = f"{list_url(run.question_id)}/{ids[0]}"
    empty = post(analyst, url, {})
    assert empty.status_code == 400
    assert error_summary(empty) == [
        ("#themes", "Choose the themes this response raises, or ‘None of these themes’"),
        ("#stance", "Choose a stance: every person who coded it said ‘For’"),
    ]
    bad = post(analyst, url, {"themes": ["ZZZ"], "stance": "maybe"})
    assert bad.status_code == 400
    assert {m for _, m in error_summary(bad)} >= {"Choose themes from the codebook"}
    assert db.session.scalar(select(func.count()).select_from(SettledCode)) == 0
    # Unknown response, one coded by one person only, a start from another response's code,
    # a question without a codebook: not found.
    assert analyst.get(f"{list_url(run.question_id)}/999999").status_code == 404
    assert analyst.get(f"{list_url(run.question_id)}/{ids[10]}").status_code == 404
    other = settling.coder_codes(codebook, ids[1])[0]
    assert analyst.get(f"{url}?start={other.id}").status_code == 404
    assert analyst.get("/staff/reports/questions/999999/coding/disagreements").status_code == 404
    # No CSRF token: refused, nothing saved.
    refused = analyst.post(url, data={"themes": [keys[0]], "stance": ""})
    assert refused.status_code in (302, 400)
    assert db.session.scalar(select(func.count()).select_from(SettledCode)) == 0
    # Those who may not code may not settle (or see the list).
    viewer = signed_in(app, "viewer")
    assert viewer.get(list_url(run.question_id)).status_code == 403
    assert viewer.get(url).status_code == 403
    assert viewer.post(url, data={"themes": [keys[0]]}).status_code in (400, 403)
    overview = soup(viewer.get(overview_url(run.question_id)))
    assert overview.find(id="disagreements") is None


def test_the_coding_page_says_a_response_was_settled_but_not_while_checking(run, codebook, analyst):
    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    settling.settle(codebook, ids[0], SECOND, [keys[2]], None)
    url = f"{overview_url(run.question_id)}/{ids[0]}"
    note = soup(analyst.get(url)).find(id="settled").get_text(" ", strip=True)
    assert note.startswith(f"The team's coding of this response, settled by {SECOND} (")
    assert keys[2] in note and "not coded for stance" in note
    assert soup(analyst.get(f"{url}?check=colleagues")).find(id="settled") is None


THIRD = "third.analyst@example.gov.uk"


def test_every_download_and_page_says_a_settled_code_was_settled(run, codebook, analyst):
    """A code a colleague settled is people's code, but not one person's: the coding
    downloads (CSV, Excel, Word), the run's report files, the response exports and the pages
    say it was settled, and by whom where they name the coder; a code still not settled is
    "not settled", with no themes."""
    import csv
    import io

    from docx import Document
    from openpyxl import load_workbook

    data = answers_of(run.question)
    ids, references = data["ids"], data["references"]
    keys = two_coders(codebook, ids)
    settling.settle(codebook, ids[0], THIRD, [keys[2]], "against")
    settled_ref, open_ref = references[0], references[1]  # ids[1] is disagreed, not settled

    # The coding downloads: source and stance source "settled", the coder is who settled it.
    base = f"{overview_url(run.question_id)}/download"
    body = analyst.get(f"{base}.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(body))}
    coding_rows = rows
    settled_row = rows[settled_ref]
    assert (settled_row["source"], settled_row["coder"]) == ("settled", THIRD)
    assert (settled_row["stance"], settled_row["stance_source"]) == ("against", "settled")
    assert settled_row["themes"] == keys[2]
    # not settled: no code counts for it, so none here (smoke8 #7; the coders' codes are in
    # the disagreements' detail)
    assert (rows[open_ref]["source"], rows[open_ref]["themes"]) == ("not settled", "")
    assert (rows[open_ref]["coder"], rows[open_ref]["stance"]) == ("", "")
    # the download says which people's codes still differ (ids[1] in themes, ids[2] in
    # stance only), and which were settled
    still_open = {open_ref, references[2]}
    assert {r for r, row in rows.items() if row["disagreement"] == "not settled"} == still_open
    assert settled_row["disagreement"] == "settled"
    assert all(
        row["disagreement"] == ""
        for reference, row in rows.items()
        if reference not in still_open | {settled_ref}
    )
    assert [r["source"] for r in rows.values()].count("human") == 3
    assert [r["source"] for r in rows.values()].count("not settled") == 2
    workbook = load_workbook(io.BytesIO(analyst.get(f"{base}.xlsx").get_data()), read_only=True)
    sheet = list(workbook["Coding"].iter_rows(values_only=True))
    header = list(sheet[0])
    by_reference = {row[0]: row for row in sheet[1:]}
    assert by_reference[settled_ref][header.index("source")] == "settled"
    assert by_reference[settled_ref][header.index("coder")] == THIRD
    document = Document(io.BytesIO(analyst.get(f"{base}.docx").get_data()))
    text = "\n".join(p.text for p in document.paragraphs)
    # Of the six people coded, the two still differing wait to be settled, counted apart.
    assert (
        "4 coded by people (1 of them settled by a colleague where coders disagreed), 2 coded "
        "differently by people and waiting to be settled, "
    ) in text
    # The disagreements still open are said too (the page lists them; the summary was silent).
    # (in the words of the run's report and the coding page: one rule, smoke18w #1)
    assert (
        "2 answers that people coded differently are waiting to be settled. Until then they are "
        "left out of these counts, and the model does not learn from them."
    ) in text
    # The colleagues' own agreement, as the page gives it: both coded the same 6 responses,
    # the first two in other themes, so F1 4/6; kappa per theme in a table.
    assert (
        f"{min(FIRST, SECOND)} and {max(FIRST, SECOND)} both coded 6 responses: F1 0.67"
    ) in text
    assert "they gave the same stance to 5 of the 6 responses both coded for stance" in text
    assert "Only 6 responses in common" in text
    kappas = next(t for t in document.tables if t.rows[0].cells[1].text == "Cohen's kappa")
    assert kappas.rows[1].cells[0].text.startswith(f"{keys[0]}: ")

    # The run's report files.
    report = f"/staff/reports/runs/{run.id}/report"
    body = analyst.get(f"{report}.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(body))}
    assert rows[settled_ref]["codebook_source"] == "settled"
    assert rows[settled_ref]["codebook_stance_source"] == "settled"
    assert rows[settled_ref]["codebook_disagreement"] == "settled"
    # As the report counts them: the two still differing are not people's codes (nor the
    # model's: it has not coded them), marked "not settled", their source too, as the coding
    # download's (reviewedrun: it was blank, read "not coded yet").
    waiting_refs = {r for r, row in rows.items() if row["codebook_disagreement"] == "not settled"}
    assert waiting_refs == still_open
    assert [rows[r]["codebook_source"] for r in sorted(still_open)] == ["not settled"] * 2
    assert {rows[r]["codebook_source"] for r in still_open} == {
        coding_rows[r]["source"] for r in still_open
    }
    assert [rows[r]["codebook_themes"] for r in sorted(still_open)] == ["", ""]
    assert sum(row["codebook_source"] in ("human", "settled") for row in rows.values()) == 4
    workbook = load_workbook(io.BytesIO(analyst.get(f"{report}.xlsx").data))
    figures = dict(workbook["Codebook coding"].iter_rows(values_only=True))
    # As the coding page: the two people coded differently and nobody settled are not
    # people's codes (the model's counts for them, once it has coded them).
    assert figures["Coded by people"] == 4
    assert figures["Of them, settled by a colleague where coders disagreed"] == 1
    waiting = (
        "Coded differently by people and waiting to be settled (counted with the model's code "
        "where it has one it is sure of; not counted where the model is unsure or has no code; "
        "not in the people's count)"
    )
    assert figures[waiting] == 2
    document = Document(io.BytesIO(analyst.get(f"{report}.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "4 coded by people (1 of them settled by a colleague where coders disagreed), " in text
    assert "2 answers that people coded differently are waiting to be settled. " in text

    # The response exports.
    url = f"/staff/consultations/{codebook.consultation_id}/export.csv"
    table = list(csv.reader(io.StringIO(analyst.get(url).get_data(as_text=True).lstrip("\ufeff"))))
    source = next(i for i, h in enumerate(table[0]) if h.endswith("coding source"))
    stance_source = next(i for i, h in enumerate(table[0]) if h.endswith("stance source"))
    exported = {row[0]: row for row in table[1:]}
    assert (exported[settled_ref][source], exported[settled_ref][stance_source]) == (
        "settled",
        "settled",
    )
    disagreement = next(i for i, h in enumerate(table[0]) if h.endswith(" disagreement"))
    assert (exported[open_ref][source], exported[open_ref][disagreement]) == (
        "not settled",
        "not settled",
    )
    assert exported[settled_ref][disagreement] == "settled"
    assert sum(row[source] in ("human", "settled") for row in exported.values()) == 4

    # The pages: the response's coding, the report's and the coding page's counts.
    for page in (f"/staff/reports/responses/{ids[0]}", f"/staff/responses/{ids[0]}"):
        said = soup(analyst.get(page)).find(id=f"coding-{run.question_id}")
        said = said.get_text(" ", strip=True)
        assert f"Coded by people who disagreed, settled by a colleague ({THIRD}," in said
        assert "against (settled by a colleague where coders disagreed)" in said
    said = soup(analyst.get(f"/staff/reports/responses/{ids[1]}")).find(
        id=f"coding-{run.question_id}"
    )
    # Coded differently and not settled: the page says the codes disagree, who coded what,
    # and counts it as the report does (not as the latest person's code).
    said = said.get_text(" ", strip=True)
    assert said.startswith("Not settled People coded this answer differently"), said
    assert f"{SECOND} coded {keys[1]}: " in said and "you coded " in said
    assert "Coded by a person" not in said
    counts = soup(analyst.get(f"/staff/reports/runs/{run.id}")).find(id="coded-counts")
    assert (
        "4 coded by people (1 of them settled by a colleague where coders disagreed), "
    ) in counts.get_text(" ", strip=True)
    # The run's report, like the coding page and what the model learns from, does not count
    # the two as people's codes until they are settled (the report says so apart).
    waits = soup(analyst.get(f"/staff/reports/runs/{run.id}")).find(id="coded-unsettled")
    assert waits.get_text(" ", strip=True).startswith(
        "2 answers that people coded differently are waiting"
    )
    overview = soup(analyst.get(overview_url(run.question_id))).get_text(" ", strip=True)
    assert (
        "4 coded by people (1 of them settled by a colleague where coders disagreed), 2 coded "
        "differently by people and waiting to be settled"
    ) in overview


# --- what the settle form starts with (smoke3 finding 18) -------------------------------------


def test_the_settle_form_starts_from_the_stance_and_themes_the_coders_agreed_on(
    run, codebook, analyst
):
    """Both coders said 'Against' and differed only on themes: the settle form started at
    'Not coded for stance' and saving it stored an empty stance over their agreement."""
    ids = answers_of(run.question)["ids"]
    keys = [t.key for t in codebook.themes]
    coding.save_code(codebook, ids[0], FIRST, [keys[0], keys[1]], "against")
    coding.save_code(codebook, ids[0], SECOND, [keys[1], keys[2]], "against")
    url = f"{list_url(run.question_id)}/{ids[0]}"
    page = soup(analyst.get(url))
    assert page.find("input", {"name": "stance", "checked": True})["value"] == "against"
    ticked = [b["value"] for b in page.find_all("input", {"name": "themes", "checked": True})]
    assert ticked == [keys[1]]  # the theme both chose; the others are the team's call
    assert page.find(id="starting").get_text(" ", strip=True) == (
        f"The form starts from what both people who coded it agreed on: theme {keys[1]} and "
        "stance ‘Against’."
    )
    # Saved as shown (the browser sends the checked stance): the agreed stance is kept.
    done = post(analyst, url, {"themes": [keys[1], keys[0]], "stance": "against"})
    assert done.status_code == 302
    settled = settling.settled_code(codebook, ids[0])
    assert settled.themes == [keys[0], keys[1]] and settled.stance == "against"


def test_a_blank_stance_is_never_stored_over_an_agreed_one_silently(run, codebook, analyst):
    ids = answers_of(run.question)["ids"]
    keys = [t.key for t in codebook.themes]
    coding.save_code(codebook, ids[0], FIRST, [keys[0]], "against")
    coding.save_code(codebook, ids[0], SECOND, [keys[1]], "against")
    url = f"{list_url(run.question_id)}/{ids[0]}"
    # No stance sent at all: asked for, nothing saved.
    unsent = post(analyst, url, {"themes": [keys[0]]})
    assert unsent.status_code == 400
    assert error_summary(unsent) == [
        ("#stance", "Choose a stance: every person who coded it said ‘Against’")
    ]
    assert settling.settled_code(codebook, ids[0]) is None
    # "Not coded for stance" chosen on purpose: saved, and the confirmation says what it drops.
    chosen = post(analyst, url, {"themes": [keys[0]], "stance": ""})
    assert chosen.status_code == 302
    assert settling.settled_code(codebook, ids[0]).stance is None
    shown = " ".join(soup(analyst.get(chosen.headers["Location"])).get_text(" ").split())
    assert "Its stance is not coded, though every person who coded it said ‘Against’." in shown


def test_coders_who_differ_on_stance_start_from_the_respondents_own_answer(run, codebook, analyst):
    from consult.models import Answer

    ids = answers_of(run.question)["ids"]
    keys = [t.key for t in codebook.themes]
    coding.save_code(codebook, ids[0], FIRST, [], "for")
    coding.save_code(codebook, ids[0], SECOND, [], "mixed")
    db.session.add(
        Answer(response_id=ids[0], question_id=run.question.explains_id, value="disagree")
    )
    db.session.commit()
    page = soup(analyst.get(f"{list_url(run.question_id)}/{ids[0]}"))
    assert page.find("input", {"name": "stance", "checked": True})["value"] == "against"
    ticked = [b["value"] for b in page.find_all("input", {"name": "themes", "checked": True})]
    assert ticked == ["-none"]  # both chose "None of these themes"
    number = coding.explained_number(run.question)
    assert page.find(id="starting").get_text(" ", strip=True) == (
        "The form starts from what both people who coded it agreed on: none of the themes. "
        f"Its stance starts as ‘Against’, from their answer to Q{number}, as the people who "
        "coded it did not give the same stance."
    )
    # Nothing shared and no answer to go on: the form starts empty and says nothing.
    coding.save_code(codebook, ids[1], FIRST, [keys[0]], "for")
    coding.save_code(codebook, ids[1], SECOND, [keys[1]], None)
    empty = soup(analyst.get(f"{list_url(run.question_id)}/{ids[1]}"))
    assert empty.find("input", {"name": "stance", "checked": True})["value"] == ""
    assert not empty.find_all("input", {"name": "themes", "checked": True})
    assert empty.find(id="starting") is None


def test_starting_code_rules():
    from datetime import UTC, datetime

    def code(themes, stance):
        return settling.CoderCode(1, FIRST, tuple(themes), stance, datetime.now(UTC))

    three = [code(["A", "B"], "for"), code(["B", "A", "C"], "for"), code(["B"], "for")]
    assert settling.starting_code(three, "against") == settling.StartingCode(
        ("B",), "for", "coders"
    )
    assert settling.starting_code([code([], None), code(["A"], None)], "mixed") == (
        settling.StartingCode(None, "mixed", "answer")
    )
    assert settling.dropped_stance(three, None) == "for"
    assert settling.dropped_stance(three, "against") is None


# --- disagreements waiting to be settled (issue 13) -------------------------------------------


def test_a_theme_given_only_where_coders_disagree_is_not_learned_and_the_page_says_so(
    run, codebook, analyst
):
    """Two coders' differing codes, not settled: the latest one counted on the coding page as
    a coded example, the other coder's theme was missing with no word, and the model learned
    from the latest. Now the model learns only from agreed, settled or one coder's codes, and
    the page counts the disagreement apart, theme by theme."""
    ids = answers_of(run.question)["ids"]
    keys = [t.key for t in codebook.themes]
    for theme in codebook.themes[2:]:  # no codebook example: only people's codes teach them
        theme.examples, theme.example_references = [], []
    db.session.commit()
    for response_id in ids[:10]:  # one coder each: learned from
        coding.save_code(codebook, response_id, FIRST, [keys[response_id % 2]], None)
    coding.save_code(codebook, ids[10], FIRST, [keys[2]], "for")  # differ: waits
    coding.save_code(codebook, ids[10], SECOND, [keys[3]], "for")
    coding.save_code(codebook, ids[11], FIRST, [keys[0]], "against")  # alike: learned
    coding.save_code(codebook, ids[11], SECOND, [keys[0]], "against")
    assert settling.waiting(codebook) == {ids[10]}
    learned = coding.learned_codes(codebook)
    assert set(learned) == set(ids[:12]) - {ids[10]}
    assert set(coding.human_codes(codebook)) == set(ids[:12])  # the reports' view: latest

    job = coding.start_coding(codebook, FIRST)
    coding.run_coding(job.id, engine="fast")
    job = db.session.get(type(job), job.id)
    assert job.status == "succeeded", job.error
    assert job.human_count == 11
    assert job.metrics["themes"]["coded"] == 11
    assert coding.machine_code(job, ids[10]) is not None  # the model codes it meanwhile
    # Where the model then gives a disputed theme to no response (the figures name it as
    # having no coded example), the page says why: it is given only where coders differ.
    job.metrics = {**job.metrics, "themes": {**job.metrics["themes"], "no_example": keys[2:]}}
    db.session.commit()
    # The next response to code is never the disputed one (people have coded it).
    assert coding.next_response(codebook, "third@example.gov.uk") not in set(ids[:12])

    page = soup(analyst.get(overview_url(run.question_id)))
    assert "People have coded 11 responses the model can learn from (1 more, coded " in (
        page.find(id="apply-too-soon").get_text(" ", strip=True)
    )
    progress = page.find(id="coding-progress").get_text(" ", strip=True)
    # the other 29 by the model, some left unsure: learned from 11 codes, the floor is raised;
    # the one waiting to be settled counts with the model's code meanwhile, as the run's
    # report counts it (one rule, smoke18w #1), unless the model is unsure of it: then it is
    # not counted, and the page says so (left26: it said "counted with the model's code")
    summary = coding.summary(codebook, job)
    assert summary.machine + summary.unsure == 29
    unsure = coding.machine_code(job, ids[10]).confidence < summary.floor
    meanwhile = (
        "not counted meanwhile: the model is unsure"
        if unsure
        else "counted with the model's code meanwhile"
    )
    assert progress.startswith(
        "40 answers: 11 coded by people, 1 coded differently by people and waiting to be "
        f"settled ({meanwhile}), {summary.machine} by the model"
    ), progress
    assert progress.endswith("0 not coded yet. The model never changes a code a person gave.")
    said = page.find(id="waiting-to-settle")
    until = (
        "not counted: the model is unsure of it"
        if unsure
        else "counted with the model's code, not a person's"
    )
    assert said.get_text(" ", strip=True).startswith(
        "1 answer that people coded differently is waiting to be settled. Until then it is "
        f"{until}, and the model does not learn from it."
    )
    assert said.find("a")["href"].endswith(list_url(run.question_id))
    table = page.find("table")
    header = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")]
    assert header[:5] == [
        "Theme",
        "Coded by people",
        "Waiting to be settled (given by a coder)",
        "Coded by the model",
        "In all (people and model)",
    ]
    cells = {
        row.find("th").get_text(strip=True).split(":")[0]: [
            int(td.get_text(strip=True)) for td in row.find_all("td")[:4]
        ]
        for row in table.find("tbody").find_all("tr")
    }
    assert cells[keys[2]][:2] == [0, 1] and cells[keys[3]][:2] == [0, 1]
    assert cells[keys[0]][:2] == [6, 0]  # five of ids[:10] and the agreed ids[11]
    no_example = page.find(id="no-example").get_text(" ", strip=True)
    assert no_example.startswith(
        "! Warning 2 themes of 4 are given only in responses people coded differently, which "
        f"wait to be settled: {keys[2]} ("
    )
    assert "until the team settles them" in no_example and "no coded example" not in no_example

    # The response's coding page says it waits (not while a colleague checks it blind).
    url = f"{overview_url(run.question_id)}/{ids[10]}"
    note = soup(analyst.get(url)).find(id="waiting")
    assert note.get_text(" ", strip=True).startswith(
        "People coded this response differently and nobody has settled it yet"
    )
    assert note.find("a")["href"].endswith(f"{list_url(run.question_id)}/{ids[10]}")
    assert soup(analyst.get(f"{url}?check=colleagues")).find(id="waiting") is None
    assert (
        soup(analyst.get(f"{overview_url(run.question_id)}/{ids[11]}")).find(id="waiting") is None
    )

    # Settled: learned from, counted with people, and nothing waits.
    settling.settle(codebook, ids[10], FIRST, [keys[3]], "for")
    assert settling.waiting(codebook) == set()
    assert coding.learned_codes(codebook)[ids[10]].themes == [keys[3]]
    page = soup(analyst.get(overview_url(run.question_id)))
    assert page.find(id="waiting-to-settle") is None
    assert "12 coded by people (1 of them settled" in page.find(id="coding-progress").get_text(
        " ", strip=True
    )
    assert "Waiting to be settled" not in page.find("table").get_text(" ")


# --- who settled it, as the reader reads it (issue 13) -----------------------------------------


def test_a_code_you_settled_says_settled_by_you_and_a_colleagues_gives_their_name(
    run, codebook, analyst, app
):
    """The pages said "settled by a colleague" to the person who had settled it."""
    from consult.models import User

    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    settling.settle(codebook, ids[0], FIRST, [keys[2]], "against")  # the reader settles one
    for page in (f"/staff/reports/responses/{ids[0]}", f"/staff/responses/{ids[0]}"):
        said = soup(analyst.get(page)).find(id=f"coding-{run.question_id}")
        said = said.get_text(" ", strip=True)
        assert "Coded by people who disagreed, settled by you (" in said, said
        assert "against (settled by you where coders disagreed)" in said
        assert "colleague" not in said
    overview = soup(analyst.get(overview_url(run.question_id)))
    assert "4 coded by people (1 of them settled by you where coders disagreed)" in (
        overview.find(id="coding-progress").get_text(" ", strip=True)
    )
    counts = soup(analyst.get(f"/staff/reports/runs/{run.id}")).find(id="coded-counts")
    assert "(1 of them settled by you where coders disagreed), " in (
        counts.get_text(" ", strip=True)
    )
    note = soup(analyst.get(f"{overview_url(run.question_id)}/{ids[0]}")).find(id="settled")
    assert note.get_text(" ", strip=True).startswith(
        "The team's coding of this response, settled by you ("
    )

    # A colleague with a name settles another: named, with their email.
    third = signed_in(app, "analyst", THIRD)
    db.session.scalar(select(User).where(User.email == THIRD)).name = "Jo Third"
    db.session.commit()
    settling.settle(codebook, ids[1], THIRD, [keys[1]], "for")
    said = soup(analyst.get(f"/staff/reports/responses/{ids[1]}")).find(
        id=f"coding-{run.question_id}"
    )
    said = said.get_text(" ", strip=True)
    assert f"Coded by people who disagreed, settled by a colleague, Jo Third ({THIRD}, " in said
    assert "for (settled by a colleague where coders disagreed)" in said
    settle_page = soup(analyst.get(f"{list_url(run.question_id)}/{ids[1]}"))
    assert (
        settle_page.find(id="settled")
        .get_text(" ", strip=True)
        .startswith(f"Settled by Jo Third ({THIRD}, ")
    )
    overview = soup(analyst.get(overview_url(run.question_id)))
    assert "5 coded by people (2 of them settled where coders disagreed, 1 by you)" in (
        overview.find(id="coding-progress").get_text(" ", strip=True)
    )
    # Jo reads their own as theirs, and the files name nobody as "you".
    said = soup(third.get(f"/staff/reports/responses/{ids[1]}")).find(
        id=f"coding-{run.question_id}"
    )
    assert "settled by you (" in said.get_text(" ", strip=True)
    from docx import Document

    document = Document(
        io.BytesIO(analyst.get(f"{overview_url(run.question_id)}/download.docx").get_data())
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "(2 of them settled by a colleague where coders disagreed)" in text
    assert "by you" not in text


def test_your_own_code_says_coded_by_you(run, codebook, analyst, app):
    """A person's own code (not settled) read "Coded by a person (their email, …)" to them on
    the response pages: it says "Coded by you (…)", as "settled by you" does; a colleague's
    still gives who coded it."""
    ids = answers_of(run.question)["ids"]
    keys = [t.key for t in codebook.themes]
    coding.save_code(codebook, ids[0], FIRST, [keys[0]], "for")
    coding.save_code(codebook, ids[1], SECOND, [keys[1]], "against")
    second = signed_in(app, "analyst", SECOND)
    for page in (f"/staff/reports/responses/{ids[0]}", f"/staff/responses/{ids[0]}"):
        said = soup(analyst.get(page)).find(id=f"coding-{run.question_id}")
        said = said.get_text(" ", strip=True)
        assert "Coded by you (" in said and FIRST not in said, said
        assert "Change your coding" in said
        theirs = soup(second.get(page)).find(id=f"coding-{run.question_id}")
        assert f"Coded by a person ({FIRST}, " in theirs.get_text(" ", strip=True)
    said = soup(analyst.get(f"/staff/reports/responses/{ids[1]}")).find(
        id=f"coding-{run.question_id}"
    )
    assert f"Coded by a person ({SECOND}, " in said.get_text(" ", strip=True)
    mine = soup(second.get(f"/staff/reports/responses/{ids[1]}")).find(
        id=f"coding-{run.question_id}"
    )
    assert "Coded by you (" in mine.get_text(" ", strip=True)


# --- codes that disagree, said where the response is shown (issue 13, codenotes) -------------


def test_a_response_coded_differently_says_the_codes_disagree_and_where_to_settle(
    run, codebook, analyst
):
    """The response pages showed the latest person's code of a response two colleagues coded
    differently and nobody had settled, with no word. They say the codes disagree, who coded
    what, what the reports count meanwhile, and link to settling it; the coding page shows
    who coded what too (not while a colleague checks it blind)."""
    ids = answers_of(run.question)["ids"]
    keys = two_coders(codebook, ids)
    settle_url = f"{list_url(run.question_id)}/{ids[0]}"
    for page in (f"/staff/reports/responses/{ids[0]}", f"/staff/responses/{ids[0]}"):
        said = soup(analyst.get(page)).find(id=f"coding-{run.question_id}")
        text = said.get_text(" ", strip=True)
        assert text.startswith(
            "Not settled People coded this answer differently and nobody has settled it yet"
        ), text
        items = [li.get_text(" ", strip=True) for li in said.find_all("li")]
        assert items[0].startswith(f"you coded {keys[0]}: ") and ", stance for (" in items[0]
        assert items[1].startswith(f"{SECOND} coded {keys[1]}: ")
        assert "Until it is settled the reports count it as not coded yet." in text
        assert "Coded by" not in text
        links = said.find_all("a")
        assert [a.get_text(" ", strip=True) for a in links] == [
            "Settle the coding of Q2: Why do you say that?",
            "change your coding of Q2: Why do you say that?",
        ]
        assert links[0]["href"].endswith(settle_url)
        assert links[1]["href"].endswith(f"{overview_url(run.question_id)}/{ids[0]}")
    # The coding page: who coded what, in the coders' table, and the link to settle it.
    note = soup(analyst.get(f"{overview_url(run.question_id)}/{ids[0]}")).find(id="waiting")
    rows = [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in note.find("tbody").find_all("tr")
    ]
    assert [row[0] for row in rows] == [FIRST, SECOND]
    assert rows[0][1].startswith(f"{keys[0]}: ") and rows[1][1].startswith(f"{keys[1]}: ")
    assert note.find("a")["href"].endswith(settle_url)

    # Once the model has coded it, the page says the reports count the model's code for now.
    from consult.reports.coding_models import MachineCode, MachineCoding

    job = MachineCoding(codebook_id=codebook.id, status="succeeded", finished_at=coding.utcnow())
    db.session.add(job)
    db.session.flush()
    db.session.add(
        MachineCode(
            coding_id=job.id,
            response_id=ids[1],
            themes=[keys[3]],
            confidence=0.61,
            stance="against",
            stance_source="model",
        )
    )
    db.session.commit()
    said = soup(analyst.get(f"/staff/responses/{ids[1]}")).find(id=f"coding-{run.question_id}")
    text = said.get_text(" ", strip=True)
    assert f"Until it is settled the reports count the model's code: {keys[3]}: " in text, text
    assert "stance against (guessed by the model)." in text

    # Agreed codes and settled ones are shown as before, with no such note.
    said = soup(analyst.get(f"/staff/reports/responses/{ids[4]}")).find(
        id=f"coding-{run.question_id}"
    )
    assert "Not settled" not in said.get_text(" ", strip=True)
    settling.settle(codebook, ids[0], SECOND, [keys[2]], "for")
    said = soup(analyst.get(f"/staff/responses/{ids[0]}")).find(id=f"coding-{run.question_id}")
    text = said.get_text(" ", strip=True)
    assert "Not settled" not in text and "Coded by people who disagreed, settled by" in text


def test_every_place_follows_one_rule_for_a_settlement_coded_differently_since(
    run, codebook, analyst
):
    """A response settled, then coded differently by a coder: the coding download said
    "not settled" while the run's downloads said "settled". Every place follows
    settling.disagreement now: the settled code counts until it is settled again."""
    import csv

    from docx import Document
    from openpyxl import load_workbook

    data = answers_of(run.question)
    ids, references = data["ids"], data["references"]
    keys = two_coders(codebook, ids)  # ids[0], ids[1] differ in themes, ids[2] in stance
    settling.settle(codebook, ids[0], THIRD, [keys[2]], "against")
    coding.save_code(codebook, ids[0], FIRST, [keys[3]], "for")  # differently, since
    assert ids[0] in [d.response_id for d in settling.disagreements(codebook)]  # to settle again
    rule = settling.disagreements_by_response(codebook)
    assert rule == {ids[0]: "settled", ids[1]: "not settled", ids[2]: "not settled"}
    expected = {references[ids.index(r)]: word for r, word in rule.items()}

    def said(rows: dict[str, str]) -> dict[str, str]:
        return {reference: word for reference, word in rows.items() if word}

    # The coding downloads.
    base = f"{overview_url(run.question_id)}/download"
    body = analyst.get(f"{base}.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert said({r["reference"]: r["disagreement"] for r in rows}) == expected
    settled_row = next(r for r in rows if r["reference"] == references[0])
    assert (settled_row["source"], settled_row["themes"]) == ("settled", keys[2])
    sheet = list(
        load_workbook(io.BytesIO(analyst.get(f"{base}.xlsx").get_data()), read_only=True)[
            "Coding"
        ].iter_rows(values_only=True)
    )
    column = sheet[0].index("disagreement")
    assert said({row[0]: row[column] or "" for row in sheet[1:]}) == expected
    text = "\n".join(
        p.text for p in Document(io.BytesIO(analyst.get(f"{base}.docx").get_data())).paragraphs
    )
    assert "1 settled response was coded differently since: the settled code counts" in text

    # The run's downloads.
    report = f"/staff/reports/runs/{run.id}/report"
    body = analyst.get(f"{report}.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert said({r["reference"]: r["codebook_disagreement"] for r in rows}) == expected
    sheet = list(
        load_workbook(io.BytesIO(analyst.get(f"{report}.xlsx").data), read_only=True)[
            "Coding"
        ].iter_rows(values_only=True)
    )
    column = sheet[0].index("codebook_disagreement")
    assert said({row[0]: row[column] or "" for row in sheet[1:]}) == expected
    text = "\n".join(
        p.text for p in Document(io.BytesIO(analyst.get(f"{report}.docx").data)).paragraphs
    )
    assert "(1 of them settled by a colleague where coders disagreed)" in text
    assert "2 answers that people coded differently are waiting to be settled" in text

    # The response export.
    url = f"/staff/consultations/{codebook.consultation_id}/export.csv"
    table = list(csv.reader(io.StringIO(analyst.get(url).get_data(as_text=True).lstrip("\ufeff"))))
    column = next(i for i, h in enumerate(table[0]) if h.endswith(" disagreement"))
    assert said({row[0]: row[column] for row in table[1:]}) == expected

    # The pages: the coding page, the run's report and the response pages.
    page = soup(analyst.get(f"{overview_url(run.question_id)}/{ids[0]}"))
    assert page.find(id="settled") is not None and page.find(id="waiting") is None
    assert soup(analyst.get(f"{overview_url(run.question_id)}/{ids[1]}")).find(id="waiting")
    progress = soup(analyst.get(overview_url(run.question_id))).find(id="coding-progress")
    assert "(1 of them settled by a colleague where coders disagreed), 2 coded differently" in (
        progress.get_text(" ", strip=True)
    )
    waits = soup(analyst.get(f"/staff/reports/runs/{run.id}")).find(id="coded-unsettled")
    assert waits.get_text(" ", strip=True).startswith(
        "2 answers that people coded differently are waiting"
    )
    response_page = soup(analyst.get(f"/staff/responses/{ids[0]}"))
    text = response_page.find(id=f"coding-{run.question_id}").get_text(" ", strip=True)
    assert "settled by a colleague" in text and "Not settled" not in text


def test_the_disagreement_rule():
    assert settling.disagreement(True, True) == settling.SETTLED
    assert settling.disagreement(True, False) == settling.SETTLED
    assert settling.disagreement(False, True) == settling.NOT_SETTLED
    assert settling.disagreement(False, False) == ""
