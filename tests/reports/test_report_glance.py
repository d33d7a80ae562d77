"""What a reader of only the headline tables sees (smoke walk 5 December 2026, F4, F5, F9,
F17, F18): each theme's stance and warnings in the "Themes, largest first" table on the page,
in Word and on the overview; a warning and every answer when there are too few answers to
theme; the table re-sorted by size after review edits; "1 theme", never "1 themes"; the
review pages (rename with Cancel and the theme's words, one theme's history named, codebook
examples one sentence long, a warning before applying the model to too few codes); and
screen-reader text cut at a word with its brackets closed."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from analysis.report import theme_flags
from consult.extensions import db
from consult.reports import coding, documents
from consult.reports.models import RunTheme
from consult.reports.wording import FEW_ANSWERS, stance_glance, stance_lean
from consult.templating import clip_words
from tests.helpers import make_consultation, soup
from tests.reports.stored_runs import store_synthetic_run
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def why_question(consultation):
    return next(q for q in consultation.questions if q.explains is not None)


def idea_question(consultation):
    return next(q for q in consultation.questions if q.kind == "short_text")


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def themes_of(run) -> list[RunTheme]:
    return list(
        db.session.scalars(
            select(RunTheme).where(RunTheme.run_id == run.id).order_by(RunTheme.position)
        )
    )


def glance_table(page):
    return next(
        table
        for table in page.select("table")
        if "Themes, largest first" in table.caption.get_text()
    )


def headers_of(table) -> list[str]:
    return [words(th) for th in table.select("thead th")]


def docx_glance(data: bytes) -> list[list[str]]:
    """The Word report's at-a-glance table (the first whose header starts 'Theme', 'Main
    theme of'), as rows of cell texts."""
    for table in Document(io.BytesIO(data)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][:2] == ["Theme", "Main theme of"]:
            return rows
    raise AssertionError("no at-a-glance table")


def test_stance_and_flags_in_words():
    assert stance_lean({"for": 0, "against": 55, "mixed": 2, "unclear": 1}) == "mostly against"
    assert stance_lean({"for": 30, "against": 25}) == "divided"
    assert stance_lean({"for": 0, "against": 0}) == ""
    assert (
        stance_glance({"for": 0, "against": 55, "mixed": 2, "unclear": 1}, True)
        == "Mostly against: for 0, against 55, neither 2, unclear 1"
    )
    assert stance_glance({"for": 3}, False) == ""  # not measured: said once, not per row
    # One side with every counted answer is "all", not "mostly" (finding 16).
    assert stance_glance({"for": 53, "against": 0, "mixed": 0, "unclear": 0}, True) == (
        "All for (53)"
    )
    assert stance_glance({"for": 0, "against": 35, "mixed": 0}, True) == "All against (35)"
    assert stance_glance({"for": 0, "against": 0}, True) == "for 0, against 0"
    assert theme_flags(0.41, 101, 32) == ["unstable grouping", "label made by fewer than half"]
    assert theme_flags(0.9, 101, 60) == [] and theme_flags(None, 10, None) == []


def test_headline_table_shows_stance_and_flags_on_page_word_and_overview(app):
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=80)
    first, second = themes_of(run)[:2]
    first.stance = {"for": 0, "against": 55, "mixed": 2, "unclear": 0}
    second.stability, second.label_point = 0.41, 1  # unstable, label made by few
    second.stance = {"for": 12, "against": 0, "mixed": 0, "unclear": 0}  # every one for
    db.session.commit()
    client = signed_in(app, "analyst")

    table = glance_table(soup(client.get(f"/staff/reports/runs/{run.id}")))
    headers = headers_of(table)
    assert headers[-2:] == ["Stance of the answers mentioning it", "Check before quoting"]
    rows = {words(tr.th).split(":")[0]: tr for tr in table.select("tbody tr")}
    cells = [words(td) for td in rows[first.key].select("td")]
    assert cells[-2] == "Mostly against: for 0, against 55, neither 2, unclear 0"
    # A fast run: "Nothing flagged" would read as checked (smoke16 #3).
    assert cells[-1] == "Label not checked (fast engine)"
    assert words(rows[second.key].select("td")[-2]) == "All for (12)"
    flags = words(rows[second.key].select("td")[-1])
    assert flags == "Unstable grouping; label made by fewer than half"
    assert all(len(tr.select("td")) == len(headers) - 1 for tr in table.select("tbody tr"))

    word = docx_glance(documents.run_docx(run))
    assert word[0][-2:] == ["Stance of the answers mentioning it", "Check before quoting"]
    by_key = {row[0].split()[0]: row for row in word[1:]}
    assert by_key[first.key][-2].startswith("Mostly against: for 0, against 55")
    assert by_key[second.key][-1] == "Unstable grouping; label made by fewer than half"
    assert by_key[second.key][-2] == "All for (12)"

    overview = soup(client.get(f"/staff/reports/consultations/{consultation.id}"))
    table = overview.select("table")[0]
    # The check beside the theme's label (smoke17 #1); the stance last.
    assert headers_of(table)[:2] == ["Theme", "Check before quoting"]
    assert headers_of(table)[-1] == "Stance of the answers mentioning it"
    assert "Mostly against: for 0, against 55" in words(table)
    assert "All for (12)" in words(table)


def test_no_stance_column_when_stance_was_not_measured(app):
    consultation = make_consultation()
    run = store_synthetic_run(consultation, idea_question(consultation), responses=40, themes=3)
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    assert page.find(id="stance-not-measured") is not None  # said once, above
    headers = headers_of(glance_table(page))
    assert headers[-1] == "Check before quoting" and not any("Stance" in h for h in headers)
    assert not any("Stance" in h for h in docx_glance(documents.run_docx(run))[0])


def test_too_few_answers_warns_and_lists_them(app):
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=12, themes=2)
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{run.id}"))
    warning = words(page.find(id="too-few-answers"))
    assert "Only 12 answers: too few to find themes reliably" in warning
    assert f"fewer than {FEW_ANSWERS}" in warning
    listed = page.find(id="every-answer").find_parent("section").select("blockquote")
    assert len(listed) == 12
    text = " ".join(p.text for p in Document(io.BytesIO(documents.run_docx(run))).paragraphs)
    assert "Warning: Only 12 answers: too few to find themes reliably" in text
    # Enough answers: no warning.
    enough = store_synthetic_run(
        consultation, idea_question(consultation), responses=FEW_ANSWERS + 5, themes=3
    )
    assert soup(client.get(f"/staff/reports/runs/{enough.id}")).find(id="too-few-answers") is None


def test_one_theme_is_one_theme(app):
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=40, themes=3)
    for theme in themes_of(run)[1:]:
        theme.hidden = True
    db.session.commit()
    client = signed_in(app, "analyst")
    counts = words(soup(client.get(f"/staff/reports/runs/{run.id}")).find(id="answered-counts"))
    assert " 1 theme" in counts and "1 themes" not in counts


def test_largest_first_after_review_edits(app):
    """A merge or split changes sizes, not positions: the table, Word and the codebook
    order follow the sizes now."""
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=80)
    themes = themes_of(run)
    themes[-1].size = themes[0].size + 10  # as if a merge had made the last one largest
    db.session.commit()
    expected = sorted(themes, key=lambda t: (-t.size, t.position))
    client = signed_in(app, "analyst")
    table = glance_table(soup(client.get(f"/staff/reports/runs/{run.id}")))
    shown = [words(tr.th).split(":")[0] for tr in table.select("tbody tr")][: len(themes)]
    assert shown == [t.key for t in expected] and shown[0] == themes[-1].key
    sizes = [int(words(tr.select("td")[0])) for tr in table.select("tbody tr")[: len(themes)]]
    assert sizes == sorted(sizes, reverse=True)
    word = [row[0].split()[0] for row in docx_glance(documents.run_docx(run))[1:]]
    assert word == [t.key for t in expected]


def test_rename_page_has_cancel_and_the_themes_words(app):
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=40, themes=3)
    theme = themes_of(run)[0]
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{run.id}/themes/{theme.key}/rename"))
    cancel = next(a for a in page.select("form a") if a.get_text().startswith("Cancel"))
    assert cancel["href"].startswith(f"/staff/reports/runs/{run.id}")
    quotes = [words(q.p) for q in page.find(id="theme-quotes").select("blockquote")]
    assert quotes and quotes[0] == " ".join(theme.quotes[0]["text"].split())
    assert page.find(id="theme-points") is not None


def test_one_themes_history_is_named_after_it(app):
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=40, themes=3)
    theme = themes_of(run)[0]
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/runs/{run.id}/history?key={theme.key}"))
    assert words(page.h1) == f"History of {theme.key}: {theme.label}"
    everything = soup(client.get(f"/staff/reports/runs/{run.id}/history"))
    assert words(everything.h1) == "Every edit of this run"


def test_codebook_examples_are_the_sentences_that_make_the_point():
    class Theme:
        label = "Bus reliability"
        summary = [
            {"id": "WM-1", "text": "Buses are late every morning."},
            {"id": "", "text": "This theme makes one point only.", "only_point": True},
        ]
        quotes = [
            {
                "id": "WM-2",
                "text": "Trade missions help us. Customs paperwork is slow. "
                "Bus reliability is the real problem for our staff.",
            },
            {"id": "WM-3", "text": "Buses are late every morning."},  # said already
        ]

    assert coding.theme_examples(Theme()) == [
        ("WM-1", "Buses are late every morning."),
        ("WM-2", "Bus reliability is the real problem for our staff."),
    ]


def test_applying_the_model_to_few_codes_warns_but_is_allowed(app):
    consultation = make_consultation()
    run = store_synthetic_run(consultation, why_question(consultation), responses=40, themes=3)
    client = signed_in(app, "analyst")
    url = f"/staff/reports/questions/{run.question_id}/coding"
    assert (
        post(
            client, f"/staff/reports/runs/{run.id}/codebook", {"confirmed": "yes"}, page_url=url
        ).status_code
        == 302
    )
    page = soup(client.get(url))
    warning = words(page.find(id="apply-too-soon"))
    assert "People have coded 0 responses" in warning
    # with nothing coded the number is said once: "Code 20 before you rely on it" (smoke27)
    assert f"Code {coding.F1_MIN_CODED} before you rely on it" in warning
    assert "You can still apply it" in warning
    button = next(b for b in page.select("button") if "Apply the model" in b.get_text())
    assert button.get("aria-describedby") == "apply-too-soon" and not button.has_attr("disabled")
    assert coding.apply_warning(coding.F1_MIN_CODED, None) == ""
    assert "Code 12 more" in coding.apply_warning(8, None)


def test_screen_reader_text_is_cut_at_a_word_with_brackets_closed(app):
    long = (
        "Q2: Why do you say that? (about Q1: How far do you agree that bus franchising is "
        "the right way forward?)"
    )
    clipped = clip_words(long)
    assert (
        clipped == "Q2: Why do you say that? (about Q1: How far do you agree that bus franchising…)"
    )
    assert clip_words("Short (one)") == "Short (one)"
    consultation = make_consultation()
    why = why_question(consultation)
    why.explains.text = long.split("Q1: ", 1)[1].rstrip(")")
    db.session.commit()
    client = signed_in(app, "analyst")
    page = soup(client.get(f"/staff/reports/consultations/{consultation.id}"))
    for hidden in page.select(".govuk-visually-hidden"):
        text = hidden.get_text()
        assert text.count("(") == text.count(")"), text
    link = next(a for a in page.select("a") if "franchising" in a.get_text())
    assert words(link).endswith("…))")
