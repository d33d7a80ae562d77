"""smoke17 finding (WCAG 2.4.2): page titles that told pages apart only by their content:
"Merge themes" whatever the theme and run, "Start an analysis" whatever the question, the
responses' pages 1 and 2 the same."""

from __future__ import annotations

from datetime import timedelta

from consult.extensions import db
from consult.models import Response, utcnow
from tests.helpers import make_consultation, soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import signed_in


def title(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, url
    return soup(page).title.get_text().split(" – Partner")[0]


def test_review_pages_name_the_run_and_the_theme(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    run = stored_run(consultation, question, n_themes=4)
    client = signed_in(app, "analyst")
    base = f"/staff/reports/runs/{run.id}"
    first, second = (theme.key for theme in run.visible_themes[:2])
    one = title(client, f"{base}/merge?key={first}")
    assert one.startswith(f"Merge {first} with other themes – run {run.id}, Q")
    assert title(client, f"{base}/merge?key={second}") != one
    assert title(client, f"{base}/merge").startswith(f"Merge themes – run {run.id}, Q")
    assert f"run {run.id}" in title(client, f"{base}/create")


def test_start_an_analysis_names_the_question_chosen(app):
    consultation, question = make_question()
    add_answers(consultation, question, 5)
    client = signed_in(app, "analyst")
    url = f"/staff/reports/consultations/{consultation.id}/new"
    chosen = title(client, f"{url}?question={question.id}")
    assert chosen.startswith("Start an analysis: Q")
    assert question.text in chosen


def test_responses_pages_say_which_page(app):
    consultation = make_consultation()
    for number in range(55):
        db.session.add(
            Response(
                consultation=consultation,
                reference=f"T-{number}",
                status="submitted",
                submitted_at=utcnow() - timedelta(minutes=number),
                organisation_name=f"Org {number}",
            )
        )
    db.session.commit()
    client = signed_in(app, "analyst")
    url = f"/staff/consultations/{consultation.id}/responses"
    assert title(client, url).endswith("(page 1 of 2)")
    assert title(client, f"{url}?page=2").endswith("(page 2 of 2)")


def test_preview_says_what_it_shows_and_the_individual_wording(app):
    """smoke17 finding: /preview/0 was a 404, and nothing said the start page, "About you"
    and check your answers are not previewed."""
    consultation = make_consultation()
    question = consultation.sections[0].questions[0]
    question.text_individuals = "Should buses be franchised, in your view?"
    db.session.commit()
    client = signed_in(app, "editor")
    base = f"/staff/consultations/{consultation.id}/preview"
    page = soup(client.get(f"{base}/0"))
    assert page.title.get_text().startswith("Preview: what it shows")
    links = [a["href"] for a in page.find(id="preview-sections")("a")]
    assert links == [f"{base}/{s.position}" for s in consultation.sections]
    assert 'the "About you" page, the check your answers page' in page.get_text()
    wording = page.find(id="individual-wording").get_text()
    assert "Should buses be franchised, in your view?" in wording
    section = soup(client.get(f"{base}/{consultation.sections[0].position}"))
    assert section.find("a", string="What preview shows")["href"] == f"{base}/0"
