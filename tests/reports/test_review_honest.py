"""Reviewed theme reports stay honest (smoke5 findings 2, 12 and 14): a theme merged from an
unstable one stays flagged, and its keywords and summary come from the merged answers, not
one part's; a run of too few answers says so in each theme's flag and stability; the
workbook's stability is the figure its words judge. Through the review forms and the
report page, Word and Excel downloads."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from analysis import report
from consult.extensions import db
from consult.reports import documents, merging, review
from consult.reports.label_check import FAST_UNCHECKED_TAG as FAST
from consult.reports.models import RunAssignment, RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.reports.stored_runs import store_synthetic_run
from tests.reports.test_report_glance import docx_glance, glance_table, why_question, words
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

STALE = "Help engineering firms switch from petrol engine parts to electric vehicle components"


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 48)
    return stored_run(consultation, question, n_themes=4)


def theme(run, key) -> RunTheme:
    db.session.expire_all()
    return db.session.scalar(select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.key == key))


def member_texts(run, key) -> dict[str, str]:
    """The theme's primary members: reference -> text as analysed."""
    found = theme(run, key)
    return dict(
        db.session.execute(
            select(RunAssignment.reference, RunAssignment.text).where(
                RunAssignment.run_id == run.id, RunAssignment.theme_id == found.id
            )
        ).all()
    )


def page_rows(client, run) -> dict[str, str]:
    """The page's "Themes, largest first" table: theme key -> its "Check before quoting"."""
    table = glance_table(soup(client.get(f"/staff/reports/runs/{run.id}")))
    return {
        words(tr.th).split(":")[0]: words(tr.select("td")[-1]) for tr in table.select("tbody tr")
    }


def workbook_themes(run) -> dict[str, dict[str, object]]:
    """The workbook's Themes sheet: theme key -> {header: value} ("Stability in words" for
    that column, whose header goes on to explain the threshold)."""
    sheet = list(load_workbook(io.BytesIO(documents.run_xlsx(run)))["Themes"].values)
    headers = [h.split(" (below")[0] if h.startswith("Stability in words") else h for h in sheet[0]]
    return {row[0]: dict(zip(headers, row, strict=True)) for row in sheet[1:] if row[0]}


def merge_by_form(client, run, keys: list[str], label: str):
    done = post(client, f"/staff/reports/runs/{run.id}/merge", {"themes": keys, "label": label})
    assert done.status_code == 302, done.get_data(as_text=True)


def test_a_theme_merged_from_an_unstable_one_stays_flagged_everywhere(app, run):
    """Smoke5 finding 2: merging an "Unstable grouping" theme (0.45) into another read
    "Nothing flagged" and "Stability not measured"; it keeps the lowest figure, said so."""
    # merged into the first shown (the form keeps the page's order): the stable one
    other, unstable = [t.key for t in run.visible_themes[:2]]
    parts = {t.key: t for t in run.visible_themes}
    parts[unstable].stability, parts[other].stability = 0.45, 0.9
    db.session.commit()
    client = signed_in(app, "analyst")
    merge_by_form(client, run, [other, unstable], "Better buses and trains")

    merged = theme(run, other)
    assert merged.stability == 0.45 and merged.origin == "merge"
    assert page_rows(client, run)[other] == f"Unstable grouping; {FAST}"
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    said = words(page.find(id=f"theme-{other}-unstable"))
    assert said.startswith("0.45 Unstable grouping (the lowest of the merged themes' figures)")
    assert "1 of the 3 themes is marked “unstable grouping”" in words(page.find(id="unstable-note"))
    word = docx_glance(documents.run_docx(run))
    assert {row[0].split()[0]: row[-1] for row in word[1:]}[other] == (f"Unstable grouping; {FAST}")
    row = workbook_themes(run)[other]
    assert row["Stability (0 to 1)"] == 0.45
    assert (
        row["Stability in words"]
        == "0.45 (unstable grouping; the lowest of the merged themes' figures)"
    )


def test_an_unstable_split_part_says_whose_figure_it_is_on_the_web(app, run):
    """smoke11 finding 5: "0.42 Unstable grouping" with no note on the web, while Word said
    "the figure of the theme it was split from"."""
    from consult.reports.wording import SPLIT_STABILITY

    key = max(run.visible_themes, key=lambda t: t.size).key
    theme(run, key).stability = 0.42
    db.session.commit()
    parts = review.split_theme(run, key, 2, None)
    db.session.commit()
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    for part in parts:
        said = words(page.find(id=f"theme-{part.key}-unstable"))
        assert said.startswith(f"0.42 Unstable grouping ({SPLIT_STABILITY})")


def test_a_merged_theme_with_an_unmeasured_part_says_read_before_quoting(app, run):
    """A part with no figure (a theme made by hand) and a stable one: no figure to keep, so
    the merged theme is flagged as not measured, not "Nothing flagged"."""
    first, second = [t.key for t in run.visible_themes[:2]]
    parts = {t.key: t for t in run.visible_themes}
    parts[first].stability, parts[second].stability = 0.95, None
    db.session.commit()
    client = signed_in(app, "analyst")
    merge_by_form(client, run, [first, second], "Transport")
    assert theme(run, first).stability is None
    assert page_rows(client, run)[first] == f"Stability not measured: read before quoting; {FAST}"
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    section = words(page.find(id=f"theme-{first}"))
    assert "Stability not measured: read before quoting (themes merged by a reviewer)" in section
    word = [p.text for p in Document(io.BytesIO(documents.run_docx(run))).paragraphs]
    assert "Stability: not measured: read before quoting (themes merged by a reviewer)." in word
    row = workbook_themes(run)[first]
    assert row["Stability (0 to 1)"] in ("", None)
    assert row["Stability in words"].startswith("not measured: read before quoting")


def test_merged_stability_rules(app, run):
    first, second, third = run.visible_themes[:3]
    first.stability, second.stability, third.stability = 0.9, 0.62, None
    assert merging.merged_stability(run, [first, second]) == 0.62
    assert merging.merged_stability(run, [first, third]) is None  # it could hide a worse one
    second.stability = 0.3
    assert merging.merged_stability(run, [first, second, third]) == 0.3  # flagged all the same
    summary = dict(run.summary)
    run.summary = {**summary, "stability_measure": "earlier", "stability_measured_now": [first.key]}
    assert merging.merged_stability(run, [first, second]) is None  # two measures: no figure
    run.summary = summary
    db.session.rollback()


def test_merged_summary_and_keywords_come_from_the_merged_answers(app, run):
    """The merged theme's summary and keywords are found again from its answers by the
    analysis library: no part's old point ("engine parts") under the new label; every point
    is a merged answer's, and undo puts the parts' back."""
    first, second = [t.key for t in run.visible_themes[:2]]
    members = {**member_texts(run, first), **member_texts(run, second)}
    stale = {"id": next(iter(members)), "text": STALE, "ids": [next(iter(members))]}
    part = theme(run, first)
    part.summary, part.keywords = [stale], ["engine parts", "electric vehicle"]
    db.session.commit()
    client = signed_in(app, "analyst")
    merge_by_form(client, run, [first, second], "Transport and getting about")

    merged = theme(run, first)
    assert merged.summary and STALE not in [point["text"] for point in merged.summary]
    assert all(set(point["ids"]) <= set(members) for point in merged.summary)
    said = " ".join(members.values()).lower()
    assert all(point["text"].lower().rstrip(".") in said for point in merged.summary)
    assert "engine parts" not in merged.keywords  # none may set it apart (kwedit)
    assert all(word.lower() in said for word in merged.keywords)
    page = words(soup(client.get(f"/staff/reports/runs/{run.id}")))
    assert "engine parts" not in page and STALE not in page

    edit = review.history(run)[0]
    review.undo(run, edit.id, None)
    assert theme(run, first).summary == [stale]
    assert theme(run, first).keywords == ["engine parts", "electric vehicle"]


def test_a_merge_the_engine_cannot_describe_shows_no_old_summary(app, run, monkeypatch):
    """When the engine refuses the merged answers, the parts' summaries are not shown under
    the new label: none is."""
    first, second = [t.key for t in run.visible_themes[:2]]
    run.visible_themes[0].summary = [{"id": "X", "text": STALE, "ids": ["X"]}]
    db.session.commit()
    monkeypatch.setattr(review, "describe_members", lambda run, members, *rest: None)
    merged = review.merge_themes(run, [first, second], None, label="Transport")
    assert merged.summary == [] and merged.keywords == []


def test_too_few_answers_flag_every_theme_and_its_stability(app):
    """Smoke5 finding 12: a 2-answer run warned "too few answers, do not quote" at the top,
    while its table said "Nothing flagged" and "Stability 1.00 (stable)"."""
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=2, themes=2)
    for found in run.visible_themes:
        found.stability = 1.0
    db.session.commit()
    client = signed_in(app, "analyst")
    keys = [t.key for t in run.visible_themes]
    flags = page_rows(client, run)
    assert keys and all(flags[key] == "Too few answers: do not quote" for key in keys)
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    for key in keys:
        section = words(page.find(id=f"theme-{key}"))
        assert "Stability 1.00 (too few answers to tell)" in section
        assert "(stable)" not in section
    word = docx_glance(documents.run_docx(run))
    assert {row[-1] for row in word[1:] if row[0].split()[0] in keys} == {
        "Too few answers: do not quote"
    }
    rows = workbook_themes(run)
    assert {rows[key]["Stability in words"] for key in keys} == {"1.00 (too few answers to tell)"}
    # enough answers: no such flag
    assert report.theme_flags(1.0, 5, None) == []


def test_too_few_answers_do_not_count_the_labels_point(app):
    """Smoke9 finding 17: a 5-answer run's theme said "about 2 make the label's own point,
    fewer than half: ... (see “Other points its answers make”)", and that list said "This
    theme makes one point only". Below FEW_ANSWERS the page, its theme page and the Word
    report leave the count out; the only flag is "too few answers"."""
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=5, themes=2)
    theme = run.visible_themes[0]
    theme.mentions, theme.label_point = 5, 2
    theme.summary = [{"text": "This theme makes one point only; ...", "only_point": True}]
    db.session.commit()
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    assert page.find(id=f"theme-{theme.key}-label-point") is None
    assert "label's own point" not in words(page)
    assert page_rows(client, run)[theme.key] == "Too few answers: do not quote"
    response = client.get(f"/staff/reports/runs/{run.id}/themes/{theme.key}")
    assert response.status_code == 200
    alone = soup(response)
    assert "Main theme of" in words(alone.find(id="theme-size"))
    assert alone.find(id="theme-label-point") is None
    text = " ".join(p.text for p in Document(io.BytesIO(documents.run_docx(run))).paragraphs)
    assert "label's own point" not in text
    # the same theme in a run of enough answers is counted
    assert report.label_point_note({"mentions": 5, "label_point": 2}) != ""


def test_the_workbook_writes_the_stability_its_words_judge(app, run):
    """Smoke5 finding 14: 0.4979 beside "0.50 (fairly stable)"; filtering the number below
    0.5 gave a different answer from the report."""
    first, second = run.visible_themes[:2]
    first.stability, second.stability = 0.4979, 0.4949
    db.session.commit()
    rows = workbook_themes(run)
    assert rows[first.key]["Stability (0 to 1)"] == 0.5
    assert rows[first.key]["Stability in words"] == "0.50 (fairly stable)"
    assert rows[second.key]["Stability (0 to 1)"] == 0.49
    assert rows[second.key]["Stability in words"] == "0.49 (unstable grouping)"
    client = signed_in(app, "analyst")
    flags = page_rows(client, run)
    assert flags[first.key] == FAST.capitalize()
    assert flags[second.key] == f"Unstable grouping; {FAST}"
