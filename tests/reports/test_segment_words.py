"""Distinctive words in the breakdowns by segment are shown only beside a significant
difference: on the report page and in Excel, also for a run stored before the engine left
them off the other rows (they were shown beside "no clear difference", where they are chance
and read as the reason for a difference the table says is not there)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm.attributes import flag_modified

from consult.extensions import db
from consult.reports import documents
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

WORDS = ["research partnerships", "graduates"]


@pytest.fixture
def run(app):
    consultation = make_consultation()
    why = next(q for q in consultation.questions if q.explains is not None)
    run = store_synthetic_run(consultation, why, responses=200)
    # as an older engine stored them: words on every compared cell, significant or not
    for theme in run.themes:
        for cells in (theme.segments or {}).values():
            for cell in cells.values():
                cell["distinctive_words"] = list(WORDS)
        flag_modified(theme, "segments")
    db.session.commit()
    return run


def test_report_page_shows_words_only_beside_a_real_difference(app, run):
    page = soup(signed_in(app, "viewer").get(f"/staff/reports/runs/{run.id}"))
    significant = plain = 0
    for table in page.select("section.consult-theme table"):
        headers = [th.get_text() for th in table.select("thead th")]
        if "Distinctive words (where significant)" not in headers:
            continue
        for row in table.select("tbody tr"):
            cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            verdict, words = cells[4], cells[5]
            if "significant" in verdict:
                significant += 1
                assert words == ", ".join(WORDS)
            else:
                plain += 1
                assert words == "–", cells
    assert significant and plain  # universities raise the first theme far more often
    assert "They are shown only beside a significant difference" in page.get_text()


def test_workbook_shows_words_only_beside_a_real_difference(run):
    workbook = load_workbook(io.BytesIO(documents.run_xlsx(run)))
    rows = list(workbook["Partner type"].values)
    header = rows[0]
    words = header.index("Distinctive words (only where significant)")
    significant = header.index("Significant")
    assert any(row[significant] == "yes" for row in rows[1:])
    for row in rows[1:]:
        assert (row[words] or "") == (", ".join(WORDS) if row[significant] == "yes" else "")


def test_a_large_gap_lost_to_the_correction_is_said_on_its_row_and_bh_once(app, run):
    """Review: segment tables 'never find anything', and the Benjamini–Hochberg explanation
    was under every table (27 times on one page). A large raw gap that the correction leaves
    not significant says so on its row; the explanation is said once per page."""
    from consult.reports.pages import comparison_count

    theme = run.visible_themes[0]
    name = next(iter(theme.segments))
    value, cell = next(
        (v, c) for v, c in theme.segments[name].items() if c.get("verdict") != "not compared"
    )
    cell.update(
        share=0.65,
        rest_share=0.42,
        p_value=0.012,
        p_adjusted=0.2,
        significant=False,
        verdict="no clear difference",
    )
    flag_modified(theme, "segments")
    db.session.commit()
    comparisons = comparison_count(run, name)
    assert comparisons >= 2
    client = signed_in(app, "viewer")
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    expected = (
        f"65% against 42%: a large gap, but with {comparisons} comparisons it could be chance"
    )
    rows = [
        [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
        for row in page.select(f"section#theme-{theme.key} table tbody tr")
    ]
    assert [r[4] for r in rows if r[4] == expected] == [expected]
    assert page.get_text().count("Benjamini–Hochberg") == 1
    assert page.find(id="significance-note") is not None
    one = soup(client.get(f"/staff/reports/runs/{run.id}/themes/{theme.key}"))
    assert expected in one.get_text(" ") and one.get_text().count("Benjamini–Hochberg") == 1
