"""A stance kept as the coding form fills it in from the respondent's own agreement answer is
recorded with the source ``agreement``, not ``human`` (smoke walk 7, finding 21): only a stance
the coder changes it to is ``human``."""

from __future__ import annotations

import csv
import io

import pytest

from consult.extensions import db
from consult.models import Answer
from consult.reports import coded, coding
from consult.reports.coding_models import HumanCode
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
from tests.reports.test_coding_pages import make_codebook, overview_url
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_the_rule():
    assert coding.stance_source("against", "against") == "agreement"
    assert coding.stance_source("for", "against") == "human"
    assert coding.stance_source("for", None) == "human"
    assert coding.stance_source(None, "for") is None


def test_a_kept_stance_is_the_respondents_and_a_changed_one_the_coders(app):
    consultation, question = make_question()
    add_answers(consultation, question, 30)
    run = stored_run(consultation, question, n_themes=4)
    analyst = signed_in(app, "analyst", "stance.source@example.gov.uk")
    codebook = make_codebook(analyst, run)
    ids = answers_of(question)["ids"]
    for response_id in ids[:2]:
        db.session.add(
            Answer(response_id=response_id, question_id=question.explains_id, value="disagree")
        )
    db.session.commit()
    key = codebook.themes[0].key
    for response_id, stance in ((ids[0], None), (ids[1], "for")):
        url = f"{overview_url(question.id)}/{response_id}"
        form = soup(analyst.get(url))
        kept = form.find("input", {"name": "stance", "checked": True})["value"]
        assert kept == "against"  # filled in from the respondent's "disagree"
        done = post(analyst, url, {"themes": key, "stance": stance or kept})
        assert done.status_code == 302, done.get_data(as_text=True)[:500]
    db.session.expire_all()
    stored = {
        c.response_id: (c.stance, c.stance_source)
        for c in db.session.scalars(db.select(HumanCode).where(HumanCode.response_id.in_(ids[:2])))
    }
    assert stored == {ids[0]: ("against", "agreement"), ids[1]: ("for", "human")}
    # the coding download and the response codes say so
    body = analyst.get(f"{overview_url(question.id)}/download.csv")
    rows = list(csv.DictReader(io.StringIO(body.get_data(as_text=True).lstrip("\ufeff"))))
    by_source = {r["stance_source"] for r in rows if r["source"] == "human"}
    assert by_source == {"agreement", "human"}
    codes = coded.response_codes([codebook.id], ids[:2])
    assert codes[(codebook.id, ids[0])].stance_source == "agreement"
    assert codes[(codebook.id, ids[0])].source == "human"  # the themes are still a person's
    assert codes[(codebook.id, ids[1])].stance_source == "human"
