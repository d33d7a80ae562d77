"""The consultation builder's pages: details, sections, questions, options, order, status
(open now, schedule to open later, close, back to draft: each change confirmed first),
preview, and JSON definitions. The rules (what is locked once responses exist, positions,
options, wording history, scheduling) live in ``building``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from flask import Response as HttpResponse
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit, retention_notice
from ..definitions import DefinitionError, export_definition
from ..definitions import import_definition as load_definition
from ..extensions import db
from ..models import (
    MINUTES_NOT_GIVEN,
    Consultation,
    Question,
    Section,
    as_utc,
    stored_number,
    without_optional_mark,
)
from ..survey.fields import question_params
from ..survey.forms import section_form
from . import bp, building
from .flashes import flash_error
from .forms import ConsultationForm, EmptyForm, QuestionForm, SectionForm, UploadForm
from .kept_forms import first_showing
from .permissions import requires
from .views import form_errors

# Wording and contacts partners read; empty ones fall back to consult/wording.py's defaults.
SETTINGS_FIELDS = (
    "team_name",
    "contact_email",
    "what_happens_next",
    "what_happens_next_individuals",
    "email_sender_name",
    "email_sender_address",
    "invitation_message",
    "email_signature",
)


def _fill_consultation(consultation: Consultation, form: ConsultationForm) -> None:
    for name in (
        "title",
        "slug",
        "summary",
        "audience",
        "privacy_notice",
        "opens_at",
        "closes_at",
        "retention_days",
        "allow_open_link",
        "allow_invitations",
    ):
        setattr(consultation, name, getattr(form, name).data)
    consultation.minutes_to_complete = form.minutes_to_complete.data or MINUTES_NOT_GIVEN
    consultation.summary = consultation.summary or ""
    consultation.audience = consultation.audience or ""
    consultation.privacy_notice = consultation.privacy_notice or ""
    for name in SETTINGS_FIELDS:
        setattr(consultation, name, (getattr(form, name).data or "").strip())


def _slug_taken(slug: str, consultation_id: int | None) -> bool:
    found = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    return found is not None and found.id != consultation_id


@bp.route("/consultations/new", methods=["GET", "POST"])
@requires("build")
def new_consultation():
    form = ConsultationForm()
    if request.method == "POST" and not (form.slug.data or "").strip():
        # Left empty: made from the title (the field's hint says so).
        form.slug.data = building.slug_from_title(
            form.title.data, lambda slug: _slug_taken(slug, None)
        )
    if request.method == "POST" and form.validate():
        if _slug_taken(form.slug.data, None):
            form.slug.errors.append("That web address name is already used")
        else:
            consultation = Consultation(status="draft")
            _fill_consultation(consultation, form)
            db.session.add(consultation)
            db.session.flush()
            audit.record("consultation_created", consultation.slug)
            db.session.commit()
            flash("Consultation created as a draft. Add sections and questions.", "success")
            return redirect(url_for("staff.consultation", consultation_id=consultation.id))
    if not form.slug.data and form.title.errors:
        form.slug.errors = []  # it is made from the title, whose error says what to do
    return render_template(
        "staff/consultation_form.html", form=form, consultation=None, errors=form_errors(form)
    )


@bp.route("/consultations/<int:consultation_id>/edit", methods=["GET", "POST"])
@requires("build")
def edit_consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = ConsultationForm(obj=consultation)
    if request.method != "POST" and consultation.minutes_to_complete == MINUTES_NOT_GIVEN:
        form.minutes_to_complete.data = None  # left empty: the start page estimates it
    if request.method == "POST" and form.validate():
        opening = building.opening_date_problem(consultation, form.opens_at.data)
        if _slug_taken(form.slug.data, consultation.id):
            form.slug.errors.append("That web address name is already used")
        elif opening:
            form.opens_at.errors.append(opening)
        else:
            _fill_consultation(consultation, form)
            audit.record("consultation_edited", consultation.slug)
            db.session.commit()
            flash("Details saved.", "success")
            return redirect(url_for("staff.consultation", consultation_id=consultation.id))
    return render_template(
        "staff/consultation_form.html",
        form=form,
        consultation=consultation,
        errors=form_errors(form),
    )


@bp.get("/consultations/<int:consultation_id>")
@requires("reports")
def consultation(consultation_id: int):
    """A consultation's overview: status, pages and questions, links to everything else."""
    item = db.get_or_404(Consultation, consultation_id)
    # Why Open now would be refused (no questions, no privacy notice): then neither it nor
    # Schedule is offered and the page says why (it offered Open now, whose page then said
    # "… cannot open yet"); a draft's missing privacy notice has its own warning already
    open_refusal = building.status_refusal(item, "open")
    privacy_warned = item.status == "draft" and not building.has_privacy_notice(item)
    closed_on = item.closed_on()
    planned = as_utc(item.closes_at)
    days = stored_number(item.retention_days, 1, 3650)
    return render_template(
        "staff/consultation.html",
        consultation=item,
        closed_on=closed_on,
        closed_early=bool(closed_on and planned and planned > closed_on),
        kept_until=closed_on + timedelta(days=days) if closed_on and days else None,
        locked=building.has_responses(item),
        moves={q: m for s in item.sections for q, m in building.question_moves(s).items()},
        can_schedule=building.can_schedule(item),
        open_refusal=open_refusal,
        cannot_open=None if privacy_warned and item.questions else open_refusal,
        form=EmptyForm(),
        retention_conflict=retention_notice.conflict(item.privacy_notice, item.retention_days),
    )


@bp.get("/consultations/<int:consultation_id>/status/<action>")
@requires("build")
def confirm_status(consultation_id: int, action: str):
    """Are you sure? The page that asks before opening, scheduling, closing or returning to
    draft."""
    item = db.get_or_404(Consultation, consultation_id)
    try:
        change = building.describe_status_change(item, action)
    except ValueError:
        abort(404)
    return render_template(
        "staff/confirm_status.html", consultation=item, change=change, form=EmptyForm()
    )


@bp.post("/consultations/<int:consultation_id>/status")
@requires("build")
def set_status(consultation_id: int):
    """Open now, schedule to open on the opening date, close now, or return to draft: only
    from the confirmation page."""
    item = db.get_or_404(Consultation, consultation_id)
    action = request.form.get("action", "")
    if not EmptyForm().validate() or action not in building.STATUS_ACTIONS:
        abort(400)
    if request.form.get("confirmed") != "yes":
        return redirect(url_for("staff.confirm_status", consultation_id=item.id, action=action))
    refusal = building.status_refusal(item, action)
    if refusal:
        flash_error(refusal)
        return redirect(url_for("staff.consultation", consultation_id=item.id))
    building.set_status(item, action)
    db.session.commit()
    flash(building.status_message(item), "success")
    return redirect(url_for("staff.consultation", consultation_id=item.id))


@bp.route("/consultations/<int:consultation_id>/sections/new", methods=["GET", "POST"])
@requires("build")
def new_section(consultation_id: int):
    item = db.get_or_404(Consultation, consultation_id)
    form = SectionForm()
    if request.method == "POST" and form.validate():
        building.add_section(item, form.title.data, form.intro.data or "")
        db.session.commit()
        flash(f"Section ‘{form.title.data}’ added.", "success")
        return redirect(url_for("staff.consultation", consultation_id=item.id))
    return render_template(
        "staff/section_form.html", form=form, consultation=item, errors=form_errors(form)
    )


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@requires("build")
def edit_section(section_id: int):
    section = db.get_or_404(Section, section_id)
    form = SectionForm(obj=section)
    if request.method == "POST" and form.validate():
        section.title, section.intro = form.title.data, form.intro.data or ""
        audit.record("section_edited", section.consultation.slug, title=section.title)
        db.session.commit()
        flash(f"Section ‘{section.title}’ saved.", "success")
        return redirect(url_for("staff.consultation", consultation_id=section.consultation_id))
    return render_template(
        "staff/section_form.html",
        form=form,
        consultation=section.consultation,
        errors=form_errors(form),
        section=section,
    )


@bp.post("/sections/<int:section_id>/move")
@requires("build")
def move_section(section_id: int):
    section = db.get_or_404(Section, section_id)
    if not EmptyForm().validate():
        abort(400)
    refusal = building.order_refusal(section.consultation)
    if refusal:
        flash_error(refusal)
        return redirect(url_for("staff.consultation", consultation_id=section.consultation_id))
    building.move_section(section, request.form.get("direction", "down"))
    db.session.commit()
    flash(f"Section ‘{section.title}’ moved.", "success")
    return redirect(url_for("staff.consultation", consultation_id=section.consultation_id))


@bp.get("/sections/<int:section_id>/delete")
@requires("build")
def confirm_delete_section(section_id: int):
    """Are you sure? Asked before a page and its questions are removed."""
    section = db.get_or_404(Section, section_id)
    return _confirm_removal(
        section.consultation,
        f"Are you sure you want to remove the section {section.title}?",
        f"Its {len(section.questions)} questions will be removed with it."
        if section.questions
        else "It has no questions.",
        url_for("staff.delete_section", section_id=section.id),
        "Yes, remove this section",
    )


@bp.post("/sections/<int:section_id>/delete")
@requires("build")
def delete_section(section_id: int):
    """Remove a page: only from its confirmation page, and never once responses exist."""
    section = db.get_or_404(Section, section_id)
    return _remove_if_confirmed(
        section.consultation_id,
        url_for("staff.confirm_delete_section", section_id=section.id),
        lambda: building.remove_section(section),
        "Section removed.",
    )


def _remove_if_confirmed(
    consultation_id: int, confirm_url: str, remove: Callable[[], str | None], done: str
):
    """A removal posted from its confirmation page: back to ``confirm_url`` unless it says
    "confirmed", else ``remove()`` (flashing why it refused, or ``done``), committed, and the
    consultation's overview."""
    if not EmptyForm().validate():
        abort(400)
    if request.form.get("confirmed") != "yes":
        return redirect(confirm_url)
    refused = remove()
    if refused:
        flash_error(refused)
    else:
        flash(done, "success")
    db.session.commit()
    return redirect(url_for("staff.consultation", consultation_id=consultation_id))


def _confirm_removal(
    consultation: Consultation, question: str, consequence: str, action: str, button: str
):
    refusal = (
        "Nothing can be removed once responses have arrived."
        if building.has_responses(consultation)
        else None
    )
    return render_template(
        "staff/confirm_remove.html",
        consultation=consultation,
        question=question,
        consequence=consequence,
        action=action,
        button=button,
        refusal=refusal,
        form=EmptyForm(),
    )


def _question_change(form: QuestionForm) -> building.QuestionChange:
    text = without_optional_mark(form.text.data or "")
    for_individuals = without_optional_mark(form.text_individuals.data or "").strip()
    if building.same_wording(text, for_individuals):
        for_individuals = ""  # the same words: everyone reads the question (_individuals_note)
    return building.QuestionChange(
        kind=form.kind.data,
        text=text,
        hint=form.hint.data or "",
        text_individuals=for_individuals,
        required=form.required.data,
        max_length=form.max_length.data,
        options=building.options_from(form.options.data),
        with_why=form.with_why.data,
    )


OPTIONAL_TAKEN_OFF = (
    " We took ‘(optional)’ off the end of its text: the partner's page adds it to every "
    "question that is not required, so it would have said it twice."
)


def _optional_note(form: QuestionForm) -> str:
    """What to add to the saved message when the text ended with "(optional)"."""
    typed = form.text.data or ""
    return OPTIONAL_TAKEN_OFF if without_optional_mark(typed) != typed else ""


SAME_FOR_INDIVIDUALS = (
    " The question for individuals was the same as the question, so we left it empty: "
    "everyone reads the question. Word it for individuals only when it should read "
    "differently to them (‘your organisation’ as ‘you’, say)."
)


def _individuals_note(form: QuestionForm) -> str:
    """What to add to the saved message when the wording for individuals was the question's."""
    typed = form.text_individuals.data or ""
    return SAME_FOR_INDIVIDUALS if building.same_wording(form.text.data or "", typed) else ""


def _add_problems(form: QuestionForm, problems: dict[str, str]) -> None:
    for name, message in problems.items():
        form[name].errors.append(message)


@bp.route("/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
@requires("build")
def new_question(section_id: int):
    section = db.get_or_404(Section, section_id)
    form = QuestionForm()
    if request.method == "POST" and form.validate():
        change = _question_change(form)
        problems = building.question_problems(None, change)
        _add_problems(form, problems)
        if not problems:
            building.add_question(section, change)
            db.session.commit()
            flash("Question added." + _optional_note(form) + _individuals_note(form), "success")
            return redirect(url_for("staff.consultation", consultation_id=section.consultation_id))
    return render_template(
        "staff/question_form.html",
        form=form,
        section=section,
        question=None,
        locked=False,
        errors=form_errors(form),
    )


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@requires("build")
def edit_question(question_id: int):
    question = db.get_or_404(Question, question_id)
    section = question.section
    form = QuestionForm(obj=question)
    if first_showing():
        form.options.data = "\n".join(o.label for o in question.options)
    if request.method == "POST" and form.validate():
        change = _question_change(form)
        problems = building.question_problems(question, change)
        _add_problems(form, problems)
        if not problems:
            locked = building.edit_question(question, change, current_user.email)
            db.session.commit()
            flash(
                "Question saved."
                + (" The old wording is kept in its history." if locked else "")
                + _optional_note(form)
                + _individuals_note(form),
                "success",
            )
            return redirect(url_for("staff.consultation", consultation_id=section.consultation_id))
    return render_template(
        "staff/question_form.html",
        form=form,
        section=section,
        question=question,
        locked=building.has_responses(section.consultation),
        history=building.question_history(question),
        field_words=building.history_field_words,
        errors=form_errors(form),
    )


@bp.post("/questions/<int:question_id>/move")
@requires("build")
def move_question(question_id: int):
    question = db.get_or_404(Question, question_id)
    if not EmptyForm().validate():
        abort(400)
    consultation_id = question.section.consultation_id
    refusal = building.order_refusal(question.section.consultation)
    if refusal:
        flash_error(refusal)
        return redirect(url_for("staff.consultation", consultation_id=consultation_id))
    refusal = building.follow_up_refusal(question)
    if refusal:
        flash_error(refusal)
        return redirect(url_for("staff.consultation", consultation_id=consultation_id))
    building.move_question(question, request.form.get("direction", "down"))
    db.session.commit()
    flash("Question moved.", "success")
    return redirect(url_for("staff.consultation", consultation_id=question.section.consultation_id))


@bp.get("/questions/<int:question_id>/delete")
@requires("build")
def confirm_delete_question(question_id: int):
    """Are you sure? Asked before a question is removed."""
    question = db.get_or_404(Question, question_id)
    return _confirm_removal(
        question.section.consultation,
        f"Are you sure you want to remove the question \u201c{question.text}\u201d?",
        f"It will be removed from the section {question.section.title}.",
        url_for("staff.delete_question", question_id=question.id),
        "Yes, remove this question",
    )


@bp.post("/questions/<int:question_id>/delete")
@requires("build")
def delete_question(question_id: int):
    """Remove a question: only from its confirmation page, and never once responses exist."""
    question = db.get_or_404(Question, question_id)
    return _remove_if_confirmed(
        question.section.consultation_id,
        url_for("staff.confirm_delete_question", question_id=question.id),
        lambda: building.remove_question(question),
        "Question removed.",
    )


@bp.get("/consultations/<int:consultation_id>/preview/<int:position>")
@requires("reports")
def preview(consultation_id: int, position: int):
    """A section page exactly as partners see it, with nothing saved; position 0: what
    preview shows and what it does not (with the wording individuals read)."""
    item = db.get_or_404(Consultation, consultation_id)
    if position == 0:
        return render_template("staff/preview_index.html", consultation=item)
    section = next((s for s in item.sections if s.position == position), None)
    if section is None:
        abort(404)
    form = section_form(section)
    fields = [(q, *question_params(q, form[q.field_name])) for q in section.questions]
    return render_template(
        "staff/preview.html", consultation=item, section=section, form=form, fields=fields
    )


@bp.get("/consultations/<int:consultation_id>/definition.json")
@requires("build")
def export_definition_view(consultation_id: int):
    item = db.get_or_404(Consultation, consultation_id)
    audit.record("definition_exported", item.slug)
    db.session.commit()
    body = json.dumps(export_definition(item), indent=2, ensure_ascii=False)
    return HttpResponse(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{item.slug}.json"'},
    )


@bp.route("/definitions/import", methods=["GET", "POST"])
@requires("build")
def import_definition():
    form = UploadForm()
    error = None
    if request.method == "POST" and form.validate():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            error = "Choose a definition file to import"
        else:
            try:
                consultation = load_definition(upload.read(), request.form.get("slug") or None)
            except DefinitionError as problem:
                db.session.rollback()
                error = f"The file cannot be imported: {problem}"
            else:
                db.session.flush()
                audit.record("definition_imported", consultation.slug)
                db.session.commit()
                flash(f"Imported as a draft, titled ‘{consultation.title}’.", "success")
                return redirect(url_for("staff.consultation", consultation_id=consultation.id))
    errors = [("file", error)] if error else []
    return render_template("staff/import_definition.html", form=form, errors=errors), (
        400 if error else 200
    )
