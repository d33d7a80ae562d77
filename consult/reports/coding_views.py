"""Coding pages (routes on :data:`consult.reports.bp`): a question's codebook, coding one
response after another, and applying the model. Thin views over :mod:`consult.reports.coding`.
Analysts and admins (the ``review`` permission) code; anyone who reads reports sees figures.
"""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from analysis.cells import shown_hidden

from ..extensions import db
from ..models import Question
from ..staff.flashes import flash_error
from ..staff.forms import EmptyForm, UploadForm
from ..staff.kept_forms import first_showing
from ..staff.permissions import requires
from ..templating import form_errors
from ..wording import plural
from . import bp, coding, pages, settling
from .codebook_drift import drift_words
from .coded import floor_of, stale_words
from .coding_forms import NO_THEME, NO_THEME_LABEL, CodeForm
from .models import AnalysisRun

CODE = "review"
MAX_CODEBOOK_BYTES = 2 * 1024 * 1024
# ``?check=colleagues``: coding the responses colleagues have coded, to measure agreement.
CHECK = "colleagues"


def _question_or_404(question_id: int) -> Question:
    """The question, if it can be coded: only free-text questions are (an agreement scale or
    a choice has no words to code), so every coding page of another is Not found, alike."""
    question = db.get_or_404(Question, question_id)
    if not question.is_text:
        abort(404)
    return question


def _codebook_or_404(question_id: int):
    question = _question_or_404(question_id)
    codebook = coding.codebook_for(question)
    if codebook is None:
        abort(404)
    return question, codebook


def page_names(question: Question) -> dict[str, str]:
    """How a coding page names its question: the reports' title ('Q4: Why ...') and its
    short label ('Q4'), both from :mod:`consult.reports.pages`' one helper."""
    return {
        "title_text": pages.question_title(question),
        "question_label": pages.question_label(question),
    }


def _render(template: str, question: Question, **extra):
    """A coding page with the question, its consultation and its title."""
    return render_template(
        f"reports/coding/{template}",
        question=question,
        consultation=question.section.consultation,
        **page_names(question),
        **extra,
    )


def _coding_url(question_id: int) -> str:
    return url_for("reports.coding_overview", question_id=question_id)


def _apply_from_the_start(codebook) -> str:
    """Once a codebook is made or replaced, apply the model at once (smoke18w #4, #7): with
    nothing coded it codes by similarity to the codebook, so the coding form shows the model's
    coding and its suggestions from the first response, and the answers' vectors are made while
    the analyst reads the first ones. Returns what to add to the flash ("" when it was not
    started: no answers, already applied, or ``CODING_APPLY_ON_CODEBOOK`` off, as it is by
    default under tests, which apply the model themselves)."""
    if not current_app.config.get("CODING_APPLY_ON_CODEBOOK", not current_app.testing):
        return ""
    try:
        coding.enqueue(coding.start_coding(codebook, current_user.email))
    except coding.CodingError:
        db.session.rollback()
        return ""
    if coding.learned_codes(codebook):
        return " The model is being applied to it in the background."
    return (
        " The model is coding the answers by similarity to the codebook in the background, "
        "so it can suggest themes before anyone has coded a response."
    )


@bp.get("/questions/<int:question_id>/coding")
@requires("reports")
def coding_overview(question_id: int):
    """The codebook, how far coding has got, agreement figures and the model's counts."""
    question = _question_or_404(question_id)
    codebook = coding.codebook_for(question)
    latest = coding.latest_coding(codebook) if codebook else None
    pending = coding.latest_coding(codebook, status=None) if codebook else None
    summary = coding.summary(codebook, latest) if codebook else None
    return _render(
        "overview.html",
        question,
        codebook=codebook,
        latest=latest,
        pending=pending if pending is not None and pending.status != "succeeded" else None,
        just_finished=(
            pending
            if pending is not None
            and pending.status != "queued"
            and pending.status != "running"
            and request.args.get("applied") == str(pending.id)
            else None
        ),
        summary=summary,
        intercoder=coding.intercoder_figures(codebook) if codebook else [],
        to_check=len(coding.to_check(codebook, current_user.email)) if codebook else 0,
        to_settle=settling.count(codebook) if codebook else 0,
        stale=stale_words(codebook, latest) if codebook else "",
        drift=drift_words(codebook),
        explained=coding.explained_number(question),
        check=CHECK,
        runs=[r for r in pages.runs_of(question) if r.status == "succeeded"],
        form=EmptyForm(),
        agreement=(
            coding.agreement_words(latest, summary.human, summary.waiting)
            if latest is not None and summary is not None
            else None
        ),
        small_sample=coding.SMALL_SAMPLE,
        min_for_interval=coding.MIN_FOR_INTERVAL,
        apply_warning=(
            coding.apply_warning(summary.human, latest, summary.waiting) if summary else ""
        ),
        no_example=coding.no_example_warning(codebook, latest) if codebook else "",
        f1_meaning=coding.F1_MEANING,
        kappa_meaning=coding.KAPPA_MEANING,
        precision_recall_meaning=coding.PRECISION_RECALL_MEANING,
        precision_recall_text=coding.precision_recall_text,
        kappa_text=coding.kappa_text,
        kappa_too_rare=coding.KAPPA_TOO_RARE,
        stance_lines=(
            coding.stance_lines(summary, coding.explained_number(question)) if summary else []
        ),
        stance_words=(
            coding.stance_accuracy_words(codebook, (latest.metrics or {}).get("stance") or {})
            if codebook is not None and latest is not None
            else ""
        ),
    )


@bp.post("/runs/<int:run_id>/codebook")
@requires(CODE)
def codebook_from_run(run_id: int):
    """Turn a run's reviewed themes into the question's codebook; when some are not marked
    reviewed or have a label fewer than half their answers make, ask first (a page listing
    them, and a button that confirms)."""
    run = db.get_or_404(AnalysisRun, run_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    flagged = coding.codebook_flags(run) if run.status == "succeeded" else []
    if flagged and request.form.get("confirmed") != "yes":
        # a GET page of its own, so reload and back work (smoke10 finding 19: 405)
        return redirect(url_for("reports.codebook_check", run_id=run.id), code=303)
    try:
        codebook = coding.codebook_from_run(run, current_user.email)
    except coding.CodingError as error:
        flash_error(str(error))
    else:
        started = _apply_from_the_start(codebook)
        flash(
            f"The codebook now holds run {run.id}'s {plural(len(codebook.themes), 'theme')}."
            + started,
            "success",
        )
    return redirect(_coding_url(run.question_id))


@bp.get("/runs/<int:run_id>/codebook/check")
@requires(CODE)
def codebook_check(run_id: int):
    """The themes of a run to look at before they become the codebook (not reviewed, or a
    label fewer than half their answers make), and the button that confirms."""
    run = db.get_or_404(AnalysisRun, run_id)
    if run.status != "succeeded" or run.question is None:
        return redirect(url_for("reports.run", run_id=run.id))
    flagged = coding.codebook_flags(run)
    return _render(
        "confirm_codebook.html", run.question, run=run, flagged=flagged, form=EmptyForm()
    )


@bp.route("/questions/<int:question_id>/codebook/import", methods=["GET", "POST"])
@requires(CODE)
def codebook_import(question_id: int):
    """Upload a codebook (CSV or JSON)."""
    question = _question_or_404(question_id)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_CODEBOOK_BYTES + 1) if upload else b""
        if not (upload and upload.filename):
            form.file.errors = ["Choose a CSV or JSON codebook file"]
        elif not data.strip():
            form.file.errors = ["The selected file is empty"]
        elif len(data) > MAX_CODEBOOK_BYTES:
            form.file.errors = ["The file is larger than 2 MB"]
        else:
            try:
                codebook = coding.import_codebook(
                    question, data, upload.filename or "codebook", current_user.email
                )
            except coding.CodingError as error:
                form.file.errors = [_file_error(str(error), upload.filename)]
            else:
                started = _apply_from_the_start(codebook)
                flash(f"Imported {plural(len(codebook.themes), 'theme')}.{started}", "success")
                return redirect(_coding_url(question.id))
    errors = form_errors(form)
    return _render(
        "import.html",
        question,
        form=form,
        errors=errors,
    ), (400 if errors else 200)


def _file_error(message: str, filename: str) -> str:
    """A codebook file's problem as an error message: without the file's name in front
    (the field shows which file) and starting with a capital, as every other error does."""
    message = message.removeprefix(f"{filename}: ").strip()
    return message[:1].upper() + message[1:]


@bp.get("/questions/<int:question_id>/coding/next")
@requires(CODE)
def coding_next(question_id: int):
    """Go to the next response to code (the model's most useful suggestion first)."""
    _, codebook = _codebook_or_404(question_id)
    after = request.args.get("after", type=int)
    check = _checking()
    skipped = _skipped(codebook.id, request.args.get("skip", type=int))
    response_id = coding.next_response(
        codebook, current_user.email, after=after, check=check, skipped=skipped
    )
    if response_id is None and skipped:
        # Only responses put aside are left: offer them again, from the start.
        session.pop(SKIPPED_KEY, None)
        response_id = coding.next_response(codebook, current_user.email, check=check)
        if response_id is not None:
            flash("Only the responses you skipped are left to code.")
    if response_id is None:
        flash(
            "You have coded every response your colleagues have coded."
            if check
            else "Every answer to this question has been coded."
        )
        return redirect(_coding_url(question_id))
    return redirect(
        url_for(
            "reports.code_response",
            question_id=question_id,
            response_id=response_id,
            **({"check": CHECK} if check else {}),
        )
    )


def _checking() -> bool:
    return request.args.get("check") == CHECK


# Responses a coder has skipped ("Skip this response for now"), kept in their session.
SKIPPED_KEY = "coding_skipped"
SKIPPED_KEPT = 200


def _skipped(codebook_id: int, new: int | None) -> set[int]:
    """The responses this coder has skipped in this codebook, with ``new`` added."""
    kept = session.get(SKIPPED_KEY) or {}
    ids = [int(i) for i in kept.get(str(codebook_id), [])]
    if new is not None and new not in ids:
        ids = [*ids, new][-SKIPPED_KEPT:]
        session[SKIPPED_KEY] = {str(codebook_id): ids}  # one codebook at a time
    return set(ids)


@bp.route("/questions/<int:question_id>/coding/<int:response_id>", methods=["GET", "POST"])
@requires(CODE)
def code_response(question_id: int, response_id: int):
    """Code one response: themes (several allowed) and stance, the machine's view beside."""
    question, codebook = _codebook_or_404(question_id)
    found = coding.response_text(codebook, response_id)
    if found is None:
        abort(404)
    response, text = found
    form = CodeForm()
    form.themes.choices = [(t.key, f"{t.key}: {t.name}") for t in codebook.themes]
    mine = coding.coder_codes(codebook, response_id, current_user.email)
    paired = coding.paired_answer(question, response)
    if first_showing() and mine is not None:
        form.themes.data = list(mine.themes or []) or [NO_THEME]
        form.stance.data = mine.stance or ""
    elif first_showing() and paired is not None and paired.stance:
        form.stance.data = paired.stance  # their own answer says it: no need to code it again
    stamp = _stamp(mine)
    stale = request.method == "POST" and request.form.get("seen", stamp) != stamp
    if stale and form.validate_on_submit():
        # smoke18w #5: another tab saved this coder's coding after this page was drawn
        form.themes.errors = [*form.themes.errors, _stale_message(mine, form.themes.choices)]
    elif form.validate_on_submit():
        try:
            coding.save_code(
                codebook,
                response_id,
                current_user.email,
                form.chosen_themes(),
                form.stance.data or None,
                given=paired.stance if paired is not None else None,
            )
        except coding.CodingError as error:
            form.themes.errors = [*form.themes.errors, str(error)]
        else:
            flash(f"Saved your coding of response {response.reference}.", "success")
            check = {"check": CHECK} if _checking() else {}
            if request.form.get("action") == "stay":
                return redirect(url_for(request.endpoint, **request.view_args, **check))
            return redirect(
                url_for("reports.coding_next", question_id=question_id, after=response_id, **check)
            )
    latest = coding.latest_coding(codebook)
    errors = form_errors(form)
    status = 409 if stale and errors else 400 if errors else 200
    return _render(
        "code.html",
        question,
        codebook=codebook,
        response=response,
        text=shown_hidden(text),  # as every staff page shows an answer
        form=form,
        errors=errors,
        machine=coding.machine_code(latest, response_id),
        # how the model coded: by similarity alone (nothing coded yet), and below its floor
        cold=bool(((latest.metrics or {}) if latest is not None else {}).get("cold_start")),
        floor=floor_of(latest),
        mine=mine,
        # "Chosen because" only where the coder is sent next, not on a response already coded
        reason=None if mine is not None else coding.suggestion_reason(codebook, response_id),
        paired=paired,
        names={t.key: t.name for t in codebook.themes},
        no_theme=(NO_THEME, NO_THEME_LABEL),
        checking=_checking(),
        # Not while checking: the colleague's sample is coded blind.
        settled=None if _checking() else settling.settled_code(codebook, response_id),
        # who coded what, when people coded it differently and nobody has settled it
        waiting=()
        if _checking()
        else settling.waiting_for([codebook.id], response_id).get(codebook.id, ()),
        counts=coding.coded_counts(codebook, current_user.email),
        seen=stamp,
    ), status


def _stamp(code) -> str:
    """A coder's code's last-changed stamp as the form carries it ("" for none yet)."""
    return code.coded_at.isoformat() if code is not None and code.coded_at else ""


def _stale_message(code, choices: list[tuple[str, str]]) -> str:
    """The error when a save would replace a coding saved after the page was drawn."""
    from ..times import uk_time

    if code is None:  # removed since: nothing to keep, but say so rather than guess
        return "Your coding of this response changed after this page was opened. Save again."
    names = dict(choices)
    themes = "; ".join(names.get(key, key) for key in code.themes or []) or "no theme"
    return (
        f"You saved a different coding of this response at {uk_time(code.coded_at)}, in "
        f"another tab or window, after this page was opened ({themes}). Nothing was saved: "
        "check the themes below and save again to replace it"
    )


@bp.post("/questions/<int:question_id>/coding/apply")
@requires(CODE)
def coding_apply(question_id: int):
    """Queue the model: learn from the human codes and code every other response."""
    _, codebook = _codebook_or_404(question_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        coding.enqueue(coding.start_coding(codebook, current_user.email))
    except coding.AlreadyApplying as note:  # a second press: the first's progress, told so
        flash(str(note))
    except coding.CodingError as error:
        flash_error(str(error))
    else:
        flash(
            "The model is being applied in the background. This page shows the results when "
            "it has finished.",
            "success",
        )
    return redirect(_coding_url(question_id))


@bp.get("/questions/<int:question_id>/coding/status")
@requires("reports")
def coding_status(question_id: int):
    """The latest application of the model as JSON, polled by the coding page's script while
    it is queued or running (smoke18w #7): ``status`` and ``finished``."""
    _, codebook = _codebook_or_404(question_id)
    latest = coding.latest_coding(codebook, status=None)
    status = latest.status if latest is not None else "none"
    response = jsonify(
        coding_id=latest.id if latest is not None else None,
        status=status,
        finished=status not in ("queued", "running"),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/questions/<int:question_id>/coding/download.<fmt>")
@requires("export", fresh=True)
def coding_download(question_id: int, fmt: str):
    """The coding as CSV, Excel or Word, with who coded each answer (audited)."""
    from .. import audit
    from .coding_documents import DOWNLOADS
    from .views import attachment

    question, codebook = _codebook_or_404(question_id)
    if fmt not in DOWNLOADS:
        abort(404)
    make, mimetype, _ = DOWNLOADS[fmt]
    body = make(codebook, coding.latest_coding(codebook))
    number = pages.question_number(question)
    filename = f"{question.section.consultation.slug}-q{number}-coding.{fmt}"
    audit.record(
        "coding_exported",
        question.section.consultation.slug,
        question_number=number,  # shown as "Question 2", as partners number it
        format=fmt,
        bytes=len(body),
    )
    db.session.commit()
    return attachment(body, mimetype, filename)
