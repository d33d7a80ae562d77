"""The answers' summary list (consult/summary_list.py) is written directly, without the
``govukSummaryList`` macro: it must be exactly what the macro draws from the same rows, and
form classes are kept only for published (read-only) sections."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from consult.extensions import db
from consult.models import Section
from consult.published import published_consultation
from consult.summary_list import summary_list
from consult.survey.forms import section_form
from consult.survey.review import Row
from tests.helpers import make_consultation

MACRO = (
    '{% from "govuk_frontend_jinja/components/summary-list/macro.html" import govukSummaryList %}'
    "{% set items = [] %}{% for row in rows %}"
    '{% set item = {"key": {"text": row.key}, "value": {"html": row.value|answer_html}} %}'
    '{% if url %}{% set _ = item.update({"actions": {"items": [{"href": url ~ "#" ~ row.field_id,'
    ' "text": "Change", "visuallyHiddenText": row.change_text or row.key}]}}) %}{% endif %}'
    "{% set _ = items.append(item) %}{% endfor %}"
    '{{ govukSummaryList({"rows": items}) }}'
)

ROWS = [
    [
        Row("Organisation", "Acme & <Co>", "organisation_name"),
        Row("Why?", "line one\nline two\n  indented", "q1"),
        Row("Empty", "Not answered", "q2"),
        Row("Why?", "", "q7", change_text="Why? (about ‘<Buses> & trams’)"),
    ],
    [
        Row("", "", "q3"),
        Row("Key\nwith a line break", " spaced  \n", "q4"),
        Row("A\u2028B", "x\u2028y\u2029z\x85w", "q5"),
        Row('<b>k</b> "quoted"', "\r\nv\r", 'q"6'),
    ],
    [],
]


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("url", [None, "/c/x/section/1?return=check&a=<b>"])
def test_the_summary_list_is_exactly_what_the_macro_draws(app, rows, url):
    with app.test_request_context():
        expected = app.jinja_env.from_string(MACRO).render(rows=rows, url=url)
        assert str(summary_list(rows, url)) == expected


@pytest.mark.parametrize("rows", ROWS)
def test_every_answer_reads_exactly_as_typed(app, rows):
    """Each answer's text in the list is the answer itself: line and paragraph separators
    (U+2028, U+2029, pasted from some editors) are line breaks the indenting splits at,
    and it put six spaces after each one (NEL, a control character, is shown as a line
    break)."""
    with app.test_request_context():
        shown = BeautifulSoup(str(summary_list(rows)), "html.parser")
    values = [span.get_text() for span in shown.select(".govuk-summary-list__value span")]
    assert values == [
        row.value.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n") for row in rows
    ]


def test_form_classes_are_kept_for_published_sections_only(app):
    make_consultation()
    with app.test_request_context():
        kept = published_consultation("transport-test").sections[0]
        assert type(section_form(kept, csrf=False)) is type(section_form(kept, csrf=False))
        # A section a staff page works on may change: its form is made afresh each time.
        editing = db.session.scalar(select(Section).order_by(Section.position))
        first = section_form(editing, csrf=False)
        editing.questions[0].text = "A changed question"
        second = section_form(editing, csrf=False)
        assert type(first) is not type(second)
        assert second[editing.questions[0].field_name].label.text == "A changed question"


def test_every_change_link_on_the_demo_check_page_says_something_different(app, client):
    """Three agreement statements each have a "Why do you say that?": a screen reader's
    list of links must tell their "Change" links apart."""
    from consult.demo import DEMO_SLUG, load_demo
    from tests.helpers import hidden_fields, soup

    load_demo(responses=0)
    db.session.commit()
    base = f"/c/{DEMO_SLUG}"
    start = client.get(base)
    assert client.post(base, data=hidden_fields(start)).status_code == 302
    page = soup(client.get(f"{base}/check"))
    links = page.select(".govuk-summary-list__actions a")
    said = [" ".join(link.get_text().split()) for link in links]
    assert len(said) > 10
    assert len(set(said)) == len(said), [s for s in said if said.count(s) > 1]
    assert (
        "Change Why do you say that? (about ‘The single funding settlement gives the region "
        "enough control over how money is spent’)"
    ) in said


def test_a_business_size_is_called_its_number_of_employees():
    """Check your answers said "Size" for "how many people do you employ?"; in the reports
    "Size" is a theme's size."""
    from consult.models import Response
    from consult.survey.review import organisation_rows

    response = Response(organisation_name="Acme", partner_type="business", size_band="micro")
    keys = [row.key for row in organisation_rows(response)]
    assert "Number of employees" in keys and "Size" not in keys
