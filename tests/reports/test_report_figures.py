"""Report figures that reconcile and read the same everywhere: one sentiment rule on the page,
in Word, Excel and the CSV; one stated basis for shares (main theme or mentions); the base of
every table (not answered, no substantive answer); stance as the agreement answer said it.
Through the test client and the document builders, on a stored run."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from consult.extensions import db
from consult.reports import wording
from consult.reports.models import RunTheme
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.reports_helpers import worker_environment
from tests.staff_helpers import PASSWORD, make_user, signed_in
from tests.test_gunicorn import Browser, gunicorn_process

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def why_question(consultation):
    return next(q for q in consultation.questions if q.explains is not None)


@pytest.fixture
def consultation(app):
    return make_consultation()


@pytest.fixture
def stored(consultation):
    return store_synthetic_run(consultation, why_question(consultation), responses=80)


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def themes_of(run) -> list[RunTheme]:
    return sorted(run.visible_themes, key=lambda t: t.position)


# --- one sentiment rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tone", "number"),
    [
        (0.0496, "neutral", "+0.05"),
        (0.0512, "neutral", "+0.05"),
        (-0.0504, "neutral", "-0.05"),
        (-0.001, "neutral", "0.00"),
        (0.1949, "neutral", "+0.19"),
        (0.1951, "positive", "+0.20"),  # shown as +0.20: as positive as a stored 0.2
        (0.2, "positive", "+0.20"),
        (-0.1951, "negative", "-0.20"),
        (-0.49, "negative", "-0.49"),
    ],
)
def test_one_sentiment_rule_by_the_shown_value(value, tone, number):
    assert wording.sentiment_tone(value) == tone
    assert wording.sentiment_words(value) == f"{tone} ({number} on a scale from −1 to +1)"
    assert wording.sentiment_words(None) == "not measured"
    assert wording.sentiment_tone(None) == ""


def test_the_same_shown_score_reads_the_same_on_the_page_and_in_every_download(app, stored):
    """Two themes whose scores both show as +0.05 (one just under, one just over 0.05) and one
    at -0.05 all read "neutral" on the page, in Word, in Excel; the CSV says each answer's
    tone by the same rule."""
    first, second, third = themes_of(stored)[:3]
    first.sentiment, second.sentiment, third.sentiment = 0.0496, 0.0512, -0.0504
    db.session.commit()
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{stored.id}"))
    for theme, number in ((first, "+0.05"), (second, "+0.05"), (third, "-0.05")):
        section = words(page.find(id=f"theme-{theme.key}"))
        assert f"Sentiment neutral ({number} on a scale from −1 to +1)" in section
    word = docx_text(client.get(f"/staff/reports/runs/{stored.id}/report.docx").data)
    assert word.count("Sentiment: neutral (+0.05 on a scale from −1 to +1).") == 2
    assert "Sentiment: neutral (-0.05 on a scale from −1 to +1)." in word
    assert "Sentiment: +0.05." not in word
    workbook = load_workbook(
        io.BytesIO(client.get(f"/staff/reports/runs/{stored.id}/report.xlsx").data)
    )
    rows = list(workbook["Themes"].values)
    header = rows[0]
    tone = header.index("Sentiment in words")
    assert header[tone - 1] == "Mean sentiment (−1 to +1)"
    by_key = {row[0]: row for row in rows[1:]}
    for theme in (first, second, third):
        assert by_key[theme.key][tone] == "neutral"
        assert by_key[theme.key][tone - 1] == theme.sentiment
    data = client.get(f"/staff/reports/runs/{stored.id}/report.csv").data
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    score, said = table[0].index("sentiment"), table[0].index("sentiment_tone")
    assert said == score + 1
    for row in table[1:]:
        assert row[said] == wording.sentiment_tone(float(row[score]))
    assert {row[said] for row in table[1:]} == {"positive", "neutral", "negative"}


# --- through a real server ------------------------------------------------------------------


def test_downloads_through_gunicorn(app, database_url, stored, tmp_path):
    """The Word, Excel and CSV downloads as a real gunicorn process sends them, whole."""
    first = themes_of(stored)[0]
    first.sentiment = 0.0512
    db.session.commit()
    run_id, heading = stored.id, f"{first.key}: {first.label}"
    email = make_user("analyst").email
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served", LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log") as (base, _):
        browser = Browser(base)
        signed = browser.form("/staff/sign-in", {"email": email, "password": PASSWORD})
        assert signed.status == 302
        got = {
            fmt: browser.request(f"/staff/reports/runs/{run_id}/report.{fmt}")
            for fmt in ("docx", "xlsx", "csv")
        }
    assert all(reply.status == 200 for reply in got.values())
    assert all(
        reply.headers["Content-Disposition"].startswith("attachment") for reply in got.values()
    )
    word = docx_text(got["docx"].body)
    assert heading in word
    assert "Sentiment: neutral (+0.05 on a scale from −1 to +1)." in word
    workbook = load_workbook(io.BytesIO(got["xlsx"].body))
    header = next(workbook["Themes"].values)
    assert "Sentiment in words" in header
    table = list(csv.reader(io.StringIO(got["csv"].body.decode("utf-8-sig"))))
    assert "sentiment_tone" in table[0] and len(table) == 81
