"""The consultation's Word report opens with "What partners said" (issue 12, smoke11 #8): per
question its wording, which run and when, how many answered and its most-mentioned themes with
count, share and stance; a question with no run says so. Read back from the .docx."""

from __future__ import annotations

import io

import pytest
from docx import Document

from consult.reports import documents, review
from consult.reports.pages import question_title
from consult.reports.partners_said import HEADING, MORE_THEMES, TOP_THEMES, top_themes
from consult.reports.runs import shown_stance, stance_measured
from consult.reports.wording import stance_glance
from consult.times import uk_time
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import make_user

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def opening(body: bytes) -> list[tuple[str, str]]:
    """(style, text) of the paragraphs from the "What partners said" heading to the next
    heading of its level."""
    paragraphs = [(p.style.name, p.text) for p in Document(io.BytesIO(body)).paragraphs]
    start = paragraphs.index(("Heading 1", HEADING))
    end = next(i for i in range(start + 1, len(paragraphs)) if paragraphs[i][0] == "Heading 1")
    return paragraphs[start + 1 : end]


def test_the_report_opens_with_what_partners_said(app):
    consultation, why = make_question()
    add_answers(consultation, why, 40)
    run = stored_run(consultation, why, n_themes=6)
    review.mark_reviewed(run, run.visible_themes[0].key, make_user("analyst"))
    idea = next(q for q in consultation.questions if q.text == "One idea")

    body = documents.consultation_docx(consultation)
    headings = [
        p.text for p in Document(io.BytesIO(body)).paragraphs if p.style.name == "Heading 1"
    ]
    assert headings[:2] == [HEADING, question_title(why)]  # before any question's tables
    section = opening(body)
    texts = [text for _, text in section]
    answered, submitted, _ = documents.answer_counts(run)
    i = texts.index(question_title(why))
    assert texts[i + 1] == (
        f"From run {run.id} (edited in review), finished {uk_time(run.finished_at)} (UK time). "
        f"Answered by {answered:,} of {submitted:,} submitted responses."
    )
    themes = documents.visible_themes(run)
    listed = top_themes(themes, answered)
    assert TOP_THEMES <= len(listed) <= MORE_THEMES
    assert [t.mentions for t in listed] == sorted((t.mentions for t in listed), reverse=True)
    bullets = [text for style, text in section if style == "List Bullet"]
    assert len(bullets) == len(listed)
    for theme, line in zip(listed, bullets, strict=True):
        share = f"{100 * theme.mentions / answered:.0f}%"
        assert line.startswith(
            f"{theme.label}: mentioned by {theme.mentions} of the {answered} answers ({share})."
        )
        # the "why" of an agreement question, its stance as shown (no "unclear 0" where the
        # agreement answer is required: smoke33)
        glance = stance_glance(shown_stance(theme), True)
        assert stance_measured(run) and f" {glance[:1].upper()}{glance[1:]}." in line
    left = len(themes) - len(listed)
    more = f"{left} more {'theme' if left == 1 else 'themes'} in its section below."
    assert texts[i + 2 + len(listed)] == (more if left else "Every theme is listed.")
    # the question without a run: one line
    j = texts.index(question_title(idea))
    assert texts[j + 1] == "Not analysed yet."


def test_it_names_a_newer_run_left_out(app):
    consultation, why = make_question("said-newer")
    add_answers(consultation, why, 40)
    first = stored_run(consultation, why, n_themes=4)
    review.mark_reviewed(first, first.visible_themes[0].key, make_user("analyst"))
    newer = stored_run(consultation, why, n_themes=4)
    texts = [text for _, text in opening(documents.consultation_docx(consultation))]
    assert any(
        text.startswith(
            f"From run {first.id} (edited in review; run {newer.id} is newer and not edited "
            "in review), finished"
        )
        for text in texts
    )


def test_a_consultation_with_no_run_has_no_summary(app):
    consultation, _ = make_question("said-none")
    texts = [
        p.text for p in Document(io.BytesIO(documents.consultation_docx(consultation))).paragraphs
    ]
    assert HEADING not in texts
    assert "No question of this consultation has been analysed yet." in texts
