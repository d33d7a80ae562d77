"""The theme report pages with the test client: start form, progress, report, explain a
theme, responses in a theme, runs, overview, respondent view and downloads."""

from __future__ import annotations

import importlib

import pytest
from sqlalchemy import event, select

from analysis.report import NAMES_MASKED_ONLY
from consult.extensions import db
from consult.models import AuditEvent
from consult.reports import pages
from consult.reports.models import AnalysisRun
from consult.staff.permissions import PERMISSIONS
from tests.helpers import hidden_fields, make_consultation, soup
from tests.reports.stored_runs import store_queued_run, store_synthetic_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def optional(name: str):
    try:
        return importlib.import_module(f"consult.reports.{name}")
    except ModuleNotFoundError:
        return None


def why_question(consultation):
    return next(q for q in consultation.questions if q.explains is not None)


def idea_question(consultation):
    return next(q for q in consultation.questions if q.kind == "short_text")


@pytest.fixture
def consultation(app):
    return make_consultation()


@pytest.fixture
def stored(consultation):
    return store_synthetic_run(consultation, why_question(consultation), responses=80)


def text_of(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


def test_report_page_shows_every_part(app, consultation, stored):
    client = signed_in(app, "analyst")
    page = client.get(f"/staff/reports/runs/{stored.id}")
    assert page.status_code == 200
    text = text_of(page)
    html = soup(page)
    themes = db.session.scalars(
        select(pages.RunTheme)
        .where(pages.RunTheme.run_id == stored.id)
        .order_by(pages.RunTheme.position)
    ).all()
    first = themes[0]
    # Each theme: label, size, share with its interval, stance, sentiment, keywords, stability.
    for theme in themes:
        assert f"{theme.key}: {theme.label}" in text
    section = html.find(id=f"theme-{first.key}")
    words = " ".join(section.get_text(" ").split())
    assert f"Main theme of {first.size} answers; mentioned by {first.mentions}" in words
    assert (
        f"{100 * first.share:.0f}% of the 80 answers (95% interval {100 * first.share_low:.0f}%"
        in words
    )
    assert f"Stance Of the {first.mentions} answers mentioning it: for" in words
    assert "Sentiment" in words
    assert "buses, reliable, late" in words
    assert "Stability 0.95 (stable)" in words
    # Quotes link to the full response.
    quote_links = section.select("blockquote a")
    assert quote_links and all("/staff/responses/" in a["href"] for a in quote_links)
    assert client.get(quote_links[0]["href"]).status_code == 200
    # The breakdown by partner type: chart, table, significance marked and explained in words.
    assert section.find("svg", attrs={"role": "img"}) is not None
    # Which way it differs, in words; a tiny p is "p < 0.001", never "p = 0".
    assert "★ higher than the rest (significant)" in words
    assert "(p < 0.001, " in words and "p = 0," not in words
    assert (
        "University partners mention this" in words and "times as often as other partners" in words
    )
    assert "By area" in words
    # One table gives the figures (the chart's own data table would repeat them), saying
    # what its share is of, and lists partner types in the same order as the chart's bars.
    breakdown = section.find(id=f"chart-{first.key}-partner_type").find_parent(
        class_="consult-avoid-break"
    )
    (shares_table,) = breakdown.find_all("table")
    headings = [th.get_text(" ", strip=True) for th in shares_table.thead.find_all("th")]
    assert headings[1:4] == [
        "Answers mentioning it",
        "Share of the partner type's answers (95% interval)",
        "Share of everyone else's",
    ]
    bars = [t.get_text(" ", strip=True) for t in breakdown.svg.find_all("text")][::2]
    assert [row.th.get_text(" ", strip=True) for row in shares_table.tbody.find_all("tr")] == bars
    # The bucket, campaigns, personal data masked, agreement, run details.
    bucket = sum(1 for i in range(80) if i % 17 == 16)
    assert f"{bucket} of 80 answers" in text
    campaigns = " ".join(html.find(id="campaigns").parent.get_text(" ").split())
    assert "1 D1 6" in campaigns
    assert "2 email addresses" in text and "1 phone numbers" in text
    # what masking covers, so a count is not read as "names were dealt with" (smoke5 finding 8)
    masked = " ".join(html.find(id="personal-data").parent.get_text(" ").split())
    assert f"{NAMES_MASKED_ONLY}." in masked and "check quotes before publishing" in masked
    agreement = " ".join(html.find(id="agreement").parent.get_text(" ").split())
    assert "Strongly agree" in agreement and "Q1: Buses should be franchised" in agreement
    details = " ".join(html.find(id="run-details").parent.get_text(" ").split())
    assert "Seed 0" in details and "Started by analyst@example.org" in details
    assert "Engine fast (asked for auto)" in details
    # Times read as on every other page ("4 December 2026 at 2:18pm"), not 2026-12-04 14:18:21.
    import re

    from consult.times import uk_time

    assert f"Queued {uk_time(stored.created_at)}" in details
    assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", details)


def test_report_page_reads_a_constant_number_of_rows(app, consultation):
    """The report page runs the same number of queries for 40 or 400 answers: aggregates
    and themes only, never every assignment."""
    client = signed_in(app, "analyst")
    counts = []
    for size in (40, 400):
        run = store_synthetic_run(consultation, idea_question(consultation), responses=size)
        statements: list[str] = []

        def count(conn, cursor, statement, *args, statements=statements):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(f"/staff/reports/runs/{run.id}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert not any(
            "FROM run_assignment" in s and "count" not in s.lower() and "GROUP BY" not in s
            for s in statements
        ), "the report page loaded assignments one by one"
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_theme_page_explains_and_pages_its_responses(app, consultation):
    run = store_synthetic_run(consultation, idea_question(consultation), responses=400, themes=3)
    client = signed_in(app, "analyst")
    theme = db.session.scalars(
        select(pages.RunTheme).where(pages.RunTheme.run_id == run.id, pages.RunTheme.key == "T02")
    ).one()
    url = f"/staff/reports/runs/{run.id}/themes/T02"
    page = client.get(url)
    assert page.status_code == 200
    text = text_of(page)
    assert "Its defining words" in text and "skills, funding, colleges" in text
    assert "Most typical responses" in text and "Least typical responses" in text
    assert f"{theme.size} responses, page 1 of" in text
    rows = soup(page).select("#theme-responses tbody tr")
    assert len(rows) == pages.PAGE_SIZE
    # Every response shows its other themes; secondary themes link on.
    assert "T03: Housing supply" in text
    second = client.get(url + "?page=2")
    assert "page 2 of" in text_of(second)
    assert soup(second).select("#theme-responses tbody tr")[0].get_text() != rows[0].get_text()
    # Search by words or reference.
    member = db.session.scalars(
        select(pages.RunAssignment).where(pages.RunAssignment.theme_id == theme.id)
    ).first()
    found = client.get(url, query_string={"q": member.reference})
    assert f"1 response matching “{member.reference}”" in text_of(found)
    assert len(soup(found).select("#theme-responses tbody tr")) == 1
    worded = client.get(url, query_string={"q": "FUNDING and"})
    assert "responses matching “FUNDING and”" in text_of(worded)
    matches = soup(worded).select("#theme-responses tbody tr")
    assert matches and all("funding and" in row.get_text() for row in matches)
    # Every mention, not just the main theme.
    every = client.get(url, query_string={"scope": "any"})
    assert f"{theme.mentions} responses" in text_of(every)
    # The bucket and unknown themes.
    bucket = client.get(f"/staff/reports/runs/{run.id}/themes/NS")
    assert bucket.status_code == 200 and "n/a" in text_of(bucket)
    assert client.get(f"/staff/reports/runs/{run.id}/themes/T99").status_code == 404
    past = client.get(url + "?page=999&scope=any")  # past the end: to the last page
    last = -(-theme.mentions // pages.PAGE_SIZE)
    assert past.status_code == 302 and past.headers["Location"].endswith(f"scope=any&page={last}")
    assert client.get(past.headers["Location"]).status_code == 200


def test_progress_page_and_status(app, consultation):
    question = why_question(consultation)
    client = signed_in(app, "analyst")
    queued = store_queued_run(consultation, question)
    page = client.get(f"/staff/reports/runs/{queued.id}")
    assert page.status_code == 200
    text = text_of(page)
    assert "Waiting to start" in text
    assert pages.NO_WORKER_MESSAGE in text  # no worker in this test: said plainly
    assert soup(page).find("progress") is not None
    assert soup(page).find("a", id="run-refresh")["href"] == f"/staff/reports/runs/{queued.id}"
    script = soup(page).find("script", nonce=True)
    assert script is not None and script["nonce"] in page.headers["Content-Security-Policy"]
    queued.status, queued.stage, queued.stage_done, queued.stage_total = "running", "themes", 2, 9
    db.session.commit()
    status = client.get(f"/staff/reports/runs/{queued.id}/status")
    assert status.status_code == 200 and status.is_json
    body = status.get_json()
    assert body["text"] == "Stage 3 of 9: grouping the answers into themes"
    assert body["done"] == 2 and body["total"] == 9 and body["percent"] == 22
    assert body["finished"] is False and body["worker"] is False
    # The tag drawn with the page said Queued: the script sets it from status_text, so a
    # page opened before the worker started says Running beside "Stage 3 of 9".
    assert text_of(page).count("Queued") == 1
    assert soup(page).select_one("#run-status .govuk-tag").get_text(strip=True) == "Queued"
    assert body["status"] == "running" and body["status_text"] == "Running"
    scripts = " ".join(s.get_text() for s in soup(page).find_all("script"))
    assert "status_text" in scripts and "#run-status .govuk-tag" in scripts
    running = client.get(f"/staff/reports/runs/{queued.id}")
    assert soup(running).select_one("#run-status .govuk-tag").get_text(strip=True) == "Running"
    bar = soup(running).find("progress")
    assert bar["max"] == "9" and bar["value"] == "2"


def test_failed_run_says_why_and_offers_retry(app, consultation):
    from tests.reports_helpers import add_responses

    # Retry is offered while there is something to analyse (see test_analysis_no_answers).
    add_responses(consultation, [{why_question(consultation): f"Answer {n}"} for n in range(4)])
    failed = store_queued_run(
        consultation,
        why_question(consultation),
        status="failed",
        error="Too few answers to find 9 themes: there are 4 distinct answers.",
    )
    analyst = signed_in(app, "analyst")
    page = analyst.get(f"/staff/reports/runs/{failed.id}")
    assert "Too few answers to find 9 themes" in text_of(page)
    assert soup(page).find("button", string=lambda s: s and "Retry" in s) is not None
    assert analyst.get(f"/staff/reports/runs/{failed.id}/status").get_json()["finished"]
    viewer = signed_in(app, "viewer")
    assert (
        soup(viewer.get(f"/staff/reports/runs/{failed.id}")).find("button", string="Retry") is None
    )
    runs = optional("runs")
    retried = analyst.post(
        f"/staff/reports/runs/{failed.id}/retry", data=hidden_fields(page), follow_redirects=True
    )
    assert retried.status_code == 200
    if runs is not None and hasattr(runs, "retry_run"):
        db.session.expire_all()
        assert db.session.get(AnalysisRun, failed.id).status in ("queued", "running", "succeeded")
    else:
        assert "not installed" in text_of(retried)
    token = hidden_fields(viewer.get(f"/staff/reports/runs/{failed.id}"))
    assert viewer.post(f"/staff/reports/runs/{failed.id}/retry", data=token).status_code == 403


def test_start_form_checks_its_answers(app, consultation):
    client = signed_in(app, "analyst")
    url = f"/staff/reports/consultations/{consultation.id}/new"
    page = client.get(url)
    assert page.status_code == 200
    form = soup(page)
    choices = [i["value"] for i in form.select("input[name=question]")]
    assert choices == [str(q.id) for q in consultation.questions if q.is_text]
    assert "about Q1: Buses should be franchised" in text_of(page)
    assert form.find("input", attrs={"name": "engine", "value": "auto"}).has_attr("checked")
    assert form.find("input", attrs={"name": "segments", "value": "partner_type"}).has_attr(
        "checked"
    )
    assert pages.WORKER_COMMAND in text_of(page)
    bad = client.post(
        url,
        data={
            **hidden_fields(page),
            "themes": "many",
            "seed": "-3",
            "engine": "auto",
            "side_margin": "wide",
        },
    )
    assert bad.status_code == 400
    summary = [a.get_text(strip=True) for a in soup(bad).select(".govuk-error-summary a")]
    assert summary == [
        "Select the question to analyse",
        "Enter the number of themes as a whole number, like 8, or leave it blank",
        "Enter the seed as a whole number from 0 to 4294967295",
        "Enter the side margin as a number from 0 to 1, like 0.2, or 'off'",
    ]
    assert form.select_one("input[name=side_margin]")["value"] == "0.2"
    assert soup(bad).select_one("input[name=side_margin]")["value"] == "wide"
    assert soup(bad).select(".govuk-error-summary a")[0]["href"] == "#question"
    assert soup(bad).find(id="question") is not None
    too_many = client.post(
        url, data={**hidden_fields(page), "question": choices[0], "themes": "99", "engine": "auto"}
    )
    assert "Enter a number of themes from 2 to 60" in text_of(too_many)
    assert client.get(url + "?question=" + choices[1]).status_code == 200


def test_start_form_starts_a_run(app, consultation):
    runs = optional("runs")
    client = signed_in(app, "analyst")
    url = f"/staff/reports/consultations/{consultation.id}/new"
    page = client.get(url)
    question = why_question(consultation)
    from tests.reports_helpers import add_responses

    add_responses(consultation, [{question: "Something to analyse"}])  # else refused
    data = {
        **hidden_fields(page),
        "question": str(question.id),
        "engine": "fast",
        "themes": "4",
        "seed": "7",
        "segments": ["partner_type", "area"],
        "side_margin": "0.3",
    }
    if runs is None or not hasattr(runs, "start_run"):
        refused = client.post(url, data=data)
        assert refused.status_code == 400 and "not installed" in text_of(refused)
        assert db.session.scalar(select(AnalysisRun.id)) is None
        pytest.skip("consult.reports.runs is not on this branch yet: start_run untested")
    started = client.post(url, data=data)
    assert started.status_code == 302
    run = db.session.scalars(select(AnalysisRun)).one()
    assert started.headers["Location"].endswith(f"/staff/reports/runs/{run.id}")
    assert run.question_id == question.id
    assert run.settings == {
        "engine": "fast",
        "n_themes": 4,
        "seed": 7,
        "segments": ["partner_type", "area"],
        "side_margin": 0.3,
    }
    assert run.started_by_email == "analyst@example.org"


def test_runs_list_and_delete(app, consultation, stored):
    client = signed_in(app, "analyst")
    question = why_question(consultation)
    listing = client.get(f"/staff/reports/questions/{question.id}/runs")
    assert listing.status_code == 200
    assert f"Run {stored.id}" in text_of(listing) and "Finished" in text_of(listing)
    confirm = client.get(f"/staff/reports/runs/{stored.id}/delete")
    assert f"Are you sure you want to delete run {stored.id}?" in text_of(confirm)
    runs = optional("runs")
    done = client.post(f"/staff/reports/runs/{stored.id}/delete", data=hidden_fields(confirm))
    assert done.status_code == 302
    db.session.expire_all()
    if runs is None or not hasattr(runs, "delete_run"):
        assert db.session.get(AnalysisRun, stored.id) is not None
        pytest.skip("consult.reports.runs is not on this branch yet: delete_run untested")
    assert db.session.get(AnalysisRun, stored.id) is None
    assert AuditEvent.query.filter_by(action="analysis_deleted").count() == 1


def test_a_closed_questions_runs_page_says_why_and_offers_no_analysis(app, consultation):
    """A choice or agreement question cannot be analysed (the rule of the question list):
    its runs page says so and offers no "Start an analysis", whose form would have no
    question chosen (smoke walk 13, finding 2); a free-text question's page still does."""
    client = signed_in(app, "analyst")
    closed = [q for q in consultation.questions if not q.is_text]
    assert {q.kind for q in closed} >= {"agreement"}
    for question in closed:
        page = client.get(f"/staff/reports/questions/{question.id}/runs")
        assert page.status_code == 200
        text = text_of(page)
        assert "Start an analysis" not in text and "not been analysed yet" not in text
        why = soup(page).find(id="not-analysable").get_text(" ")
        number = consultation.questions.index(question) + 1
        assert why.startswith(f"Question {number} is not a free-text question (it is a ")
        assert why.endswith("only free-text answers are analysed for themes.")
    text = text_of(client.get(f"/staff/reports/questions/{why_question(consultation).id}/runs"))
    assert "Start an analysis" in text and "not a free-text question" not in text


def test_the_analyse_link_names_its_question_without_a_stray_colon(app, consultation):
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/consultations/{consultation.id}"))
    links = [
        a.get_text("")
        for a in page.find_all("a")
        if a.get_text().startswith("Analyse this question")
    ]
    assert links and all(t.startswith("Analyse this question (Q") for t in links), links


def test_overview_and_respondent_view(app, consultation, stored):
    other = store_synthetic_run(consultation, idea_question(consultation), responses=30, themes=3)
    client = signed_in(app, "analyst")
    overview = client.get(f"/staff/reports/consultations/{consultation.id}")
    assert overview.status_code == 200
    text = text_of(overview)
    assert "Q2: Why do you say that?" in text and "Q5: One idea" in text
    assert "T01: Bus reliability" in text and "University (16)" in text
    tables = soup(overview).select("table")
    assert len(tables) == 2
    # Screen readers hear the question's own number on each "Read the full report" link, not
    # its place among the free-text questions.
    hidden = [
        " ".join(link.get_text(" ").split())
        for link in soup(overview).find_all("a")
        if link.get_text().startswith("Read the full report")
    ]
    assert hidden == ["Read the full report for Q2", "Read the full report for Q5"]
    assert len(tables[0].select("tbody tr")) == pages.TOP_THEMES
    # One response's answers, each with its themes from the latest run of its question.
    assignment = db.session.scalars(
        select(pages.RunAssignment).where(
            pages.RunAssignment.run_id == other.id, pages.RunAssignment.theme_id.is_not(None)
        )
    ).first()
    page = client.get(f"/staff/reports/responses/{assignment.response_id}")
    assert page.status_code == 200
    words = text_of(page)
    assert assignment.text in words
    assert f"Themes (run {other.id}): {assignment.theme_keys[0]}" in words
    assert "(main)" in words
    assert "Not answered" in words  # the synthetic responses answer no closed question
    # Viewers read reports but not respondents' answers in full.
    viewer = signed_in(app, "viewer")
    assert viewer.get(f"/staff/reports/consultations/{consultation.id}").status_code == 200
    assert viewer.get(f"/staff/reports/responses/{assignment.response_id}").status_code == 403
    assert viewer.get(f"/staff/reports/consultations/{consultation.id}/new").status_code == 403


def test_consultation_page_links_to_reports(app, consultation):
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/consultations/{consultation.id}"))
    hrefs = {a["href"] for a in page.find_all("a")}
    assert f"/staff/reports/consultations/{consultation.id}" in hrefs
    assert f"/staff/reports/consultations/{consultation.id}/new" in hrefs


MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@pytest.mark.parametrize("fmt", sorted(MIME))
def test_downloads(app, stored, fmt):
    client = signed_in(app, "analyst")
    documents = optional("documents")
    function = {"docx": "run_docx", "xlsx": "run_xlsx", "csv": "run_coding_csv"}[fmt]
    response = client.get(f"/staff/reports/runs/{stored.id}/report.{fmt}")
    if documents is None or not hasattr(documents, function):
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/staff/reports/runs/{stored.id}")
        assert "download" not in client.get(f"/staff/reports/runs/{stored.id}").get_data(
            as_text=True
        )
        pytest.skip("consult.reports.documents is not on this branch yet")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == MIME[fmt]
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert len(response.data) > 100
    event = AuditEvent.query.filter_by(action="report_exported").one()
    assert event.target == f"run {stored.id}" and fmt in event.detail
    assert client.get(f"/staff/reports/runs/{stored.id}/report.pdf").status_code == 404
    assert (
        signed_in(app, "viewer").get(f"/staff/reports/runs/{stored.id}/report.{fmt}").status_code
        == 403
    )


def test_report_pages_for_each_role(app, consultation, stored):
    """Readers see the report without buttons they cannot use; unknown runs are 404."""
    viewer = signed_in(app, "viewer")
    page = viewer.get(f"/staff/reports/runs/{stored.id}")
    assert page.status_code == 200
    assert "Run again" not in text_of(page)
    assert not soup(page).select("blockquote a")  # quotes name the response, no link to 403
    assert viewer.get("/staff/reports/runs/99999").status_code == 404
    assert viewer.get(f"/staff/reports/runs/{stored.id}/delete").status_code == 403
    editor = signed_in(app, "editor")
    assert editor.get(f"/staff/reports/runs/{stored.id}/themes/T01").status_code == 200


PAGES = {
    "overview",
    "new_run",
    "question_runs",
    "run",
    "run_status",
    "delete",
    "theme",
    "download",
    "respondent",
}


@pytest.mark.parametrize("role", sorted(PERMISSIONS))
def test_every_report_page_renders_for_each_role(app, consultation, stored, role):
    """Every GET route of the reports blueprint, on a real stored run: allowed roles get a
    page (never a 500), the others 403."""
    assignment = db.session.scalars(select(pages.RunAssignment)).first()
    values = {
        "run_id": stored.id,
        "consultation_id": consultation.id,
        "question_id": stored.question_id,
        "key": "T01",
        "fmt": "csv",
        "response_id": assignment.response_id,
    }
    client = signed_in(app, role)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("reports.") or "GET" not in rule.methods:
            continue
        url = rule.build({arg: values.get(arg, 1) for arg in rule.arguments})[1]
        permission = app.view_functions[rule.endpoint].permission
        response = client.get(url)
        if permission in PERMISSIONS[role]:
            assert response.status_code != 403 and response.status_code < 500, (role, url)
            if rule.endpoint.split(".")[1] in PAGES:  # this module's pages: a real page
                assert response.status_code in (200, 302), (role, url, response.status_code)
        else:
            assert response.status_code == 403, (role, url)
        checked += 1
    assert checked >= 9


def test_differences_in_words():
    cell = {"share": 0.4, "rest_share": 1 / 6, "significant": True}
    assert pages.difference_sentence("partner_type", "University", cell) == (
        "University partners mention this 2.4 times as often as other partners (40% against 17%)."
    )
    lower = {"share": 0.1, "rest_share": 0.3}
    assert pages.difference_sentence("area", "Walsall", lower) == (
        "Partners in Walsall mention this less often than partners in other areas (10% against "
        "30%); partners in other areas mention it 3 times as often."
    )


def test_responses_that_did_not_give_a_segment_are_counted_but_never_a_finding(app, consultation):
    """Size bands are given by businesses only: 'Not given' is everyone else, so a
    significant cell for it is kept in the table but is not a finding."""
    run = store_synthetic_run(
        consultation, why_question(consultation), responses=60, segments=("size_band",)
    )
    theme = db.session.scalars(
        select(pages.RunTheme).where(pages.RunTheme.run_id == run.id).order_by(pages.RunTheme.id)
    ).first()
    cells = dict(theme.segments["size_band"])
    cells["not_given"] = {
        "count": 9,
        "of": 60,
        "share": 0.15,
        "ci95": [0.08, 0.26],
        "rest_share": 0.37,
        "p_adjusted": 0.001,
        "significant": True,
        "verdict": "lower",
        "test": "fisher",
    }
    for value in cells:
        if value != "not_given":
            cells[value] = {**cells[value], "significant": False, "verdict": "no clear difference"}
    theme.segments = {**theme.segments, "size_band": cells}
    db.session.commit()
    page = signed_in(app, "analyst").get(f"/staff/reports/runs/{run.id}")
    section = soup(page).find(id=f"theme-{theme.key}")
    words = " ".join(section.get_text(" ").split())
    assert "Not given organisations" not in words and "Significant differences" not in words
    assert "No organisation size differs significantly from the rest on this theme." in words
    shares_table = (
        section.find(id=f"chart-{theme.key}-size_band")
        .find_parent(class_="consult-avoid-break")
        .find("table")
    )
    row = next(
        tr for tr in shares_table.tbody.find_all("tr") if tr.th.get_text(strip=True) == "Not given"
    )
    cells_text = [" ".join(td.get_text().split()) for td in row.find_all("td")]
    assert cells_text[0] == "9 of 60"  # still counted in the table
    assert cells_text[3] == "not compared: these responses did not give an organisation size"
    assert pages.difference_sentence(
        "partner_type", "School or sixth form", {"share": 0.0, "rest_share": 0.2}
    ) == ("No School or sixth form partners mention this theme, against 20% of other partners.")
    assert pages.difference_sentence("size_band", "Micro", {"share": 0.5, "rest_share": 0.0}) == (
        "Only Micro organisations mention this theme (50% against 0%)."
    )


def test_progress_in_words():
    run = AnalysisRun(status="running", stage="themes", stage_done=2, stage_total=9)
    assert pages.progress(run, worker=True).text == "Stage 3 of 9: grouping the answers into themes"
    assert pages.progress(run, worker=True).message == "The analysis is running."
    assert pages.progress(run, worker=False).message == pages.NO_WORKER_MESSAGE
    done = AnalysisRun(status="succeeded", stage="finished", stage_done=9, stage_total=9)
    assert pages.progress(done, worker=False).percent == 100
    assert pages.progress(done, worker=False).message == "The analysis has finished."
    failed = AnalysisRun(status="failed", error="Too few answers.", stage_done=3, stage_total=9)
    state = pages.progress(failed, worker=False)
    assert (
        state.finished and state.message == "Too few answers." and state.error == "Too few answers."
    )
    # Every stage a run goes through has words a policy officer knows (not "representation").
    from consult.reports.jobs import JOB_STAGES

    assert set(JOB_STAGES) == set(pages.STAGE_WORDS)
    run.stage = "representation"
    assert pages.progress(run, worker=True).text == "Stage 3 of 9: comparing what the answers say"


def test_run_details_say_status_and_stages_in_words():
    run = AnalysisRun(
        id=7, status="succeeded", settings={}, timings={"representation": 12.9, "segments": 1.4}
    )
    rows = dict(pages.run_details(run))
    assert rows["Run"] == "7 (finished)"
    assert rows["Time per stage"] == (
        "comparing what the answers say 12.9 s; breaking the themes down by group 1.4 s"
    )


def test_report_says_when_responses_came_in_after_it_was_run(app, consultation, stored):
    from consult.models import Response
    from consult.reports.runs import answers_for

    stored.summary = {**stored.summary, "submitted": answers_for(stored.question).submitted}
    db.session.commit()
    client = signed_in(app, "analyst")
    url = f"/staff/reports/runs/{stored.id}"
    assert soup(client.get(url)).find(id="out-of-date") is None
    db.session.add(
        Response(
            consultation_id=consultation.id,
            reference="WM-LATE-000001",
            status="submitted",
            submitted_at=stored.finished_at,
        )
    )
    db.session.commit()
    notice = soup(client.get(url)).find(id="out-of-date")
    words = " ".join(notice.get_text(" ").split())
    assert "1 response has been submitted since this report was run, so it is not in it." in words
    link = notice.find("a")
    assert link.get_text(" ", strip=True).startswith("Run the analysis again")
    assert link["href"] == (
        f"/staff/reports/consultations/{consultation.id}/new?question={stored.question_id}"
        f"&again={stored.id}"  # the run's own settings (smoke10 finding 11)
    )
    assert client.get(link["href"]).status_code == 200
    viewer = soup(signed_in(app, "viewer").get(url)).find(id="out-of-date")
    assert "Ask an analyst to run it again." in viewer.get_text() and viewer.find("a") is None
    # The consultation's overview says it beside the run too.
    overview = soup(client.get(f"/staff/reports/consultations/{consultation.id}"))
    notes = [n.get_text(" ", strip=True) for n in overview.select(".consult-out-of-date")]
    assert notes == ["1 response has been submitted since this run."]


def test_a_quote_others_say_word_for_word_says_how_many_on_the_page(app, consultation, stored):
    """A stored quote with ``same`` (other answers saying its words, openers aside) says how
    many under it; the theme's other quotes say nothing more."""
    first = db.session.scalars(
        select(pages.RunTheme)
        .where(pages.RunTheme.run_id == stored.id)
        .order_by(pages.RunTheme.position)
    ).first()
    quotes = [dict(q) for q in first.quotes]
    quotes[0]["same"] = 2
    first.quotes = quotes
    db.session.commit()
    page = signed_in(app, "analyst").get(f"/staff/reports/runs/{stored.id}")
    assert page.status_code == 200
    section = soup(page).find(id=f"theme-{first.key}")
    footers = [" ".join(f.get_text(" ").split()) for f in section.find_all("footer")]
    said = [f for f in footers if "say the same" in f]
    assert len(said) == 1 and said[0].endswith("; 2 other answers say the same")
