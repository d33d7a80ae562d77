"""Review actions' pages (routes on :data:`consult.reports.bp`): thin views that parse a
form, call :mod:`consult.reports.review` and redirect with a message. Analysts and admins
(the ``analyse`` permission) review; the pages work without JavaScript."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..staff.kept_forms import first_showing
from ..staff.paging import page_number
from ..staff.permissions import requires
from ..templating import form_errors
from ..wording import plural
from . import bp, pages, review
from .merging import still_describing
from .models import AnalysisRun, RunAssignment, RunTheme, ThemeEdit
from .queue import enqueue_describe
from .recount_later import counts_points, left_to_worker
from .review_forms import (
    CreateForm,
    MergeForm,
    MoveForm,
    RenameForm,
    ReviewedForm,
    SplitForm,
    UndoForm,
    references_in,
)

PERMISSION = "analyse"
MOVE_PAGE = 50


def _run(run_id: int) -> AnalysisRun:
    run = db.get_or_404(AnalysisRun, run_id)
    if run.status != "succeeded":
        abort(404)
    return run


def _theme(run: AnalysisRun, key: str) -> RunTheme:
    theme = db.session.scalar(
        select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.key == key)
    )
    if theme is None or theme.hidden:
        abort(404)
    return theme


def _report_url(run: AnalysisRun, key: str | None = None) -> str:
    """The run's report page at the theme (the history page until report pages exist)."""
    if "reports.run" in current_app.view_functions:
        return url_for("reports.run", run_id=run.id, _anchor=f"theme-{key}" if key else None)
    return url_for("reports.review_history", run_id=run.id)


def _user():
    return current_user._get_current_object()


def _render(template: str, form, run: AnalysisRun, theme: RunTheme | None = None, **extra):
    errors = form_errors(form) + extra.pop("problems", [])
    return render_template(
        f"reports/review/{template}",
        form=form,
        run=run,
        theme=theme,
        errors=errors,
        report_url=_report_url(run, theme.key if theme is not None else None),
        **extra,
    )


def _theme_choices(run: AnalysisRun, leave_out: str | None = None) -> list[tuple[str, str]]:
    return [(t.key, f"{t.key}: {t.label}") for t in run.visible_themes if t.key != leave_out]


def _queue_recount(run: AnalysisRun, later: str) -> str:
    """Queue the worker's half of a large move, create or rename when the run's edits left
    themes waiting (:mod:`consult.reports.recount_later`); then the words to add to its
    message (``later``, then "reload in a moment"), else ''."""
    waiting = left_to_worker(run)
    for theme_id, edit_id in waiting:
        enqueue_describe(run.id, theme_id, edit_id)
    return f" {later}: reload in a moment." if waiting else ""


@bp.route("/runs/<int:run_id>/themes/<key>/rename", methods=["GET", "POST"])
@requires(PERMISSION)
def review_rename(run_id: int, key: str):
    """Rename a theme or write its description."""
    run = _run(run_id)
    theme = _theme(run, key)
    form = RenameForm(obj=None if request.method == "POST" else theme)
    if form.validate_on_submit():
        try:
            review.rename_theme(
                run,
                key,
                form.label.data,
                _user(),
                form.description.data or "",
                recount_at_most=current_app.config["RECOUNT_IN_REQUEST_AT_MOST"],
            )
        except review.ReviewError as error:
            form.label.errors.append(str(error))
        else:
            message = f"Theme {key} saved as “{form.label.data.strip()}”."
            later = "How many answers make its points is being counted again"
            flash(message + _queue_recount(run, later), "success")
            return redirect(_report_url(run, key))
    return _render("rename.html", form, run, theme)


@bp.route("/runs/<int:run_id>/merge", methods=["GET", "POST"])
@requires(PERMISSION)
def review_merge(run_id: int):
    """Merge two or more themes into the first chosen."""
    run = _run(run_id)
    form = MergeForm()
    form.themes.choices = _theme_choices(run)
    known = {key for key, _ in form.themes.choices}
    if any(key not in known for key in request.args.getlist("key")):
        abort(404)  # like /themes/T99: no such theme to merge (smoke12 finding 18)
    if first_showing() and request.args.get("key"):
        # ?key=T03 ticks one theme; ?key=T03&key=T06 (a "Looks like" hint) ticks both
        form.themes.data = request.args.getlist("key")[:10]
    if form.validate_on_submit():
        keys = [key for key, _ in form.themes.choices if key in form.themes.data]
        try:
            merged = review.merge_themes(
                run,
                keys,
                _user(),
                label=form.label.data,
                describe_at_most=current_app.config["MERGE_DESCRIBE_AT_MOST"],
            )
        except review.ReviewError as error:
            form.themes.errors.append(str(error))
        else:
            message = f"Merged {', '.join(keys)} into {merged.key}: “{merged.label}”."
            if merged.describing is not None:
                enqueue_describe(run.id, merged.id, merged.describing)
                message += " Its keywords and summary are being found: reload in a moment."
            flash(message, "success")
            return redirect(_report_url(run, merged.key))
    return _render("merge.html", form, run)


@bp.route("/runs/<int:run_id>/themes/<key>/split", methods=["GET", "POST"])
@requires(PERMISSION)
def review_split(run_id: int, key: str):
    """Split a theme into N by re-clustering its responses."""
    run = _run(run_id)
    theme = _theme(run, key)
    form = SplitForm()
    if first_showing():
        form.n.data = 2
    if form.validate_on_submit():
        try:
            parts = review.split_theme(
                run,
                key,
                form.n.data,
                _user(),
                describe_at_most=current_app.config["SPLIT_DESCRIBE_AT_MOST"],
            )
        except review.ReviewError as error:
            form.n.errors = [*form.n.errors, str(error)]
        else:
            names = "; ".join(f"{p.key}: {p.label}" for p in parts)
            message = f"Split {key} into {len(parts)} themes: {names}."
            if parts[0].describing is not None:
                # one job describes every part (consult.reports.split_later)
                enqueue_describe(run.id, parts[0].id, parts[0].describing)
                message = (
                    f"Split {key} into {len(parts)} themes: "
                    + ", ".join(p.key for p in parts)
                    + ". Their names, keywords and summaries are being found: reload in a "
                    "moment."
                )
            flash(message, "success")
            return redirect(_report_url(run, parts[0].key))
    return _render("split.html", form, run, theme)


@bp.route("/runs/<int:run_id>/themes/<key>/move", methods=["GET", "POST"])
@requires(PERMISSION)
def review_move(run_id: int, key: str):
    """Move some of a theme's responses to another theme."""
    run = _run(run_id)
    theme = _theme(run, key)
    page = page_number(request.args.get("page"))
    members = db.session.execute(
        select(RunAssignment.reference, RunAssignment.text)
        .where(RunAssignment.run_id == run.id, RunAssignment.theme_id == theme.id)
        .order_by(RunAssignment.id)
        .limit(MOVE_PAGE + 1)
        .offset((page - 1) * MOVE_PAGE)
    ).all()
    more = len(members) > MOVE_PAGE
    members = members[:MOVE_PAGE]
    form = MoveForm()
    form.responses.choices = [(ref, ref) for ref, _ in members]
    form.target.choices = [("", "Choose a theme")] + _theme_choices(run, leave_out=key)
    if form.validate_on_submit():
        chosen = form.chosen()
        if not chosen:
            form.responses.errors = ["Choose at least one response to move"]
        else:
            try:
                moved = review.move_responses(
                    run,
                    chosen,
                    form.target.data,
                    _user(),
                    recount_at_most=current_app.config["RECOUNT_IN_REQUEST_AT_MOST"],
                )
            except review.ReviewError as error:
                form.responses.errors = [str(error)]
            else:
                message = f"Moved {plural(moved, 'response')} from {key} to {form.target.data}."
                later = (
                    "How many answers make each point of the changed themes is being counted again"
                    if counts_points(run)
                    else "The changed themes' keywords are being found again"
                )
                flash(message + _queue_recount(run, later), "success")
                return redirect(_report_url(run, form.target.data))
    return _render("move.html", form, run, theme, members=members, page=page, more=more)


@bp.route("/runs/<int:run_id>/create", methods=["GET", "POST"])
@requires(PERMISSION)
def review_create(run_id: int):
    """Create a theme from example responses, pulling in the most similar ones."""
    run = _run(run_id)
    form = CreateForm()
    if first_showing() and request.args.get("examples"):
        form.examples.data = request.args["examples"]
    if form.validate_on_submit():
        try:
            theme = review.create_theme(
                run,
                form.label.data,
                references_in(form.examples.data),
                _user(),
                pull_in=form.pull_in.data,
                recount_at_most=current_app.config["RECOUNT_IN_REQUEST_AT_MOST"],
            )
        except review.NameTaken as error:
            form.label.errors = [*form.label.errors, str(error)]
        except review.ReviewError as error:
            form.examples.errors = [*form.examples.errors, str(error)]
        else:
            message = f"Created {theme.key}: “{theme.label}” with {plural(theme.size, 'response')}."
            later = "Its keywords and summary are being found, and the other changed themes' " + (
                "points counted again" if counts_points(run) else "keywords found again"
            )
            flash(message + _queue_recount(run, later), "success")
            return redirect(_report_url(run, theme.key))
    return _render("create.html", form, run, pull_in_floor=review.PULL_IN_FLOOR)


@bp.route("/runs/<int:run_id>/themes/<key>/reviewed", methods=["GET", "POST"])
@requires(PERMISSION)
def review_reviewed(run_id: int, key: str):
    """Mark a theme reviewed, or not reviewed."""
    run = _run(run_id)
    theme = _theme(run, key)
    form = ReviewedForm()
    if first_showing():
        form.reviewed.data = "0" if theme.reviewed_at else "1"
    problems = []
    if form.validate_on_submit():
        reviewed = form.reviewed.data != "0"
        try:
            review.mark_reviewed(run, key, _user(), reviewed)
        except review.ReviewError as error:
            problems = [{"text": str(error), "href": "#reviewed-button"}]
        else:
            flash(f"Theme {key} marked {'reviewed' if reviewed else 'not reviewed'}.", "success")
            return redirect(_report_url(run, key))
    return _render("reviewed.html", form, run, theme, problems=problems)


@bp.get("/runs/<int:run_id>/history")
@requires(PERMISSION)
def review_history(run_id: int):
    """Every review edit of the run, newest first (one theme's with ?key=), with undo."""
    run = _run(run_id)
    key = request.args.get("key") or None
    if key is not None and not review.known_key(run, key):
        abort(404)  # like /themes/ZZ (smoke12 finding 18)
    edits = review.history(run, key)
    return render_template(
        "reports/review/history.html",
        run=run,
        key=key,
        label=pages.theme_labels(run).get(key, "") if key else "",
        edits=edits,
        describe=review.edit_describer(edits),
        blockers=review.blocking_edits(run, edits),
        form=UndoForm(),
        report_url=_report_url(run, key),
    )


@bp.route("/runs/<int:run_id>/edits/<int:edit_id>/undo", methods=["GET", "POST"])
@requires(PERMISSION)
def review_undo(run_id: int, edit_id: int):
    """Undo one edit (a confirmation page, then POST)."""
    run = _run(run_id)
    edit = db.session.get(ThemeEdit, edit_id)
    if edit is None or edit.run_id != run.id:
        abort(404)
    form = UndoForm()
    problems = []
    if form.validate_on_submit():
        try:
            review.undo(run, edit.id, _user())
        except review.ReviewError as error:
            problems = [{"text": str(error), "href": "#undo-button"}]
        else:
            # An undo can bring back a theme still waiting for its merge's description
            # (restored from before the worker finished): ask for it again.
            for theme_id, merge_id in still_describing(run):
                enqueue_describe(run.id, theme_id, merge_id)
            flash(f"Undone: {review.describe_edit(edit)}.", "success")
            return redirect(url_for("reports.review_history", run_id=run.id))
    blocker = review.blocking_edit(run, edit)
    if blocker is not None:  # no button then: the error links to the warning (review20)
        problems = [{**problem, "href": "#undo-blocked"} for problem in problems]
    return _render(
        "undo.html",
        form,
        run,
        edit=edit,
        describe=review.describe_edit,
        problems=problems,
        blocker=blocker,
    )
