"""A codebook made from a run keeps the run's keys as they were; once a reviewer edits the
run, the coding page, the run's "Coded against the codebook" section and the Word files say
so and follow the keys through the run's merges and splits, pairing by label only keys the
history does not know (smoke11 #4, smoke12). With nothing coded yet, the Word section is one
sentence, not a page of zeros."""

from __future__ import annotations

import io

import pytest
from docx import Document

from consult.extensions import db
from consult.reports import coded, coded_documents, coding, review
from consult.reports.codebook_drift import drift_words, short_label, source_run_id
from consult.times import uk_time
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import make_user, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def setup(app):
    consultation, question = make_question()
    add_answers(consultation, question, 24)
    run = stored_run(consultation, question, n_themes=3)
    codebook = coding.codebook_from_run(run, "first.analyst@example.gov.uk")
    return run, codebook, make_user("analyst")


def test_no_word_until_the_run_is_edited(setup):
    run, codebook, user = setup
    assert source_run_id(codebook) == run.id
    assert drift_words(codebook) == ""
    review.mark_reviewed(run, run.visible_themes[0].key, user)  # keys and labels as they were
    assert drift_words(codebook) == ""


def test_an_edit_is_said_and_keys_paired_by_label(setup):
    run, codebook, user = setup
    themes = codebook.themes
    renamed, moved = themes[0], themes[1]
    review.rename_theme(run, renamed.key, "A label nobody used before", user)
    # as if the run had given the second theme a new key (a split or merge does)
    run_key = moved.key
    moved.key = "T99"
    db.session.commit()
    words = drift_words(codebook)
    made = uk_time(codebook.created_at, "date")
    assert words.startswith(
        f"This codebook was made from run {run.id} on {made}; the run has been edited since, "
        "so some of its themes differ from the run's now: "
    )
    # a key the run's history does not know is paired by label
    assert f"T99 here is run {run.id}'s {run_key} “" in words
    # a renamed theme keeps its key: said as renamed, not as a label gone
    assert (
        f"{renamed.key} “{short_label(renamed.name)}” is now named “A label nobody used before”"
        in words
    )
    assert "has no theme labelled" not in words
    assert themes[2].key not in words  # same key and label: nothing to say


def test_edited_but_keys_still_match(setup):
    run, codebook, user = setup
    key = codebook.themes[0].key
    label = codebook.themes[0].name
    review.rename_theme(run, key, "Something else", user)
    review.rename_theme(run, key, label, user)
    assert drift_words(codebook).endswith(
        "but each codebook theme's label is still under the same key there."
    )


def test_pages_and_word_say_it(setup, app):
    run, codebook, user = setup
    first = codebook.themes[0].key
    review.rename_theme(run, first, "A label nobody used before", user)
    coding.save_code(codebook, _first_answer(run), "a@x.gov.uk", [first], None)
    words = drift_words(codebook)
    viewer = signed_in(app, "analyst", "second.analyst@example.gov.uk")
    page = soup(viewer.get(f"/staff/reports/runs/{run.id}"))
    assert page.find(id="coded-drift").get_text(" ", strip=True) == words
    overview = soup(viewer.get(f"/staff/reports/questions/{run.question_id}/coding"))
    assert overview.find(id="codebook-drift").get_text(" ", strip=True) == words
    report = Document(io.BytesIO(viewer.get(f"/staff/reports/runs/{run.id}/report.docx").data))
    assert words in [p.text for p in report.paragraphs]
    download = viewer.get(f"/staff/reports/questions/{run.question_id}/coding/download.docx")
    assert words in [p.text for p in Document(io.BytesIO(download.data)).paragraphs]
    assert ["Codebook's run edited since", words] in coded_documents.figures(
        coded.coded_report(run.question)
    )


def _first_answer(run) -> int:
    from tests.reports.review_helpers import answers_of

    return answers_of(run.question)["ids"][0]


def test_nothing_coded_is_one_sentence_in_word(setup):
    run, codebook, _ = setup
    report = coded.coded_report(run.question)
    assert report.coded == 0
    document = Document()
    tables = []
    coded_documents.write_docx(document, report, lambda *a: tables.append(a), 1)
    said = [p.text for p in document.paragraphs]
    assert said == [
        "Coded against the codebook",
        f"None of the 24 answers is coded against the codebook's {len(codebook.themes)} themes "
        "yet, by people or by the model. Its counts will appear here once answers are coded.",
    ]
    assert tables == []


def test_one_code_brings_the_tables_back(setup):
    run, codebook, _ = setup
    coding.save_code(codebook, _first_answer(run), "a@x.gov.uk", [codebook.themes[0].key], None)
    report = coded.coded_report(run.question)
    document = Document()
    tables = []
    coded_documents.write_docx(document, report, lambda *a: tables.append(a), 1)
    assert tables and report.human == 1


def test_a_label_under_two_keys_names_both(setup):
    run, codebook, user = setup
    first, second = codebook.themes[0], codebook.themes[1]
    # two run themes, one label: a rename to another theme's name is refused now (smoke12),
    # but a run renamed before that can hold it
    review.rename_theme(run, second.key, "Renamed for now", user)
    theme = next(t for t in run.visible_themes if t.key == second.key)
    theme.label = first.name
    first_key = first.key
    first.key = "T98"
    db.session.commit()
    assert f"T98 here is run {run.id}'s {first_key} or {second.key} “" in drift_words(codebook)


# --- keys followed through the run's history (smoke12: pairing by label alone misled) -----------


def test_a_merge_is_followed_by_history(setup):
    run, codebook, user = setup
    kept, gone = codebook.themes[0], codebook.themes[1]
    review.merge_themes(run, [kept.key, gone.key], user, label="Both points together")
    words = drift_words(codebook)
    assert (
        f"{gone.key} “{short_label(gone.name)}” was merged into {kept.key} “Both points together”"
        in words
    )
    assert f"{kept.key} “{short_label(kept.name)}” is now named “Both points together”" in words
    assert codebook.themes[2].key not in words


def test_a_later_theme_given_an_old_name_is_not_taken_for_it(setup):
    run, codebook, user = setup
    first, second = codebook.themes[0], codebook.themes[1]
    review.rename_theme(run, first.key, "A new name for the first", user)
    review.rename_theme(run, second.key, first.name, user)  # the first's old name, now free
    words = drift_words(codebook)
    assert (
        f"{first.key} “{short_label(first.name)}” is now named “A new name for the first”" in words
    )
    assert (
        f"{second.key} “{short_label(second.name)}” is now named “{short_label(first.name)}”"
        in words
    )
    assert "here is run" not in words  # no pairing of the first with the second by label


def test_a_split_then_an_undo(setup):
    run, codebook, user = setup
    theme = max(run.visible_themes, key=lambda t: t.size or 0)
    made = review.split_theme(run, theme.key, 2, user)
    parts = [part.key for part in made]
    words = drift_words(codebook)
    assert f"{theme.key} “" in words and " was split into " in words
    assert all(f"{key} “" in words for key in parts)
    edit = max(run.edits, key=lambda e: e.id)
    review.undo(run, edit.id, user)
    assert drift_words(codebook).endswith(
        "but each codebook theme's label is still under the same key there."
    )


def test_merged_then_split_says_where_the_answers_are(setup):
    run, codebook, user = setup
    first, second = codebook.themes[0], codebook.themes[1]
    review.merge_themes(run, [first.key, second.key], user)
    made = review.split_theme(run, first.key, 2, user)
    words = drift_words(codebook)
    parts = " and ".join(f"{p.key} “{short_label(p.label)}”" for p in made)
    assert (
        f"the answers of {second.key} “{short_label(second.name)}” are now under {parts}" in words
    )
    assert f"{first.key} “{short_label(first.name)}” was split into {parts}" in words


# --- a later run of the question shown beside the codebook (rowsdates #3) ----------------------


def test_a_rerun_whose_themes_match_the_codebook_says_nothing(setup):
    run, codebook, _ = setup
    rerun = stored_run(run.consultation, run.question, n_themes=3, previous=run)
    assert rerun.id != run.id
    assert {(t.key, t.label) for t in rerun.visible_themes} == {
        (t.key, t.name) for t in codebook.themes
    }  # the same answers and seed: the same themes, keyed as before
    assert drift_words(codebook, rerun) == ""
    assert drift_words(codebook, run) == ""


def _rerun_that_differs(setup):
    """A rerun with one theme relabelled (its label now gone from the codebook's view) and a
    codebook theme whose key the rerun gives its label under another key."""
    run, codebook, user = setup
    rerun = stored_run(run.consultation, run.question, n_themes=3, previous=run)
    themes = codebook.themes
    relabelled, moved = themes[0], themes[1]
    review.rename_theme(rerun, relabelled.key, "A label only the rerun has", user)
    rerun_key = moved.key
    moved.key = "T98"  # as if the rerun had keyed this label anew
    db.session.commit()
    return run, rerun, codebook, relabelled, rerun_key


def test_a_rerun_whose_themes_differ_is_said_and_paired_by_label(setup):
    run, rerun, codebook, relabelled, rerun_key = _rerun_that_differs(setup)
    words = drift_words(codebook, rerun)
    made = uk_time(codebook.created_at, "date")
    assert words.startswith(
        f"This codebook was made from run {run.id} on {made}, not from this run (run "
        f"{rerun.id}), whose themes differ from it: "
    )
    assert f"T98 here is run {rerun.id}'s {rerun_key} “" in words
    assert f"Run {rerun.id} has no theme labelled as {relabelled.key} “" in words
    assert codebook.themes[2].key not in words and words.endswith(".")
    # Beside the run it was made from (not edited since): nothing said of the rerun's edit;
    # only the key the codebook itself changed.
    source = drift_words(codebook, run)
    assert "not from this run" not in source and "A label only the rerun has" not in source


def test_a_rerun_s_page_and_files_say_it(setup, app):
    run, rerun, codebook, _, _ = _rerun_that_differs(setup)
    coding.save_code(codebook, _first_answer(run), "a@x.gov.uk", [codebook.themes[2].key], None)
    words = drift_words(codebook, rerun)
    assert words
    viewer = signed_in(app, "analyst", "second.analyst@example.gov.uk")
    page = soup(viewer.get(f"/staff/reports/runs/{rerun.id}"))
    assert page.find(id="coded-drift").get_text(" ", strip=True) == words
    source_page = soup(viewer.get(f"/staff/reports/runs/{run.id}"))
    assert source_page.find(id="coded") is not None
    assert source_page.find(id="coded-drift") is None  # the source run was not edited
    report = Document(io.BytesIO(viewer.get(f"/staff/reports/runs/{rerun.id}/report.docx").data))
    assert words in [p.text for p in report.paragraphs]
    assert ["Codebook made from another run", words] in coded_documents.figures(
        coded.coded_report(rerun.question, rerun)
    )
    assert coded.coded_report(run.question, run).drift == ""
