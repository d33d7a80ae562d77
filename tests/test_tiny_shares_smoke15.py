"""smoke15 finding 2: the demo's dashboard said "Individual 1, 0%" (1 of 277 submitted
responses): a share that is not nothing read as nothing. Every page and download now says a
share below half a percent to one decimal place ("0.4%"), and one above 99.5% that is not all
("99.6%"), by one rule (:func:`analysis.report.whole_percent`); whole percents otherwise."""

from __future__ import annotations

import pytest

from analysis.report import whole_percent
from consult.extensions import db
from consult.models import Response, utcnow
from consult.reports.documents import percent
from consult.staff.figures import dashboard_data
from tests.helpers import make_consultation, soup
from tests.staff_helpers import signed_in

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


def test_whole_percents_except_near_nothing_and_near_everything():
    assert whole_percent(0) == "0%" and whole_percent(None) == "0%"
    assert whole_percent(1 / 277) == "0.4%"
    assert whole_percent(0.005) == "0.5%"  # would round to "0%" all the same
    assert whole_percent(0.006) == "1%"
    assert whole_percent(1 / 2500) == "<0.1%" and whole_percent(2499 / 2500) == ">99.9%"
    assert whole_percent(0.2187) == "22%"
    assert whole_percent(276 / 277) == "99.6%"
    assert whole_percent(1) == "100%"
    assert percent(1 / 277) == "0.4%"  # the Word and Excel reports' share


def test_dashboard_says_one_in_hundreds_is_not_nothing(app):
    consultation = make_consultation()
    for n in range(250):
        db.session.add(
            Response(
                consultation=consultation,
                reference=f"WM-B{n:03d}",
                status="submitted",
                submitted_at=utcnow(),
                partner_type="individual" if n == 0 else "business",
                area="coventry",
            )
        )
    db.session.commit()

    data = dashboard_data(consultation)
    assert data.funnel.share(0) == "–"  # nobody invited: no base, as before

    page = signed_in(app, "viewer").get(f"/staff/consultations/{consultation.id}/dashboard")
    assert page.status_code == 200
    table = next(
        t
        for t in soup(page).find_all("table")
        if "Responses by partner type" in t.find("caption").get_text()
    )
    rows = {
        row.find("th").get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    }
    assert rows["Individual"] == ["1", "0.4%"]
    assert rows["Business"] == ["249", "99.6%"]


def test_difference_and_chance_gap_sentences_use_the_same_rule():
    """fix #2: the segments' "Significant differences" sentences and the chance-gap notes
    said "0% against 30%" of a 0.4% share (and "75 times as often" of "0%")."""
    from analysis.report import chance_gap
    from consult.reports.pages import SegmentRow, difference_sentence

    sentence = difference_sentence("partner_type", "business", {"share": 0.004, "rest_share": 0.3})
    assert "(0.4% against 30%)" in sentence and "(0% against" not in sentence
    cell = {"share": 0.004, "rest_share": 0.35, "p_value": 0.01}
    assert chance_gap(cell, 10).startswith("0.4% against 35%: a large gap")
    row = SegmentRow(
        label="Business",
        count=1,
        of=250,
        share=0.004,
        low=0.0,
        high=0.02,
        rest_share=0.35,
        significant=False,
        p_adjusted=0.2,
        test="fisher",
        words=[],
        sentence="",
        p_value=0.01,
        comparisons=10,
    )
    assert row.chance_gap.startswith("0.4% against 35%: a large gap")


def test_segment_chart_bars_say_the_same_share_as_the_table():
    """fix #4: a segment chart's bar for 1 of 277 read "0%" while its table said "0.4%"."""
    from consult.staff.figures import Chart

    chart = Chart(title="t", rows=[("A", 1), ("B", 276)], base=277, row_bases=[277, 277])
    svg = str(chart.svg("c"))
    assert ">0.4%<" in svg and ">99.6%<" in svg
    assert ">0%<" not in svg and ">100%<" not in svg


def test_over_given_warning_and_cli_report_never_say_nothing_of_something():
    """fix #8: the over-given warning said "0%" of a 0.4% share, and the command-line
    report.html "0.0%" of a 40-answer theme of 100,000 answers; review note: "-0%"."""
    from analysis.report import _pct
    from consult.reports.coding_over import over_given_sentence

    metrics = {"over_given": [{"theme": "C1", "model_share": 0.4, "people_share": 0.004}]}
    sentence = over_given_sentence(metrics)
    assert "C1 to 40% of the responses it coded, against 0.4% of the responses" in sentence
    assert _pct(40 / 100_000) == "<0.1%" and _pct(99_990 / 100_000) == ">99.9%"
    assert _pct(0.4621) == "46.2%" and _pct(0) == "0.0%" and _pct(1) == "100.0%"
    assert whole_percent(-0.003) == "0%"
