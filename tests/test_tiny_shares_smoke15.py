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

pytestmark = pytest.mark.backends("sqlite", "postgresql")


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
