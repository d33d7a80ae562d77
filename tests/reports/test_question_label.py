"""One helper names a question "Q{n}" (``pages.question_label``): the reports' titles and
the coding pages' short label are built from it, never apart (left26 #3)."""

from __future__ import annotations

from consult.reports import coding_views, pages
from tests.reports.review_helpers import make_question


def test_the_title_and_the_coding_pages_label_share_one_helper(app):
    consultation, why = make_question("question-label")
    agreement = why.explains
    number = consultation.questions.index(why) + 1
    assert pages.question_label(why) == f"Q{number}"
    title = pages.question_title(why)
    assert title.startswith(f"{pages.question_label(why)}: {why.text}")
    if agreement is not None and agreement.kind == "agreement":
        assert title.endswith(f" (about {pages.question_label(agreement)}: {agreement.text})")
    with app.test_request_context():
        extra = coding_views.page_names(why)
    assert extra == {"title_text": title, "question_label": f"Q{number}"}
