"""Making a codebook from a run whose themes are not reviewed, or whose label fewer than half
of a theme's answers make, asks first (smoke walk 7, finding 19): a page with a GOV.UK warning
lists those themes; only its confirm button makes the codebook."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.reports import coding
from consult.reports.coding_models import Codebook
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def run(app):
    consultation, question = make_question()
    add_answers(consultation, question, 40)
    return stored_run(consultation, question, n_themes=4)


def _codebook(question_id: int):
    db.session.expire_all()
    return db.session.scalar(select(Codebook).where(Codebook.question_id == question_id))


def test_unreviewed_themes_are_listed_and_confirmed_first(run, app):
    client = signed_in(app, "analyst", "confirm@example.gov.uk")
    url = f"/staff/reports/questions/{run.question_id}/coding"
    asked = post(client, f"/staff/reports/runs/{run.id}/codebook", page_url=url)
    # POST-redirect-GET: the check is a page of its own, so reload and back work (smoke10
    # finding 19: a POST-only address gave 405 on reload)
    assert asked.status_code == 303
    check = f"/staff/reports/runs/{run.id}/codebook/check"
    assert asked.headers["Location"].endswith(check)
    shown = client.get(check)
    assert shown.status_code == 200
    again = client.get(check)  # reload
    assert again.status_code == 200
    assert soup(again).main.get_text() == soup(shown).main.get_text()
    page = soup(shown)
    assert _codebook(run.question_id) is None  # nothing made yet
    warning = page.find(id="codebook-flagged-warning").get_text(" ", strip=True)
    assert "4 of the run's 4 themes need a look first" in warning
    items = [li.get_text(" ", strip=True) for li in page.find(id="codebook-flagged").find_all("li")]
    assert items == [f"{t.key}: {t.label} (not marked reviewed)" for t in run.visible_themes]
    form = page.find("form", action=f"/staff/reports/runs/{run.id}/codebook")
    assert form.find("input", attrs={"name": "confirmed"})["value"] == "yes"
    done = post(
        client, f"/staff/reports/runs/{run.id}/codebook", {"confirmed": "yes"}, page_url=url
    )
    assert done.status_code == 302
    assert len(_codebook(run.question_id).themes) == 4


def test_a_label_most_answers_do_not_make_is_listed(run, app):
    for theme in run.visible_themes:
        theme.reviewed_at = coding.utcnow()
    flagged = run.visible_themes[1]
    flagged.mentions, flagged.label_point = 36, 6
    db.session.commit()
    assert [(f.key, f.reasons) for f in coding.codebook_flags(run)] == [
        (
            flagged.key,
            [
                "label made by fewer than half: about 6 of the 36 answers mentioning it make "
                "the label's point"
            ],
        )
    ]
    client = signed_in(app, "analyst", "confirm2@example.gov.uk")
    url = f"/staff/reports/questions/{run.question_id}/coding"
    asked = post(client, f"/staff/reports/runs/{run.id}/codebook", page_url=url)
    page = soup(client.get(asked.headers["Location"]))
    assert "1 of the run's 4 themes needs a look first" in page.find(
        id="codebook-flagged-warning"
    ).get_text(" ", strip=True)


def test_reviewed_themes_make_the_codebook_at_once(run, app):
    for theme in run.visible_themes:
        theme.reviewed_at = coding.utcnow()
        theme.label_point = theme.mentions  # every answer makes the label's point
    db.session.commit()
    assert coding.codebook_flags(run) == []
    client = signed_in(app, "analyst", "confirm3@example.gov.uk")
    url = f"/staff/reports/questions/{run.question_id}/coding"
    assert post(client, f"/staff/reports/runs/{run.id}/codebook", page_url=url).status_code == 302
    assert _codebook(run.question_id) is not None


def test_the_check_page_after_every_theme_is_reviewed_offers_a_plain_button(run, app):
    """Reloading the check page once every theme is reviewed: no warning, a plain button."""
    for theme in run.visible_themes:
        theme.reviewed_at = coding.utcnow()
        theme.label_point = theme.mentions
    db.session.commit()
    client = signed_in(app, "analyst", "confirm4@example.gov.uk")
    page = soup(client.get(f"/staff/reports/runs/{run.id}/codebook/check"))
    assert page.find(id="codebook-flagged-warning") is None
    assert page.find(id="codebook-none-flagged") is not None
    assert (
        page.find(id="confirm-codebook").get_text(strip=True) == "Use these themes as the codebook"
    )


def test_an_unstable_grouping_is_listed_with_why(run, app):
    """rev16: a theme the report tags "unstable grouping" is named before it becomes a code,
    with one plain explanation; a stability shown 0.50 is not unstable, a figure of the
    earlier measure is not judged, and a run of too few answers judges none, as the report."""
    from analysis.report import UNSTABLE_TAG

    for theme in run.visible_themes:
        theme.reviewed_at = coding.utcnow()
        theme.label_point = theme.mentions
        theme.stability = 0.9
    unstable, borderline = run.visible_themes[0], run.visible_themes[2]
    unstable.stability, borderline.stability = 0.31, 0.4951  # the latter is shown 0.50
    db.session.commit()
    assert [(f.key, f.reasons) for f in coding.codebook_flags(run)] == [
        (unstable.key, [coding.UNSTABLE_CODE_REASON])
    ]
    assert coding.UNSTABLE_CODE_REASON.startswith(f"{UNSTABLE_TAG}: another analysis")
    # one plain sentence of at most 25 words (it was 36; left18), as bench/readability counts
    from bench.readability import scores

    assert scores(coding.UNSTABLE_CODE_REASON)["words"] <= 25
    client = signed_in(app, "analyst", "confirm5@example.gov.uk")
    page = soup(client.get(f"/staff/reports/runs/{run.id}/codebook/check"))
    items = [li.get_text(" ", strip=True) for li in page.find(id="codebook-flagged").find_all("li")]
    assert items == [f"{unstable.key}: {unstable.label} ({coding.UNSTABLE_CODE_REASON})"]
    assert "1 of the run's 4 themes needs a look first" in page.find(
        id="codebook-flagged-warning"
    ).get_text(" ", strip=True)

    run.summary = {k: v for k, v in (run.summary or {}).items() if k != "stability_measure"}
    db.session.commit()  # a run stored before today's measure: its figures are not judged
    assert coding.codebook_flags(run) == []
    run.summary = dict(run.summary) | {"stability_measured_now": [unstable.key]}
    db.session.commit()  # ... unless this theme was measured again the current way (a split)
    assert [f.key for f in coding.codebook_flags(run)] == [unstable.key]
    run.input_count = 12
    db.session.commit()  # too few answers to theme: nothing about its themes is judged
    assert coding.codebook_flags(run) == []
