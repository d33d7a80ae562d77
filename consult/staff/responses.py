"""Responses: list with filters, one in full, removal on request, exports and imports."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from pathlib import Path

from flask import Response as HttpResponse
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import func, select

from .. import audit, exports, imports, retention
from ..extensions import db
from ..filters import SUBMITTED, ResponseFilter, listed_time, unknown_filters
from ..import_gaps import ACCEPTED as GAPS_ACCEPTED
from ..import_gaps import find_gaps
from ..import_problems import LINES_SHOWN
from ..models import Consultation, Response
from ..reference import AREA_LABELS, AREAS, PARTNER_TYPE_LABELS, PARTNER_TYPES
from ..reports.coded import response_coding
from ..survey import about, journey, review
from ..templating import form_errors
from ..wording import plural
from . import bp
from . import unknown_filters as unknown_filters_page
from .forms import EmptyForm, ReasonForm, UploadForm
from .paging import misplaced, page_number
from .permissions import requires

PAGE_SIZE = 50
# The names import_responses gives uploads (24 hex digits and a suffix); nothing else is read.
UPLOAD_NAME = re.compile(r"[0-9a-f]{24}\.(csv|xlsx|json|jsonl)")


@bp.get("/consultations/<int:consultation_id>/responses")
@requires("responses")
def responses(consultation_id: int):
    """Responses with filters: status, partner type, area, dates and text; newest first."""
    consultation = db.get_or_404(Consultation, consultation_id)
    selection = ResponseFilter.from_args(request.args)
    unknown = unknown_filters(request.args)
    query = select(Response).where(
        Response.consultation_id == consultation.id, *selection.conditions()
    )
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page_number(request.args.get("page")), pages)
    if misplaced(request.args.get("page"), page):
        wanted = {**selection.query_args(), "page": str(page)}
        for name in ("from", "to"):  # a date that is not one stays, so the page says so
            raw = (request.args.get(name) or "").strip()
            if raw and name not in wanted:
                wanted[name] = raw[:40]
        for name, _ in unknown:  # and so does a value not known
            wanted[name] = (request.args.get(name) or "").strip()[:40]
        return redirect(url_for("staff.responses", consultation_id=consultation.id, **wanted))
    # Newest first by when each was submitted (a draft: last saved); the id breaks ties, so
    # a response is on one page only however many share a time.
    order = (listed_time().desc(), Response.id.desc())
    found = db.session.scalars(
        query.order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "staff/responses.html",
        consultation=consultation,
        found=found,
        detail_args=list_args(selection, page),
        total=total,
        page=page,
        pages=pages,
        args=request.args,
        selection=selection,
        partner_types=PARTNER_TYPES,
        areas=AREAS,
        partner_labels=PARTNER_TYPE_LABELS,
        responding_as=about.responding_as,
        responding_as_heading=about.STAFF_RESPONDING_AS,
        type_heading=about.STAFF_TYPE_HEADING,
        staff_type=about.staff_type,
        no_type=about.STAFF_NO_TYPE,
        area_labels=AREA_LABELS,
        errors=unknown,
    ), (400 if unknown else 200)


@bp.get("/responses/<int:response_id>")
@requires("responses")
def response_detail(response_id: int):
    item = db.get_or_404(Response, response_id)
    return _response_page(item, ReasonForm(), back=list_back(item, request.args))


# The Responses page's query-string names a response's link carries (the filters and page).
LIST_ARGS = ("status", "partner_type", "area", "from", "to", "q", "page")


def list_args(selection: ResponseFilter, page: int) -> dict[str, str]:
    """What a response's link on the Responses page carries, so its page can lead back to
    the same filtered list (smoke34: an officer who filtered to six responses and opened one
    was led back to all 276): the filters and the page, or nothing for the plain list."""
    carried = selection.query_args()
    if page > 1:
        carried["page"] = str(page)
    return {} if carried == SUBMITTED.query_args() else carried


def list_back(item: Response, args: Mapping[str, str]) -> str | None:
    """The filtered Responses list a response was opened from (its link's query string),
    or None when it came with none (the caption's link leads to the plain list)."""
    if not any(name in args for name in LIST_ARGS):
        return None
    carried = list_args(ResponseFilter.from_args(args), page_number(args.get("page")))
    return url_for("staff.responses", consultation_id=item.consultation_id, **carried)


def _response_page(
    item: Response, form: ReasonForm, mode_error: str | None = None, back: str | None = None
):
    errors = form_errors(form) + ([("mode-anonymise", mode_error)] if mode_error else [])
    return render_template(
        "staff/response.html",
        response=item,
        consultation=item.consultation,
        back=back,
        organisation_rows=review.organisation_rows(item, staff=True),
        organisation_title=about.staff_title(item.partner_type),
        sections=review.staff_sections(item),
        coding=response_coding(item),
        # sent by the open link (or imported) under an invited organisation's name: maybe a
        # second response from it (left27; the dashboard counts these too)
        invited_namesake=journey.invited_namesake(item),
        form=form,
        mode=request.form.get("mode") if request.method == "POST" else None,
        mode_error=mode_error,
        errors=errors,
    ), (400 if errors else 200)


REMOVAL_MODES = ("anonymise", "delete")
CHOOSE_MODE = "Choose whether to anonymise the response or delete it"


@bp.get("/responses/<int:response_id>/remove")
@requires("responses")
def remove_response_page(response_id: int):
    """The removal's address opened (back after confirming the password, a reload of the
    confirmation page): its form is on the response page."""
    item = db.get_or_404(Response, response_id)
    return redirect(url_for("staff.response_detail", response_id=item.id))


@bp.post("/responses/<int:response_id>/remove")
@requires("delete", fresh=True)
def remove_response(response_id: int):
    """Delete or anonymise one response on the respondent's request, with a reason: the
    response page's form leads to a confirmation page saying exactly what will go, and only
    its "Yes" removes anything (it cannot be undone)."""
    item = db.get_or_404(Response, response_id)
    form = ReasonForm()
    mode = request.form.get("mode")
    valid = form.validate()
    if not valid or mode not in REMOVAL_MODES:
        if form.csrf_token.errors:
            abort(400)
        return _response_page(item, form, None if mode in REMOVAL_MODES else CHOOSE_MODE)
    if request.form.get("confirmed") != "yes":
        return render_template(
            "staff/confirm_response_removal.html",
            response=item,
            consultation=item.consultation,
            mode=mode,
            reason=form.reason.data,
            removal=retention.describe_removal(item, mode),
            form=EmptyForm(),
        )
    consultation_id = item.consultation_id
    reference = item.reference
    retention.remove(item, mode, form.reason.data)
    db.session.commit()
    flash(f"Response {reference} {'deleted' if mode == 'delete' else 'anonymised'}.", "success")
    return redirect(url_for("staff.responses", consultation_id=consultation_id))


@bp.get("/consultations/<int:consultation_id>/export.<fmt>")
@requires("export", fresh=True)
def export_responses(consultation_id: int, fmt: str):
    """The responses the Responses page's filters select, as CSV, XLSX or JSON, streamed;
    the audit log records the export once it has been sent in full."""
    if fmt not in exports.FORMATS:
        abort(404)
    consultation = db.get_or_404(Consultation, consultation_id)
    unknown = unknown_filters(request.args)
    if unknown:
        return _export_refused(consultation, unknown)
    export = exports.plan(consultation, ResponseFilter.from_args(request.args))
    return HttpResponse(
        exports.stream(export, fmt, db.engine, audit.current_actor()),
        content_type=exports.FORMATS[fmt].mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{export.slug}-responses.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


# The Responses page's filters in its form's order, as the query string names them.
FILTER_NAMES = ("status", "partner_type", "area", "q", "from", "to")


def _export_refused(consultation: Consultation, unknown: list[tuple[str, str]]):
    """The 400 page of an export asked for with a filter value the service does not know:
    which one, and the way back to the Responses page with the filters as asked (where the
    error summary links to the field)."""
    asked = {name: request.args.get(name, "")[:200] for name in FILTER_NAMES}
    back = url_for(
        "staff.responses",
        consultation_id=consultation.id,
        **{name: value for name, value in asked.items() if value},
    )
    return unknown_filters_page.refused(
        unknown,
        "Nothing was exported.",
        back,
        "Go back to the responses and choose the filters again",
    )


def _upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@bp.route("/consultations/<int:consultation_id>/import", methods=["GET", "POST"])
@requires("import")
def import_responses(consultation_id: int):
    """Step 1: upload another tool's CSV or XLSX export, a JSON Lines file or this service's
    own JSON export."""
    consultation = db.get_or_404(Consultation, consultation_id)
    form = UploadForm()
    problem = None
    if request.method == "POST" and form.validate():
        upload = request.files.get("file")
        filename = (upload.filename or "") if upload else ""
        head = upload.stream.read(imports.HEAD_BYTES) if upload else b""
        if upload:
            upload.stream.seek(0)
        problem = imports.upload_problem(filename, head)
        if problem is None:
            name = secrets.token_hex(12) + Path(filename).suffix.lower()
            upload.save(_upload_folder() / name)
            try:
                imports.read_upload(str(_upload_folder() / name))
            except imports.InputError as error:
                imports.discard_upload(_upload_folder() / name)
                problem = f"The file cannot be read: {error}."
            else:
                return redirect(
                    url_for("staff.map_import", consultation_id=consultation.id, upload=name)
                )
    return render_template(
        "staff/import_upload.html", consultation=consultation, form=form, problem=problem
    ), (400 if problem else 200)


@bp.route("/consultations/<int:consultation_id>/import/<upload>", methods=["GET", "POST"])
@requires("import")
def map_import(consultation_id: int, upload: str):
    """Step 2: map columns to questions; check every row; import all rows or none."""
    consultation = db.get_or_404(Consultation, consultation_id)
    if not UPLOAD_NAME.fullmatch(upload):
        abort(404)
    path = _upload_folder() / upload
    if not path.is_file():
        abort(404)

    def unreadable(error: imports.InputError):
        imports.discard_upload(path)
        return render_template(
            "staff/import_upload.html",
            consultation=consultation,
            form=UploadForm(),
            problem=f"The file cannot be read: {error}.",
        ), 400

    problems: list[str] = []
    problem_rows = 0
    cause = ""
    if request.method != "POST":
        try:
            table = imports.read_upload(str(path))
        except imports.InputError as error:
            return unreadable(error)
        matched = imports.match_columns(consultation, table.columns)
        mapping: dict[str, str] = dict(matched.mapping)  # from the headings' match
    else:
        if not EmptyForm().validate():
            abort(400)
        # The claim is taken before the file is read (review fixr17b #8): a second click read
        # it while the first imported and deleted it ("no such file"), or wrote its checked
        # copy again after the deletion, leaving respondents' answers on disk.
        with imports.claim_upload(path) as claimed:
            if not claimed:
                abort(409)  # another request has been importing this file for a while
            if not path.is_file():  # another request (a double click) imported it meanwhile
                flash("This file has been imported: its responses are listed here.", "success")
                return redirect(url_for("staff.responses", consultation_id=consultation.id))
            try:
                table = imports.read_upload(str(path))
            except imports.InputError as error:
                return unreadable(error)
            matched = imports.match_columns(consultation, table.columns)
            targets = [
                *imports.ORGANISATION_FIELDS,
                *(q.field_name for q in consultation.questions),
            ]
            mapping = {key: request.form.get(key, "") for key in targets}
            plan = imports.plan_import(consultation, table, mapping)
            problems, problem_rows, cause = plan.problems, plan.problem_rows, plan.cause
            if not problems:
                audit.record(
                    "responses_imported", consultation.slug, rows=len(plan.responses), file=upload
                )
                count = imports.commit_import(plan)
                imports.discard_upload(path)
                gaps = plan.gaps.words()
                flash(
                    f"Imported {plural(count, 'response')}." + (f" {gaps}" if gaps else ""),
                    "success",
                )
                return redirect(url_for("staff.responses", consultation_id=consultation.id))
            db.session.rollback()
            audit.record("import_rejected", consultation.slug, problems=len(problems), file=upload)
            db.session.commit()
    return render_template(
        "staff/import_map.html",
        consultation=consultation,
        table=table,
        fields=imports.ORGANISATION_FIELDS,
        mapping=mapping,
        matched=matched,
        problems=problems,
        problem_rows=problem_rows,
        cause=cause,
        lines_shown=LINES_SHOWN,
        form=EmptyForm(),
        sample=table.rows[:3],
        gaps=find_gaps(consultation, table, mapping),
        gaps_accepted=GAPS_ACCEPTED,
    ), (400 if problems else 200)
