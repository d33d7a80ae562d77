"""smoke30b's fixes to the coding counts and pages, read through the test client (the served
reading is tests/test_smoke30b_gunicorn.py).

#1: an answer whose themes the model is unsure of still has a stance when the respondent's own
answer to the paired question gives it: that stance is not the model's guess and is counted
(``consult.reports.coded.coded_counts`` left every unsure answer out of the stance split)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import coding
from consult.reports.coded import coded_counts
from consult.reports.coding_models import MachineCode
from tests.helpers import soup
from tests.reports.review_helpers import answers_of
from tests.reports.test_coding_pages import (  # noqa: F401 (fixtures)
    _measured,
    analyst,
    applied_coding,
    make_codebook,
    overview_url,
    run,
)

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _machine(coding_row, response_ids, confidence, stance, source):
    for response_id in response_ids:
        db.session.add(
            MachineCode(
                coding_id=coding_row.id,
                response_id=response_id,
                themes=[],
                confidence=confidence,
                stance=stance,
                stance_source=source,
            )
        )


def test_an_unsure_answers_stance_from_its_own_paired_answer_is_counted(run, analyst):  # noqa: F811
    """smoke30b #1: of six answers the model is unsure of, the four whose stance is the
    respondent's own (agreement) count in the stance split's agreement row; the two whose
    stance is the model's guess count nowhere, and no unsure answer counts in a theme."""
    codebook = make_codebook(analyst, run)
    key = codebook.themes[0].key
    ids = answers_of(run.question)["ids"]
    job = applied_coding(codebook, [], metrics={**_measured(27, 3, 2, True), "floor": 0.5})
    _machine(job, ids[:3], 0.1, "for", "agreement")  # unsure, stance from Q1
    _machine(job, ids[3:4], 0.1, "against", "agreement")
    _machine(job, ids[4:6], 0.1, "against", "model")  # unsure, the model's guess
    _machine(job, ids[6:8], 0.9, "against", "agreement")  # sure
    for code in db.session.query(MachineCode).filter(MachineCode.response_id.in_(ids[6:8])):
        code.themes = [key]
    db.session.commit()

    counted = coded_counts(codebook, job)
    assert counted.unsure == 6 and counted.unsure_with_stance == 4
    assert dict(counted.stance["agreement"]) == {"for": 3, "against": 3}
    assert "model" not in counted.stance  # the unsure answers' guessed stances: not counted
    assert counted.machine == 2 and counted.themes[0].machine == 2
    assert dict(counted.themes[0].stance) == {"against": 2}  # no unsure answer in a theme
    assert counted.unsure_stance_words == (
        "The row from the respondent's agreement answer also counts the 4 answers whose themes "
        "the model is unsure of: their stance is the respondent's own answer, not a guess."
    )

    summary = coding.summary(codebook, job)
    assert summary.unsure_with_stance == 4
    lines = dict(coding.stance_lines(summary, 1))
    assert lines["stance-from-agreement"] == (
        "From the respondent's own answer to Q1: For 3, Against 3 (including 4 answers whose "
        "themes the model is unsure of)"
    )
    page = soup(analyst.get(overview_url(run.question_id)))
    shown = page.find(id="stance-from-agreement")
    if shown is not None:  # a "why" question's page (the fixture's question may be one)
        assert "(including 4 answers whose themes the model is unsure of)" in shown.get_text()


def test_a_cold_start_coding_gives_no_confidence_on_the_form(run, analyst):  # noqa: F811
    """smoke30b #2: with nobody having coded, the model codes by similarity to the codebook
    and its "confidence" is the closest theme's share of a sharp softmax (analysis.coding's
    cold start): the form read "(confidence 0.99)" to "1.00" with nothing learnt. It now
    says the theme is the closest and that no confidence is measured yet."""
    codebook = make_codebook(analyst, run)
    key = codebook.themes[0].key
    metrics = {**_measured(0, 0, 0, True), "cold_start": True, "floor": 0.5}
    job = applied_coding(codebook, [], metrics=metrics)
    ids = answers_of(run.question)["ids"]
    for response_id, confidence in ((ids[0], 0.995), (ids[1], 0.4)):
        db.session.add(
            MachineCode(
                coding_id=job.id, response_id=response_id, themes=[key], confidence=confidence
            )
        )
    db.session.commit()
    said = {}
    for response_id in ids[:2]:
        page = soup(analyst.get(f"{overview_url(run.question_id)}/{response_id}"))
        said[response_id] = " ".join(page.find(id="model-coding").get_text().split())
    assert said[ids[0]] == (
        f"The model's coding, by similarity to the codebook alone (nobody had coded a response "
        f"when it was applied): {key}: {codebook.themes[0].name} (the codebook's theme closest "
        "to it; no confidence is measured until people have coded responses for the model to "
        "learn from)."
    )
    assert said[ids[1]].endswith(
        "learn from, and the themes are too alike here to count: the model is unsure)."
    )
    assert not any("confidence 0" in line or "1.00" in line for line in said.values())


def test_the_least_typical_responses_take_answers_saying_the_same_as_one(run, analyst):  # noqa: F811
    """smoke30b #4: the theme page's "Least typical responses" listed one sentence twice (two
    identical answers, both confidence 0.78): answers saying the same are one entry, which
    says how many other answers of the theme say it, as the report's quotes do."""
    from consult.reports.models import RunAssignment

    theme = max(run.visible_themes, key=lambda t: t.size)
    members = list(
        db.session.scalars(
            select(RunAssignment)
            .where(RunAssignment.run_id == run.id, RunAssignment.theme_id == theme.id)
            .order_by(RunAssignment.id)
        )
    )
    assert len(members) >= 8
    sentence = "Shire districts could pay in but see little of the investment."
    for item, confidence in zip(members[:3], (0.01, 0.02, 0.03), strict=True):
        item.text, item.confidence = sentence, confidence
    members[3].text, members[3].confidence = f"In Dudley, {sentence[0].lower()}{sentence[1:]}", 0.5
    others = [
        "Evening buses stop too early for shift workers.",
        "Rents near the new stations are rising fast.",
        "Colleges need money for apprenticeships in construction.",
        "Mayors should publish every decision online.",
        "Rural broadband matters more than new roads.",
        "Cycle lanes on the ring road would save lives.",
        "Small firms cannot find staff with digital skills.",
        "Flood defences along the river are overdue.",
    ]
    for index, item in enumerate(members[4:]):
        item.text = others[index % len(others)] + (f" ({index})" if index >= len(others) else "")
        item.confidence = 0.04 + index / 100
    db.session.commit()

    page = soup(analyst.get(f"/staff/reports/runs/{run.id}/themes/{theme.key}"))
    heading = page.find("h3", string="Least typical responses")
    listed = heading.find_next("ol").find_all("li")
    texts = [" ".join(li.p.get_text().split()) for li in listed]
    assert texts.count(sentence) == 1 and len(texts) == len(set(texts)), texts
    first = " ".join(listed[0].find_all("p")[1].get_text().split())
    # the two identical answers and the one framed "In Dudley, ..." say the same
    assert first.endswith("confidence 0.01; 3 other answers say the same"), first
    assert len(listed) >= 2, texts


def test_the_excel_says_why_a_mixed_theme_is_last_as_the_page_and_word_do(app):
    """smoke30b #5: the Excel's Themes sheet listed the mixed theme last without the sentence
    saying why (the page and the Word report have it); its last row now says it, and a run
    in size order has no such row."""
    import io

    from openpyxl import load_workbook

    from analysis.mixed import CATCH_ALLS_LAST
    from consult.reports import documents
    from tests.reports.test_catch_alls_last_pages import _fast_run

    _, stored, (largest, *_) = _fast_run()

    def last_rows() -> list[list]:
        book = load_workbook(io.BytesIO(documents.run_xlsx(stored)), read_only=True)
        return [list(row) for row in book["Themes"].iter_rows(values_only=True)][-2:]

    head = [
        list(row)
        for row in load_workbook(io.BytesIO(documents.run_xlsx(stored)), read_only=True)[
            "Themes"
        ].iter_rows(values_only=True)
    ][0]
    label = head.index("Theme")
    submitted, note = last_rows()
    assert submitted[label] == "Submitted responses"
    assert note[label] == f"{CATCH_ALLS_LAST}." and not any(
        cell for i, cell in enumerate(note) if i != label
    )
    largest.keywords = ["finance", "start-ups", "loans"]  # no catch-all: size order again
    db.session.commit()
    assert last_rows()[-1][label] == "Submitted responses"
