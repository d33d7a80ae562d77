"""Report pages (routes on :data:`consult.reports.bp`, ``/staff/reports``): thin views over
:mod:`consult.reports.pages` (what each page shows) and ``runs.py`` (starting, retrying and
deleting runs) and ``documents.py`` (Word, Excel and CSV files)."""

from __future__ import annotations  # noqa: I001  (review_views is imported last, on purpose)


from flask import Response as HttpResponse
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from analysis.spread_points import ACROSS_HEADING, ACROSS_INTRO
from analysis.report import (
    CHECK_HEADING,
    NAMES_MASKED_ONLY,
    QUOTES_HEADING,
    SUMMARY_HEADING,
    p_words,
    point_headline,
    summary_point_words,
    whole_percent,
)
from analysis.segments import named_test

from .. import audit
from ..extensions import db
from ..filters import unknown_filters
from ..models import Consultation, Question, Response
from ..staff.flashes import flash_error
from ..staff.forms import EmptyForm
from ..staff.paging import misplaced, page_number
from ..staff.kept_forms import first_showing
from ..staff.permissions import expired_token, requires
from ..templating import form_errors
from . import bp, coded, documents, pages, review, runs
from .alike import AlikeHint, hints_for
from .coding_forms import stance_labels, stance_legend, stance_set_words
from .label_check import unchecked_sentence
from .theme_numbers import numbering_note
from .models import AnalysisRun, RunTheme
from .recount_later import STILL_UPDATING, waiting_themes, waiting_words
from .run_form import RunForm, repeat, settings
from .codebook_drift import source_words
from .wording import (
    CODED_IS_A_DIFFERENT_COUNT,
    MOVED_KEEPS_MENTION,
    SEED_EFFECT,
    UNSTABLE_ADVICE,
    label_point_words,
    too_few_answers,
    run_time,
    stance_label,
    started_by_words,
)

# A form open too long keeps what was typed, as on the other staff pages.
bp.register_error_handler(CSRFError, expired_token)

DOWNLOADS = {
    "docx": (
        "run_docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    "xlsx": (
        "run_xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
    ),
    "csv": ("run_coding_csv", "text/csv; charset=utf-8", "CSV"),
}


@bp.app_template_filter("stance_word")
def stance_word(name: str) -> str:
    """A stored stance as every report shows it: 'mixed' is 'Neither', 'for' is 'For'."""
    return stance_label(name)


@bp.app_template_global("named_test")
def segment_test_name(test: str) -> str:
    """A segment test's name in words ("fisher" is "Fisher's exact test")."""
    return named_test(test)


@bp.app_context_processor
def summary_heading() -> dict[str, str]:
    """The headings of a theme's summary and quotes and of the at-a-glance warnings column,
    and what masking covers, the same on the page, in Word and in the CLI's report
    (:data:`analysis.report.SUMMARY_HEADING`, ``QUOTES_HEADING``, ``CHECK_HEADING``,
    ``NAMES_MASKED_ONLY``)."""
    return {
        "summary_heading": SUMMARY_HEADING,
        "quotes_heading": QUOTES_HEADING,
        "check_heading": CHECK_HEADING,
        "names_masked_only": NAMES_MASKED_ONLY,
    }


bp.add_app_template_filter(run_time, "run_time")


@bp.app_template_filter("started_by")
def started_by(stored: str | None) -> str:
    """Who started a run, in words (:func:`consult.reports.wording.started_by_words`)."""
    return started_by_words(stored)


@bp.app_template_global("alike_hints")
def alike_hints(run: AnalysisRun, theme: RunTheme) -> list[AlikeHint]:
    """The shown themes that look like ``theme`` (:func:`consult.reports.alike.hints_for`)."""
    return hints_for(run, theme)


bp.add_app_template_global(waiting_words, "waiting_words")  # "Describing the merged theme…"
# "Q2: Why do you say that? (about Q1: ...)": a demo has three questions "Why do you say that?"
bp.add_app_template_global(pages.question_title, "question_title")


@bp.app_template_global("label_point_words")
def label_point_sentence(
    mentions: int | None,
    label_point: int | None,
    where: str = "",
    summary: list[dict] | None = None,
    total: int | None = None,
    mixed: bool = False,
) -> str:
    """How many of a theme's mentions make its label's own point, in words ('' if unknown,
    or in a run of ``total`` answers, too few to count: :func:`too_few_answers`), naming a
    clearly commoner point of its ``summary`` when there is one; ``where`` says where the list
    of other points is when not on the same page; ``mixed``: the theme is flagged mixed
    (:func:`consult.reports.runs.theme_mixed`). The Size line it ends opens with the
    theme's :func:`point_headline` when there is one: its counts are not said twice."""
    answered = int(total or 0)
    few = too_few_answers(answered)
    headline = bool(point_headline(mentions, label_point, answered, few))
    return label_point_words(mentions, label_point, where, summary, few, mixed, headline)


# Whether a theme is flagged mixed, for its Size line (smoke26r finding 2)
bp.add_app_template_global(runs.theme_mixed, "theme_mixed")


@bp.app_template_global("point_headline")
def point_headline_words(mentions: int | None, label_point: int | None, total: int | None) -> str:
    """ "About 20 (10%) make this point; 78 answers in this group" beside a label fewer than
    half of its theme's mentions make (:func:`analysis.report.point_headline`, the share of
    the run's ``total`` answers); '' otherwise, or in a run too small to count."""
    answered = int(total or 0)
    return point_headline(mentions, label_point, answered, too_few_answers(answered))


# "Label not checked (fast engine): ..." where the label's count would stand (smoke16 #3)
bp.add_app_template_global(unchecked_sentence, "label_unchecked_words")
# "run 2, deleted" for a codebook made from a run since deleted (smoke17 #7)
bp.add_app_template_global(source_words, "codebook_source")
# "Theme numbers follow run 1: ..." under the themes table (smoke16 #5)
bp.add_app_template_global(numbering_note, "theme_numbers_note")
# The coding forms' stance worded from the agreement question (smoke16 #12)
bp.add_app_template_global(stance_labels, "stance_labels")
bp.add_app_template_global(stance_legend, "stance_legend")
bp.add_app_template_global(stance_set_words, "stance_set_words")
bp.add_app_template_global(p_words, "p_words")  # "p < 0.001", never "p = 0", as every report


@bp.app_template_global("summary_point_words")
def summary_point_sentence(answers: int | None, mentions: int | None) -> str:
    """How many of a theme's answers make a summary point, in words ('' if not counted)."""
    return summary_point_words(answers, mentions)


# What "significant" means and how it is worked out, the same on the report and theme pages
# (``_macros.significance_note``, an imported macro: globals, not context) as in Word.
for _name, _words in {
    "significance_words": documents.SIGNIFICANCE_NOTE,
    "distinctive_words": documents.DISTINCTIVE_NOTE,
    "significance_method_title": documents.SIGNIFICANCE_METHOD_TITLE,
    "significance_method_words": documents.SIGNIFICANCE_METHOD_TEXT,
    "stance_not_measured_words": documents.STANCE_NOT_MEASURED.removeprefix("not measured: "),
    "agreement_intro": documents.AGREEMENT_INTRO,
    "newest_run_note": documents.NEWEST_RUN_NOTE,
    "seed_effect": SEED_EFFECT,  # on the report's terms and the start form (smoke17 #2)
    "unstable_advice": UNSTABLE_ADVICE,
    "moved_keeps_mention": MOVED_KEEPS_MENTION,  # the move and create pages (smoke17 #5)
    "across_heading": ACROSS_HEADING,  # points raised across themes (spread26)
    "across_intro": ACROSS_INTRO,
}.items():
    bp.add_app_template_global(_words, _name)


@bp.app_context_processor
def coded_words() -> dict[str, str]:
    """The sentence that tells the codebook coding's counts from the run's themes."""
    return {"coded_is_a_different_count": CODED_IS_A_DIFFERENT_COUNT}


@bp.app_template_filter("percent")
def percent(value: float | None) -> str:
    """0.237 -> '24%' (0.004 -> '0.4%': :func:`analysis.report.whole_percent`)."""
    return whole_percent(value)


def _run_or_404(run_id: int) -> AnalysisRun:
    return db.get_or_404(AnalysisRun, run_id)


def _downloads(run: AnalysisRun) -> list[tuple[str, str]]:
    """(format, label) of the files this run can be downloaded as."""
    return [
        (fmt, label)
        for fmt, (function, _, label) in DOWNLOADS.items()
        if run.status == "succeeded" and hasattr(documents, function)
    ]


@bp.get("/consultations/<int:consultation_id>")
@requires("reports")
def overview(consultation_id: int):
    """Every free-text question's latest run: top themes and figures by partner type."""
    consultation = db.get_or_404(Consultation, consultation_id)
    return render_template(
        "reports/overview.html",
        consultation=consultation,
        questions=pages.overview(consultation),
    )


@bp.route("/consultations/<int:consultation_id>/new", methods=["GET", "POST"])
@requires("analyse")
def new_run(consultation_id: int):
    """Start an analysis: question, engine, number of themes, seed and segments."""
    consultation = db.get_or_404(Consultation, consultation_id)
    questions = pages.analysable_questions(consultation)
    form = RunForm()
    form.offer(questions)
    if first_showing():
        chosen = request.args.get("question", "")
        if chosen in {str(q.id) for q in questions}:
            form.question.data = chosen
        elif len(questions) == 1:
            form.question.data = str(questions[0].id)
        _repeat_run(form, consultation, request.args.get("again", ""))
    errors: list = []
    if request.method == "POST" and form.validate():
        question = db.session.get(Question, int(form.question.data))
        try:
            under_way = runs.same_run_under_way(question, settings(form))
            if under_way is not None:
                flash(
                    f"This analysis is already under way as run {under_way.id}, with the same "
                    "question and settings: another would give the same themes."
                )
                return redirect(url_for("reports.run", run_id=under_way.id))
            run = runs.start_run(consultation, question, settings(form), current_user)
        except ValueError as error:  # runs.RunError: plain words for the analyst
            db.session.rollback()
            errors.append(("question", str(error)))
        else:
            return redirect(url_for("reports.run", run_id=run.id))
    errors = form_errors(form) + errors
    chosen = next((q for q in questions if str(q.id) == str(form.question.data or "")), None)
    return render_template(
        "reports/new_run.html",
        consultation=consultation,
        # the page's title names the question when one is chosen (smoke17 #12, WCAG 2.4.2)
        title_text=pages.question_title(chosen) if chosen is not None else consultation.title,
        form=form,
        errors=errors,
        has_questions=bool(questions),
        worker=pages.worker_alive(),
    ), (400 if errors else 200)


def _repeat_run(form: RunForm, consultation: Consultation, again: str) -> None:
    """ "Run again" (``?again=<run id>``): the form filled with that run's own settings."""
    if not again.isdigit():
        return
    earlier = db.session.get(AnalysisRun, int(again))
    if earlier is None or earlier.consultation_id != consultation.id:
        return
    repeat(form, earlier.settings or {}, earlier.engine_used)
    if str(earlier.question_id) in {value for value, _ in form.question.choices}:
        form.question.data = str(earlier.question_id)


@bp.get("/questions/<int:question_id>/runs")
@requires("reports")
def question_runs(question_id: int):
    """Every run of one question, newest first, with delete."""
    question = db.get_or_404(Question, question_id)
    return render_template(
        "reports/runs.html",
        question=question,
        consultation=question.section.consultation,
        title_text=pages.question_title(question),
        runs=pages.runs_of(question),
        # a choice or agreement question cannot be analysed: say why, offer no analysis
        not_analysable=runs.not_free_text(question),
        side_margin_words=runs.side_margin_words,
    )


@bp.get("/runs/<int:run_id>")
@requires("reports")
def run(run_id: int):
    """The report of a finished run; its progress (or why it failed) until then."""
    item = _run_or_404(run_id)
    question = item.question
    common = {
        "run": item,
        "question": question,
        "consultation": item.consultation,
        "title_text": pages.question_title(question),
    }
    if item.status != "succeeded":
        return render_template(
            "reports/progress.html",
            progress=pages.progress(item, pages.worker_alive()),
            form=EmptyForm(),
            # A retry of a run with nothing to analyse can only fail again: say so instead.
            nothing_to_analyse=(
                runs.no_answers_message(question)
                if item.status == "failed" and not runs.has_answers(question)
                else ""
            ),
            **common,
        )
    return render_template(
        "reports/report.html",
        report=pages.report(item),
        coded=coded.coded_report(question, item),
        downloads=_downloads(item),
        campaigns_listed=pages.CAMPAIGNS_LISTED,
        **common,
    )


@bp.get("/runs/<int:run_id>/status")
@requires("reports")
def run_status(run_id: int):
    """The run's progress as JSON, polled by the progress page's script."""
    item = _run_or_404(run_id)
    body = pages.progress(item, pages.worker_alive()).as_json()
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/runs/<int:run_id>/retry")
@requires("analyse")
def retry(run_id: int):
    """Queue a failed run again."""
    item = _run_or_404(run_id)
    if not EmptyForm().validate():
        abort(400)
    try:
        runs.retry_run(item, current_user)
    except runs.AlreadyQueued as note:  # a second press: the same run's progress, told so
        db.session.rollback()
        flash(str(note))
    except ValueError as error:
        db.session.rollback()
        flash_error(str(error))
    else:
        flash("The analysis has been queued again.")
    return redirect(url_for("reports.run", run_id=run_id))


@bp.route("/runs/<int:run_id>/delete", methods=["GET", "POST"])
@requires("analyse")
def delete(run_id: int):
    """Ask, then delete a run with its themes, coding and review history."""
    item = _run_or_404(run_id)
    question_id = item.question_id
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        runs.delete_run(item, current_user)
        flash(f"Run {run_id} deleted.", "success")
        return redirect(url_for("reports.question_runs", question_id=question_id))
    return render_template(
        "reports/delete.html",
        run=item,
        question=item.question,
        consultation=item.consultation,
        title_text=pages.question_title(item.question),
        form=form,
        depends=runs.depends_on(item),
    )


@bp.get("/runs/<int:run_id>/themes/<key>")
@requires("reports")
def theme(run_id: int, key: str):
    """Explain a theme (defining words, most and least typical responses) and list every
    response in it, paged and searchable."""
    item = _run_or_404(run_id)
    if item.status != "succeeded":
        return redirect(url_for("reports.run", run_id=run_id))
    stored = pages.find_theme(item, key[:10])
    went = review.gone(item, stored) if stored is not None else None
    if went is not None:  # merged or split away: where it went, not its stale counts
        return render_template(
            "reports/theme_gone.html",
            gone=went,
            theme=stored,
            run=item,
            consultation=item.consultation,
            title_text=pages.question_title(item.question),
            labels=pages.theme_labels(item),
        )
    found = pages.theme_page(
        item,
        key[:10],
        query=request.args.get("q", "")[:200],
        page=page_number(request.args.get("page")),
        scope=request.args.get("scope", "main"),
    )
    if found is None:
        abort(404)
    unknown = unknown_filters(request.args, THEME_FILTERS)
    if misplaced(request.args.get("page"), found.page):  # past the last page, 0, abc
        scope = found.scope if found.scope != "main" else None
        return redirect(
            url_for(
                "reports.theme",
                run_id=run_id,
                key=found.key,
                q=found.query or None,
                scope=scope,
                page=found.page,
            )
        )
    return render_template(
        "reports/theme.html",
        page=found,
        run=item,
        question=item.question,
        consultation=item.consultation,
        title_text=pages.question_title(item.question),
        errors=unknown,
    ), (400 if unknown else 200)


# The theme page's choice of responses (its main theme's, or every mention): a value not
# known is said in an error summary, never taken silently as the main theme's (left27).
THEME_FILTERS = (("scope", "choice of responses", frozenset(("main", "any"))),)


@bp.get("/runs/<int:run_id>/report.<fmt>")
@requires("export", fresh=True)
def download(run_id: int, fmt: str):
    """The run's Word report, Excel workbook or CSV coding, as an attachment (audited)."""
    item = _run_or_404(run_id)
    if fmt not in DOWNLOADS:
        abort(404)
    function_name, mimetype, label = DOWNLOADS[fmt]
    make = getattr(documents, function_name)
    if item.status != "succeeded":
        flash_error(f"The {label} file cannot be made for this run.")
        return redirect(url_for("reports.run", run_id=run_id))
    # made while a review edit is still being counted: the name says so (leftweb); asked
    # before the file is made, so a worker finishing meanwhile errs towards saying so
    still = f"-{STILL_UPDATING}" if waiting_themes(item) else ""
    body = make(item)  # all bytes first: nothing streams after the request's session ends
    number = pages.question_number(item.question)
    filename = f"{item.consultation.slug}-q{number}-run{item.id}{still}.{fmt}"
    audit.record("report_exported", f"run {item.id}", format=fmt, bytes=len(body))
    db.session.commit()
    return attachment(body, mimetype, filename)


@bp.get("/consultations/<int:consultation_id>/report.docx")
@requires("export", fresh=True)
def consultation_download(consultation_id: int):
    """One Word report of every analysed question's latest run (audited); its name ends
    "-still-updating" while a review edit in any of those runs waits for the worker."""
    consultation = db.get_or_404(Consultation, consultation_id)
    # As a run's own download: a name ending "-still-updating" while any run in it waits
    # for a review edit's counting (its section carries the note), decided before the file
    # is made, so a worker finishing meanwhile errs towards saying so
    waiting = any(waiting_themes(run) for run in documents.latest_runs(consultation))
    still = f"-{STILL_UPDATING}" if waiting else ""
    body = documents.consultation_docx(consultation)
    audit.record(
        "report_exported", f"consultation {consultation.id}", format="docx", bytes=len(body)
    )
    db.session.commit()
    mimetype = DOWNLOADS["docx"][1]
    return attachment(body, mimetype, f"{consultation.slug}-theme-reports{still}.docx")


def attachment(body: bytes, mimetype: str, filename: str) -> HttpResponse:
    """A download made whole in the request (nothing streams after its session ends)."""
    return HttpResponse(
        body,
        content_type=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Length": str(len(body)),
        },
    )


@bp.get("/responses/<int:response_id>")
@requires("responses")
def respondent(response_id: int):
    """All of one response's answers, each text answer with its themes."""
    item = db.get_or_404(Response, response_id)
    return render_template(
        "reports/respondent.html",
        response=item,
        consultation=item.consultation,
        answers=pages.respondent(item),
        coding={c.question_id: c for c in coded.response_coding(item)},
    )


from . import coding_views, review_views, settling_views  # noqa: E402,F401
