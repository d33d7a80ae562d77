"""The consultation builder: details, sections, questions, options, order, status,
preview, and JSON definitions. Questions are locked once responses exist."""

from __future__ import annotations

import json
import re

from flask import Response as HttpResponse
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from .. import audit
from ..definitions import DefinitionError, export_definition
from ..definitions import import_definition as load_definition
from ..extensions import db
from ..models import (
    Consultation,
    Option,
    Question,
    QuestionRevision,
    Response,
    Section,
    as_utc,
    utcnow,
)
from ..survey.fields import question_params
from ..survey.forms import section_form
from . import bp
from .forms import ConsultationForm, EmptyForm, QuestionForm, SectionForm, UploadForm
from .permissions import requires
from .views import form_errors


def has_responses(consultation: Consultation) -> bool:
    """True once any partner has started a response: questions are then locked."""
    return bool(
        db.session.scalar(
            select(func.count(Response.id)).where(Response.consultation_id == consultation.id)
        )
    )


def _slugify(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:80] or "option"


# Wording and contacts partners read; empty ones fall back to consult/wording.py's defaults.
SETTINGS_FIELDS = (
    "team_name",
    "contact_email",
    "what_happens_next",
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
    consultation.minutes_to_complete = form.minutes_to_complete.data or 15
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
            flash("Consultation created as a draft. Add sections and questions.")
            return redirect(url_for("staff.consultation", consultation_id=consultation.id))
    return render_template(
        "staff/consultation_form.html", form=form, consultation=None, errors=form_errors(form)
    )


@bp.route("/consultations/<int:consultation_id>/edit", methods=["GET", "POST"])
@requires("build")
def edit_consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = ConsultationForm(obj=consultation)
    if request.method == "POST" and form.validate():
        if _slug_taken(form.slug.data, consultation.id):
            form.slug.errors.append("That web address name is already used")
        else:
            _fill_consultation(consultation, form)
            audit.record("consultation_edited", consultation.slug)
            db.session.commit()
            flash("Details saved.")
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
    return render_template(
        "staff/consultation.html", consultation=item, locked=has_responses(item), form=EmptyForm()
    )


@bp.post("/consultations/<int:consultation_id>/status")
@requires("build")
def set_status(consultation_id: int):
    """Open now, close now, or return to draft."""
    item = db.get_or_404(Consultation, consultation_id)
    action = request.form.get("action")
    if not EmptyForm().validate() or action not in ("open", "close", "draft"):
        abort(400)
    now = utcnow()
    if action == "open":
        item.status = "open"
        if item.opens_at and as_utc(item.opens_at) > now:
            item.opens_at = now
        if item.closes_at and as_utc(item.closes_at) <= now:
            item.closes_at = None
    elif action == "close":
        item.status = "closed"
    else:
        item.status = "draft"
    audit.record("consultation_status", item.slug, status=item.status)
    db.session.commit()
    flash(f"The consultation is now {item.status}.")
    return redirect(url_for("staff.consultation", consultation_id=item.id))


@bp.route("/consultations/<int:consultation_id>/sections/new", methods=["GET", "POST"])
@requires("build")
def new_section(consultation_id: int):
    item = db.get_or_404(Consultation, consultation_id)
    form = SectionForm()
    if request.method == "POST" and form.validate():
        position = max((s.position for s in item.sections), default=0) + 1
        item.sections.append(
            Section(position=position, title=form.title.data, intro=form.intro.data or "")
        )
        audit.record("section_added", item.slug, title=form.title.data)
        db.session.commit()
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
        return redirect(url_for("staff.consultation", consultation_id=section.consultation_id))
    return render_template(
        "staff/section_form.html",
        form=form,
        consultation=section.consultation,
        errors=form_errors(form),
    )


def _swap(items: list, index: int, step: int) -> None:
    """Swap the positions of two neighbours (via a temporary position, for the unique key)."""
    other = index + step
    if not 0 <= index < len(items) or not 0 <= other < len(items):
        return
    first, second = items[index], items[other]
    a, b = first.position, second.position
    first.position = -1
    db.session.flush()
    second.position = a
    db.session.flush()
    first.position = b


@bp.post("/sections/<int:section_id>/move")
@requires("build")
def move_section(section_id: int):
    section = db.get_or_404(Section, section_id)
    if not EmptyForm().validate():
        abort(400)
    sections = section.consultation.sections
    _swap(sections, sections.index(section), -1 if request.form.get("direction") == "up" else 1)
    audit.record("section_moved", section.consultation.slug, title=section.title)
    db.session.commit()
    return redirect(url_for("staff.consultation", consultation_id=section.consultation_id))


@bp.post("/sections/<int:section_id>/delete")
@requires("build")
def delete_section(section_id: int):
    section = db.get_or_404(Section, section_id)
    consultation = section.consultation
    if not EmptyForm().validate():
        abort(400)
    if has_responses(consultation):
        flash("Sections cannot be removed once responses have arrived.")
    else:
        audit.record("section_deleted", consultation.slug, title=section.title)
        db.session.delete(section)
        db.session.flush()
        for position, remaining in enumerate(
            sorted(consultation.sections, key=lambda s: s.position), start=1
        ):
            remaining.position = position
        db.session.commit()
    return redirect(url_for("staff.consultation", consultation_id=consultation.id))


def _options_from(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _check_question(form: QuestionForm) -> None:
    if (
        form.kind.data in ("single_choice", "multiple_choice")
        and len(_options_from(form.options.data)) < 2
    ):
        form.options.errors.append("Enter at least two options, one per line")


@bp.route("/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
@requires("build")
def new_question(section_id: int):
    section = db.get_or_404(Section, section_id)
    form = QuestionForm()
    if request.method == "POST" and form.validate():
        _check_question(form)
        if not form.options.errors:
            position = max((q.position for q in section.questions), default=0) + 1
            question = Question(
                position=position,
                kind=form.kind.data,
                text=form.text.data,
                hint=form.hint.data or "",
                required=form.required.data,
                max_length=form.max_length.data,
            )
            if question.kind in ("single_choice", "multiple_choice"):
                for index, label in enumerate(_options_from(form.options.data), start=1):
                    question.options.append(
                        Option(position=index, label=label, value=f"{_slugify(label)}_{index}")
                    )
            section.questions.append(question)
            if question.kind == "agreement" and form.with_why.data:
                section.questions.append(
                    Question(
                        position=position + 1,
                        kind="long_text",
                        text="Why do you say that?",
                        hint="",
                        required=False,
                        explains=question,
                    )
                )
            audit.record("question_added", section.consultation.slug, text=question.text)
            db.session.commit()
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
    locked = has_responses(section.consultation)
    form = QuestionForm(obj=question)
    if request.method == "GET":
        form.options.data = "\n".join(o.label for o in question.options)
    if request.method == "POST" and form.validate():
        _check_question(form)
        labels = _options_from(form.options.data)
        if locked and form.kind.data != question.kind:
            form.kind.errors.append("The kind cannot change once responses have arrived")
        if locked and question.options and len(labels) < len(question.options):
            form.options.errors.append("Options cannot be removed once responses have arrived")
        if not form.kind.errors and not form.options.errors:
            _apply_question_edit(question, form, labels, locked)
            db.session.commit()
            flash(
                "Question saved." + (" The old wording is kept in its history." if locked else "")
            )
            return redirect(url_for("staff.consultation", consultation_id=section.consultation_id))
    history = db.session.scalars(
        select(QuestionRevision)
        .where(QuestionRevision.question_id == question.id)
        .order_by(QuestionRevision.id)
    ).all()
    return render_template(
        "staff/question_form.html",
        form=form,
        section=section,
        question=question,
        locked=locked,
        history=history,
        errors=form_errors(form),
    )


def _apply_question_edit(
    question: Question, form: QuestionForm, labels: list[str], locked: bool
) -> None:
    changes = {"text": form.text.data, "hint": form.hint.data or ""}
    for field, new in changes.items():
        old = getattr(question, field)
        if old != new:
            if locked:
                db.session.add(
                    QuestionRevision(
                        question_id=question.id,
                        field=field,
                        old_value=old,
                        new_value=new,
                        changed_by=current_user.email,
                    )
                )
            setattr(question, field, new)
    question.kind = form.kind.data
    question.required = form.required.data
    question.max_length = form.max_length.data
    if question.kind in ("single_choice", "multiple_choice"):
        for index, label in enumerate(labels, start=1):
            if index <= len(question.options):
                option = question.options[index - 1]
                if option.label != label and locked:
                    db.session.add(
                        QuestionRevision(
                            question_id=question.id,
                            field=f"option {index}",
                            old_value=option.label,
                            new_value=label,
                            changed_by=current_user.email,
                        )
                    )
                option.label = label
            else:
                question.options.append(
                    Option(position=index, label=label, value=f"{_slugify(label)}_{index}")
                )
        if not locked:
            for option in question.options[len(labels) :]:
                db.session.delete(option)
    audit.record(
        "question_edited", question.section.consultation.slug, question=question.id, locked=locked
    )


@bp.post("/questions/<int:question_id>/move")
@requires("build")
def move_question(question_id: int):
    question = db.get_or_404(Question, question_id)
    if not EmptyForm().validate():
        abort(400)
    questions = question.section.questions
    _swap(questions, questions.index(question), -1 if request.form.get("direction") == "up" else 1)
    audit.record("question_moved", question.section.consultation.slug, question=question.id)
    db.session.commit()
    return redirect(url_for("staff.consultation", consultation_id=question.section.consultation_id))


@bp.post("/questions/<int:question_id>/delete")
@requires("build")
def delete_question(question_id: int):
    question = db.get_or_404(Question, question_id)
    section = question.section
    if not EmptyForm().validate():
        abort(400)
    if has_responses(section.consultation):
        flash("Questions cannot be removed once responses have arrived.")
    else:
        audit.record("question_deleted", section.consultation.slug, text=question.text)
        db.session.delete(question)
        db.session.flush()
        for position, remaining in enumerate(
            sorted(section.questions, key=lambda q: q.position), start=1
        ):
            remaining.position = position
        db.session.commit()
    return redirect(url_for("staff.consultation", consultation_id=section.consultation_id))


@bp.get("/consultations/<int:consultation_id>/preview/<int:position>")
@requires("reports")
def preview(consultation_id: int, position: int):
    """A section page exactly as partners see it, with nothing saved."""
    item = db.get_or_404(Consultation, consultation_id)
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
                flash("Imported as a draft.")
                return redirect(url_for("staff.consultation", consultation_id=consultation.id))
    errors = [("file", error)] if error else []
    return render_template("staff/import_definition.html", form=form, errors=errors), (
        400 if error else 200
    )
