"""smoke16's findings on the staff report pages, served by a real server process (``flask
run``) on the demo with 120 responses, its analyses run by ``flask reports run``:

- #3: a fast run's themes said "Label not checked (fast engine)"; since count18 the fast
  engine counts its labels' points, and the page, Word and Excel give the count;
- #2: a response's page carries its themes' "Check before quoting" warnings;
- #5: a run that follows an earlier one says why its theme numbers skip ("Theme numbers
  follow run 1") and is "Compared with" that run, "Reran" only when it repeated it;
- #10: "Start an analysis" keeps the seed and side margin under "Advanced settings";
- #4, #8, #12: the coding page says to apply the model again when its agreement went
  unmeasured, the coding form words the stance from the agreement question, and the
  consultation's Word report says plainly what waits to be settled.
"""

from __future__ import annotations

import html
import io
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from tests.test_browser import demo_admin_session, running_server

pytestmark = pytest.mark.coding_encoder

requests = pytest.importorskip("requests")

FAST = "label not checked (fast engine)"


def words(html: str) -> str:
    """The page's text, tags dropped and spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def flask(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "consult", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo (120 responses) with three fast runs of Q2: seed 0, seed 1 (compared with
    the first), seed 1 again (a rerun of the second); a real server on it, signed in."""
    folder = tmp_path_factory.mktemp("smoke16")
    database = folder / "smoke16.sqlite"
    env = {
        **os.environ,
        "CONSULT_INSTANCE_PATH": str(folder / "instance"),
        "CONSULT_DATABASE_URL": f"sqlite:///{database}",
    }
    flask(env, "db", "upgrade")
    flask(env, "demo", "load", "--responses", "120")
    runs = [
        int(
            flask(
                env,
                *("reports", "run", "--consultation", "trailblazer-devolution-deal"),
                *("--question", "2", "--engine", "fast", "--seed", seed, "--wait"),
            ).split()[-1]
        )
        for seed in ("0", "1", "1")
    ]
    with running_server(folder / "server", CONSULT_DATABASE_URL=env["CONSULT_DATABASE_URL"]) as (
        base,
        invitation_link,
    ):
        session = demo_admin_session(base, invitation_link.env)
        yield base, session, runs, database, env


def test_a_fast_run_counts_its_labels_points(served):
    """smoke16 #3 had a fast run's themes say "Label not checked (fast engine)" rather than
    "Nothing flagged"; since count18 (smoke18r finding 10) the fast engine counts who makes
    each label's point, so its page, Word and Excel give the count as a semantic run's do,
    and never say the label was not checked."""
    from docx import Document
    from openpyxl import load_workbook

    base, session, runs, *_ = served
    page = session.get(f"{base}/staff/reports/runs/{runs[0]}")
    assert page.status_code == 200
    table = page.text.split("Themes, largest first", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"govuk-table__row\"[^>]*>(.*?)</tr>", table, re.S)
    themed = [words(row) for row in rows if "#theme-T" in row]
    assert themed and not any(FAST in row.lower() for row in themed)
    # Each theme's Size paragraph says how many make the label's point: in its headline
    # ("About 13 of the 91 answers (14%) make this point, …", wording28) or, where there is
    # none, in its label-point sentence.
    headlines = re.findall(r'id="theme-(T\d+)-headline">(.*?)</strong>', page.text)
    sentences = re.findall(r'id="theme-(T\d+)-label-point">(.*?)</span>', page.text)
    said = {key for key, text in headlines if "make this point" in html.unescape(text)} | {
        key for key, text in sentences if "the label's own point" in html.unescape(text)
    }
    assert len(said) == len(themed), (said, themed)

    word = session.get(f"{base}/staff/reports/runs/{runs[0]}/report.docx")
    assert word.status_code == 200
    glance = next(
        t
        for t in Document(io.BytesIO(word.content)).tables
        if [c.text for c in t.rows[0].cells][:2] == ["Theme", "Main theme of"]
    )
    checks = [row.cells[-1].text for row in glance.rows[1:]]
    assert checks and not any(FAST in check.lower() for check in checks), checks

    excel = session.get(f"{base}/staff/reports/runs/{runs[0]}/report.xlsx")
    assert excel.status_code == 200
    sheet = load_workbook(io.BytesIO(excel.content))["Themes"]
    header = [cell.value for cell in sheet[1]]
    keys = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    themes = [row for row in keys if str(row[0]).startswith("T")]
    label_point = header.index(
        "Of them, making the label's own point (about; blank: not measured, as in a fast "
        "run made before it was counted, or a theme a reviewer changed)"
    )
    mentions = header.index("Answers mentioning it")
    assert themes and all(0 <= row[label_point] <= row[mentions] for row in themes)


def test_a_response_page_carries_its_themes_warnings(served):
    base, session, runs, database, _ = served
    with sqlite3.connect(database) as connection:
        (response_id,) = connection.execute(
            "SELECT response_id FROM run_assignment WHERE run_id = ? AND theme_id IS NOT NULL "
            "ORDER BY id LIMIT 1",
            (runs[-1],),
        ).fetchone()
    page = session.get(f"{base}/staff/reports/responses/{response_id}")
    assert page.status_code == 200
    said = re.findall(r'<p class="govuk-body-s" id="theme-check-\d+-(T\d+)">(.*?)</p>', page.text)
    # a theme with a warning says it (the fast engine's labels are checked now: count18)
    for key, text in said:
        assert words(text).startswith(f"Check before quoting {key}: ")
        assert FAST not in words(text).lower() and f"run {runs[-1]}'s report" in words(text)


def test_theme_numbers_and_the_run_compared_with_are_explained(served):
    base, session, runs, *_ = served
    first = words(session.get(f"{base}/staff/reports/runs/{runs[0]}").text)
    assert "Theme numbers follow" not in first and "Reran" not in first
    assert "Compared with" not in first
    second = session.get(f"{base}/staff/reports/runs/{runs[1]}").text
    note = re.search(r'<p class="govuk-body" id="theme-numbers">(.*?)</p>', second, re.S)
    assert note and words(note.group(1)).startswith(
        f"Theme numbers follow run {runs[0]} where a theme is the same: "
    )
    details = words(second.split('id="run-details"', 1)[1])
    assert (
        f"Compared with run {runs[0]}: a new analysis with another engine or settings, not a "
        "rerun." in details
    )
    assert "Reran" not in details
    third = words(session.get(f"{base}/staff/reports/runs/{runs[2]}").text)
    assert f"Reran run {runs[1]} (same engine and settings)" in third
    assert f"Theme numbers follow run {runs[1]}" in third


def test_start_an_analysis_keeps_seed_and_side_margin_under_advanced_settings(served):
    base, session, *_ = served
    page = session.get(f"{base}/staff/reports/consultations/1/new")
    assert page.status_code == 200
    advanced = re.search(
        r'<details class="govuk-details[^"]*" id="advanced-settings"([^>]*)>', page.text
    )
    assert advanced and "open" not in advanced.group(1)  # most people leave these
    inside = page.text.split('id="advanced-settings"', 1)[1].split("</details>", 1)[0]
    assert 'id="seed"' in inside and 'id="side_margin"' in inside
    assert "Advanced settings (most people leave these)" in inside
    assert "Keep answers with people on the same side" in words(inside)
    assert "can put different points that share words into one large theme" in words(page.text)


def test_coding_pages_and_the_consultation_report_in_plain_words(served):
    from docx import Document

    from consult.models import utcnow
    from consult.reports import coding
    from consult.reports.coding_models import MachineCoding
    from consult.reports.models import AnalysisRun, RunAssignment
    from tests.test_browser_reports import live_database

    base, session, runs, _, env = served
    with live_database(env) as db:
        run = db.session.get(AnalysisRun, runs[-1])
        question_id, consultation_id = run.question_id, run.consultation_id
        codebook = coding.codebook_from_run(run, "admin@example.org")
        keys = [theme.id for theme in coding.as_book(codebook).codes]
        ids = list(
            db.session.scalars(
                db.select(RunAssignment.response_id)
                .where(RunAssignment.run_id == run.id)
                .order_by(RunAssignment.id)
            )
        )[:12]
        for number, response_id in enumerate(ids[:11]):
            coding.save_code(codebook, response_id, "a@example.gov.uk", [keys[number % 2]], None)
        # a second person codes one differently: it waits to be settled
        coding.save_code(codebook, ids[0], "b@example.gov.uk", [keys[2 % len(keys)]], None)
        db.session.add(
            MachineCoding(
                codebook_id=codebook.id,
                status="succeeded",
                finished_at=utcnow(),
                suggestions=[],
                metrics={
                    "themes": {"coded": 5, "sample_f1": None, "cold_start": False},
                    "stance": {"accuracy": None, "note": ""},
                },
                human_count=5,
            )
        )
        db.session.commit()

    overview = session.get(f"{base}/staff/reports/questions/{question_id}/coding")
    assert overview.status_code == 200
    warning = words(overview.text.split('id="apply-too-soon"', 1)[1].split("</strong>", 1)[0])
    assert "People have coded 10 responses the model can learn from" in warning
    assert "(it was last applied when people had coded 5). Apply the model again" in warning
    assert "first measured once people have coded" not in warning

    form = session.get(f"{base}/staff/reports/questions/{question_id}/coding/{ids[11]}")
    assert form.status_code == 200
    text = words(form.text)
    assert "Its stance: does it agree with Q1? (optional)" in text
    assert "Agrees with Q1" in text and "Disagrees with Q1" in text
    assert "proposal" not in text

    report = session.get(f"{base}/staff/reports/consultations/{consultation_id}/report.docx")
    assert report.status_code == 200
    paragraphs = [p.text for p in Document(io.BytesIO(report.content)).paragraphs]
    assert (
        "1 answer that people coded differently is waiting to be settled. Until then it is "
        in " ".join(paragraphs)
    )
    assert not any("in no count" in p or "not with a person's code" in p for p in paragraphs)
