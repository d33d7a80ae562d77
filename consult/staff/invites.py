"""Organisations and invitations pages: search, filter and page through organisations; add,
upload, change and delete them; invite and remind. The rules live in ``consult.organisations``
and ``consult.invitations``."""

from __future__ import annotations

from pathlib import Path

from flask import Response as HttpResponse
from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit
from .. import invitation_list as invitation_list_csv
from .. import invitation_ticks as ticks
from .. import invitations as invites_logic
from .. import organisations as directory
from ..edge import bounded_int, bounded_ints
from ..extensions import db
from ..filters import CHOSEN_FILTERS, unknown_filters
from ..models import Consultation, Organisation
from ..reference import AREA_LABELS, AREAS, INDIVIDUAL, PARTNER_TYPE_LABELS, PARTNER_TYPES
from . import batches, bp
from . import unknown_filters as unknown_filters_page
from .auth import safe_next
from .flashes import flash_error
from .forms import EmptyForm, OrganisationForm, UploadForm
from .kept_forms import first_showing
from .paging import Page, misplaced, page_number, paginate, pagination
from .permissions import requires
from .views import form_errors


def _search_from(values) -> directory.Search:
    """The search in a query string or form; unknown partner types and areas are ignored."""
    partner_type = values.get("partner_type", "")
    area = values.get("area", "")
    return directory.Search(
        text=values.get("q", "")[:200].strip(),
        partner_type=partner_type if partner_type in PARTNER_TYPE_LABELS else "",
        area=area if area in AREA_LABELS else "",
    )


# The invitations page's chosen-from-a-list filters; the organisations page has no status.
INVITATION_FILTERS = (
    ("status", "status", frozenset(invites_logic.FILTER_STATUSES)),
    *CHOSEN_FILTERS[1:],
)
ORGANISATION_FILTERS = CHOSEN_FILTERS[1:]


def _unknown(chosen=INVITATION_FILTERS) -> list[tuple[str, str]]:
    """(field id, message) for each filter value in the query string not known."""
    return unknown_filters(request.args, chosen)


def _refused(consultation: Consultation, unknown: list[tuple[str, str]], done: str, values=None):
    """An action on the invitations page's filters (in ``values``: the query string unless
    given) asked for with a value not known: a 400 page, the way back to the invitations
    page with the filters as asked."""
    values = request.args if values is None else values
    asked = {name: values.get(name, "")[:200] for name in ("q", "partner_type", "area", "status")}
    back = url_for(
        "staff.invitations",
        consultation_id=consultation.id,
        **{name: value for name, value in asked.items() if value},
    )
    return unknown_filters_page.refused(
        unknown, done, back, "Go back to the invitations and choose the filters again"
    )


def _search_from_request() -> directory.Search:
    """The search in the query string."""
    return _search_from(request.args)


def _query_args(search: directory.Search, **extra: str) -> dict[str, str]:
    args = {"q": search.text, "partner_type": search.partner_type, "area": search.area, **extra}
    return {key: value for key, value in args.items() if value}


def _page_number() -> int:
    return page_number(request.args.get("page"))


def _misplaced(page: Page) -> bool:
    """The query string asked for a page other than the one shown (see ``misplaced``)."""
    return misplaced(request.args.get("page"), page.number)


@bp.get("/organisations")
@requires("invite")
def organisations():
    """Organisations, 50 a page, found by name or email, partner type and area."""
    search = _search_from_request()
    unknown = _unknown(ORGANISATION_FILTERS)
    page = paginate(directory.listing(search), _page_number())
    args = _query_args(search)

    def href(number: int) -> str:
        return url_for("staff.organisations", **args, page=number)

    if _misplaced(page):
        return redirect(href(page.number))
    return render_template(
        "staff/organisations.html",
        page=page,
        pagination=pagination(page, href),
        search=search,
        here=href(page.number),
        partner_types=_filter_partner_types(search),
        areas=AREAS,
        partner_labels=PARTNER_TYPE_LABELS,
        area_labels=AREA_LABELS,
        form=EmptyForm(),
        errors=unknown,
    ), (400 if unknown else 200)


def _filter_partner_types(search: directory.Search) -> list[tuple[str, str]]:
    """The partner types the organisation filters offer: "Individual" (a partner answering
    for no organisation) only when the directory lists one, or it is the one asked for."""
    if search.partner_type == INDIVIDUAL or (
        db.session.scalar(
            select(Organisation.id).where(Organisation.partner_type == INDIVIDUAL).limit(1)
        )
        is not None
    ):
        return PARTNER_TYPES
    return [(value, label) for value, label in PARTNER_TYPES if value != INDIVIDUAL]


def _details(form: OrganisationForm) -> dict[str, str | None]:
    return {name: form[name].data for name in directory.FIELDS}


def _name_conflict(form: OrganisationForm, except_id: int | None = None) -> bool:
    """After the database refused a change: True (and the name field says so) when the
    name is now taken, i.e. someone added or renamed an organisation to it at the same
    moment, after the check before saving passed. Nothing was kept. False for any other
    refusal, which the caller re-raises for the 409 page on simultaneous changes."""
    db.session.rollback()
    if not directory.name_taken(form.name.data, except_id):
        return False
    form.name.errors.append(directory.NAME_TAKEN)
    return True


@bp.route("/organisations/new", methods=["GET", "POST"])
@requires("invite")
def new_organisation():
    """Add one organisation; added from a consultation's invitations page (``?invite_for=``,
    collect29 #7), back to that page, the new organisation found there, ready to tick."""
    form = OrganisationForm()
    inviting = _inviting_for()
    if request.method == "POST" and form.validate():
        if directory.name_taken(form.name.data):
            form.name.errors.append(directory.NAME_TAKEN)
        else:
            try:
                organisation = directory.add(_details(form))
                db.session.commit()
            except IntegrityError:
                if not _name_conflict(form):
                    raise
            else:
                if inviting is not None:
                    flash(f"Added {organisation.name}. Tick it below to invite it.", "success")
                    return redirect(
                        url_for(
                            "staff.invitations",
                            consultation_id=inviting.id,
                            q=organisation.name,
                            **_carried_args(),
                        )
                    )
                flash(f"Added {organisation.name}.", "success")
                return redirect(url_for("staff.organisations", q=organisation.name))
    return render_template(
        "staff/organisation_form.html",
        form=form,
        organisation=None,
        errors=form_errors(form),
        **_way_back(inviting),
    )


INVITE_FOR = "invite_for"


def _inviting_for() -> Consultation | None:
    """The consultation whose invitations page the organisation is being added from (its id
    in ``?invite_for=``), or None: from Organisations, or an id no consultation has."""
    number = bounded_int(request.args.get(INVITE_FOR), None)
    return db.session.get(Consultation, number) if number is not None else None


def _carried_args() -> dict[str, list[int]]:
    """The organisations ticked on the invitations page (``?chosen=``), for an address that
    goes back there: the ticks survive adding an organisation on the way (review29)."""
    chosen = ticks.carried(request.args.getlist(ticks.CHOSEN))
    return {ticks.CHOSEN: chosen} if chosen else {}


def _way_back(inviting: Consultation | None) -> dict[str, str]:
    """Where the form's Back link and Cancel go: the invitations page it came from (with
    the ticks carried there), else Organisations."""
    if inviting is None:
        return {"back_url": url_for("staff.organisations"), "back_text": "Back to organisations"}
    return {
        "back_url": url_for("staff.invitations", consultation_id=inviting.id, **_carried_args()),
        "back_text": "Back to invitations",
    }


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@requires("invite")
def edit_organisation(organisation_id: int):
    """Change an organisation's name, type, size, area or contact email."""
    organisation = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if first_showing():
        form.size_band.data = organisation.size_band or ""
    if request.method == "POST" and form.validate():
        if directory.name_taken(form.name.data, organisation.id):
            form.name.errors.append(directory.NAME_TAKEN)
        else:
            try:
                directory.change(organisation, _details(form))
                db.session.commit()
            except IntegrityError:
                if not _name_conflict(form, organisation_id):
                    raise
            else:
                flash(f"Saved {organisation.name}.", "success")
                return redirect(url_for("staff.organisations", q=organisation.name))
    return render_template(
        "staff/organisation_form.html",
        form=form,
        organisation=organisation,
        errors=form_errors(form),
    )


@bp.get("/organisations/<int:organisation_id>/delete")
@requires("invite")
def confirm_delete_organisation(organisation_id: int):
    """Are you sure? Says what happens to the invitations, or why it cannot be deleted."""
    organisation = db.get_or_404(Organisation, organisation_id)
    return render_template(
        "staff/organisation_delete.html",
        organisation=organisation,
        impact=directory.deletion(organisation),
        form=EmptyForm(),
    )


@bp.post("/organisations/<int:organisation_id>/delete")
@requires("invite")
def delete_organisation(organisation_id: int):
    """Delete an organisation: only from its confirmation page, never one with responses."""
    organisation = db.get_or_404(Organisation, organisation_id)
    if not EmptyForm().validate():
        abort(400)
    confirm_page = url_for("staff.confirm_delete_organisation", organisation_id=organisation.id)
    if request.form.get("confirmed") != "yes":
        return redirect(confirm_page)
    name = organisation.name
    impact = directory.delete(organisation)
    if not impact.allowed:
        return redirect(confirm_page)
    db.session.commit()
    flash(f"Deleted {name}.", "success")
    return redirect(url_for("staff.organisations"))


# Said once (the error summary and the field) when Upload is pressed with no file chosen.
CHOOSE_FILE = "Choose a CSV file to upload"


@bp.route("/organisations/upload", methods=["GET", "POST"])
@requires("invite")
def upload_organisations():
    """Add organisations from a CSV: every row checked first, then all or nothing."""
    form = UploadForm()
    problems: list[str] = []
    if request.method == "POST":
        upload = request.files.get("file")
        if not form.validate() or upload is None or not upload.filename:
            problems = [CHOOSE_FILE]
        else:
            data = upload.read()
            result = invites_logic.parse_organisations(data, upload.filename)
            problems = result.problems
            if not problems:
                try:
                    db.session.add_all(result.organisations)
                    audit.record(
                        "organisations_imported", upload.filename, count=len(result.organisations)
                    )
                    db.session.commit()
                except IntegrityError:
                    problems = _import_conflict(data, upload.filename)
                else:
                    flash(f"Added {len(result.organisations)} organisations.", "success")
                    return redirect(url_for("staff.organisations"))
    return render_template(
        "staff/organisations_upload.html",
        form=form,
        problems=problems,
        no_file=problems == [CHOOSE_FILE],
    ), (400 if problems else 200)


def _import_conflict(data: bytes, filename: str) -> list[str]:
    """Someone added some of the file's organisations while it was being imported, so the
    database refused the whole import: nothing was added. The file is checked again, so
    the report names the rows now already listed."""
    db.session.rollback()
    again = invites_logic.parse_organisations(data, filename).problems
    return [
        "Nothing was added: someone else added organisations at the same time.",
        *(again or ["Upload the file again."]),
    ]


@bp.post("/organisations/<int:organisation_id>/bounced")
@requires("invite")
def mark_bounced(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    if not EmptyForm().validate():
        abort(400)
    organisation.bounced = request.form.get("bounced") == "yes"
    audit.record("email_bounced" if organisation.bounced else "email_unbounced", organisation.name)
    db.session.commit()
    flash(
        f"{organisation.name}: email marked as "
        + ("bounced." if organisation.bounced else "working again."),
        "success",
    )
    back = request.form.get("back")
    return redirect(safe_next(back) if back else url_for("staff.organisations"))


def _status_from(values) -> str:
    status = values.get("status", "")
    return status if status in invites_logic.FILTER_STATUSES else ""


def _status_from_request() -> str:
    return _status_from(request.args)


def _invitations_url(consultation: Consultation, search: directory.Search, status: str) -> str:
    return url_for(
        "staff.invitations", consultation_id=consultation.id, **_query_args(search, status=status)
    )


# The invitations page's ticked boxes, for the error summary's link when none was ticked.
CHOOSE_ORGANISATIONS = "choose-organisations"


@bp.get("/consultations/<int:consultation_id>/invitations")
@requires("invite")
def invitations(consultation_id: int):
    """Every organisation's invitation status, 50 a page, with search and filters."""
    consultation = db.get_or_404(Consultation, consultation_id)
    search = _search_from_request()
    status = _status_from_request()
    unknown = _unknown()
    query = directory.matching(invites_logic.status_rows(consultation), search)
    query = invites_logic.with_status(query, status)
    page = paginate(query, _page_number(), scalars=False)
    args = _query_args(search, status=status)
    chosen = ticks.carried(request.args.getlist(ticks.CHOSEN))
    ticked = ticks.ticked_count(request.args.getlist(ticks.CHOSEN))

    def href(number: int) -> str:
        return url_for(
            "staff.invitations",
            consultation_id=consultation.id,
            **args,
            page=number,
            **({ticks.CHOSEN: chosen} if chosen else {}),
        )

    if _misplaced(page):
        return redirect(href(page.number))
    elsewhere = _organisations_in_order(
        ticks.ticked_elsewhere(chosen, (row[0].id for row in page.items))
    )
    # One ticked earlier that has sent its response since (or a hand-made address) cannot
    # be invited: it is not ticked or carried any more, and the page says so (review29).
    answered = invites_logic.already_submitted(consultation, elsewhere)
    if answered:
        gone = {organisation.id for organisation in answered}
        chosen = [number for number in chosen if number not in gone]
        elsewhere = [organisation for organisation in elsewhere if organisation.id not in gone]
    preview_subject, preview_body = invites_logic.preview_message(consultation, reminder=False)
    return render_template(
        "staff/invitations.html",
        preview_subject=preview_subject,
        preview_body=preview_body,
        consultation=consultation,
        page=page,
        pagination=pagination(page, href),
        search=search,
        status=status,
        statuses=[(s, s.capitalize()) for s in invites_logic.STATUSES],
        filter_statuses=[(s, s.capitalize()) for s in invites_logic.FILTER_STATUSES],
        counts=invites_logic.status_counts(consultation),
        to_remind=len(invites_logic.reminder_recipients(consultation, search, status)),
        to_invite=len(invites_logic.uninvited_matching(consultation, search, status)),
        args=args,
        here=href(page.number),
        batch=batches.new_id(),
        refusal=invites_logic.sending_refusal(consultation),
        reminder_refusal=invites_logic.reminder_refusal(consultation),
        partner_types=_filter_partner_types(search),
        areas=AREAS,
        form=EmptyForm(),
        partner_labels=PARTNER_TYPE_LABELS,
        errors=unknown,
        chosen=set(chosen),
        carried=chosen,
        max_carried=ticks.MAX_CARRIED,
        ticks_over_cap=ticks.over_cap(ticked) if ticked > ticks.MAX_CARRIED else "",
        ticked_elsewhere=elsewhere,
        ticked_answered=answered,
        ticked_summary=ticks.ticked_summary,
    ), (400 if unknown else 200)


def _organisations_in_order(ids: list[int]) -> list[Organisation]:
    """The organisations with these ids, in the order given (those deleted meanwhile left out)."""
    if not ids:
        return []
    found = {
        o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    }
    return [found[number] for number in ids if number in found]


@bp.get("/consultations/<int:consultation_id>/invitations.csv")
@requires("invite")
def invitation_list(consultation_id: int):
    """The invited organisations matching the invitations page's filters as a CSV
    (organisation, partner type, email, invited, reminded, status); recorded in the audit
    log, as it holds contact emails."""
    consultation = db.get_or_404(Consultation, consultation_id)
    unknown = _unknown()
    if unknown:
        return _refused(consultation, unknown, "Nothing was downloaded.")
    search = _search_from_request()
    status = _status_from_request()
    text = invitation_list_csv.csv_text(consultation, search, status)
    audit.record(
        "invitation_list_downloaded",
        consultation.slug,
        filters=_query_args(search, status=status) or "none",
    )
    db.session.commit()
    name = invitation_list_csv.filename(consultation)
    return HttpResponse(
        text,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/consultations/<int:consultation_id>/invitations/remind")
@requires("invite")
def confirm_reminders(consultation_id: int):
    """Are you sure? How many organisations (and which) a reminder goes to, with the email,
    before anything is sent. The invitations page's filters carry through."""
    return _confirm_sending(consultation_id, reminder=True)


@bp.get("/consultations/<int:consultation_id>/invitations/invite-all")
@requires("invite")
def confirm_invite_all(consultation_id: int):
    """Are you sure? Every organisation matching the invitations page's filters that has not
    been invited yet, with the email, before anything is sent: 375 organisations need not
    be ticked page by page."""
    return _confirm_sending(consultation_id, reminder=False)


def _refusal(consultation: Consultation, reminder: bool) -> str | None:
    """Why these reminders (or invitations) cannot go out now, or None."""
    if reminder:
        return invites_logic.reminder_refusal(consultation)
    return invites_logic.sending_refusal(consultation)


def _confirm_sending(consultation_id: int, reminder: bool):
    """The page that asks before reminders, or invitations to all matching, go out."""
    consultation = db.get_or_404(Consultation, consultation_id)
    unknown = _unknown()
    if unknown:
        return _refused(consultation, unknown, "Nothing was sent.")
    search = _search_from_request()
    status = _status_from_request()
    back = _invitations_url(consultation, search, status)
    refusal = _refusal(consultation, reminder)
    if refusal:
        flash_error(f"Nothing was sent. {refusal}")
        return redirect(back)
    recipients = (
        invites_logic.reminder_recipients(consultation, search, status)
        if reminder
        else invites_logic.uninvited_matching(consultation, search, status)
    )
    subject, body = invites_logic.preview_message(consultation, reminder=reminder)
    return render_template(
        "staff/confirm_sending.html",
        reminder=reminder,
        consultation=consultation,
        recipients=recipients,
        filtered=search.active or bool(status),
        args=_query_args(search, status=status),
        back=back,
        subject=subject,
        body=body,
        batch=batches.new_id(),
        form=EmptyForm(),
    )


@bp.get("/consultations/<int:consultation_id>/invitations/send")
@requires("invite")
def send_invitations_page(consultation_id: int):
    """The sending address opened directly (a bookmark, or Back after sending): nothing is
    sent; it leads to the invitations page, which says how to send."""
    consultation = db.get_or_404(Consultation, consultation_id)
    flash(
        "Nothing was sent. To send invitations, tick organisations below and press "
        "'Send invitations'. To remind organisations, use 'Send reminders'."
    )
    return redirect(url_for("staff.invitations", consultation_id=consultation.id))


@bp.post("/consultations/<int:consultation_id>/invitations/search")
@requires("invite")
def search_invitations(consultation_id: int):
    """The invitations page's search, sent by its "Apply filters" button through the page's
    own form with the boxes ticked on it (tidy30: the search form could not carry, without
    JavaScript, boxes ticked on the current results). Leads to the page the search asks for
    (a GET address, so results can still be linked to), the boxes ticked now carried in it:
    at most :data:`consult.invitation_ticks.MAX_CARRIED`, and the page says so when more
    were ticked. A filter value no list has is passed on, for the page to say so."""
    consultation = db.get_or_404(Consultation, consultation_id)
    if not EmptyForm().validate():
        abort(400)
    form = request.form
    boxes = form.getlist("organisation")
    chosen = ticks.carried(boxes)
    if ticks.ticked_count(boxes) > ticks.MAX_CARRIED:
        flash_error(ticks.over_cap(ticks.ticked_count(boxes)))
    filters = {name: form.get(name, "") for name in ("partner_type", "area", "status")}
    filters["q"] = form.get("q", "")[:200].strip()
    return redirect(
        url_for(
            "staff.invitations",
            consultation_id=consultation.id,
            **{name: value for name, value in filters.items() if value},
            **({ticks.CHOSEN: chosen} if chosen else {}),
        ),
        303,
    )


def _chosen(
    consultation: Consultation, reminder: bool, search: directory.Search, status: str
) -> list[Organisation]:
    if reminder:
        return invites_logic.reminder_recipients(consultation, search, status)
    if request.form.get("mode") == "invite_all":
        return invites_logic.uninvited_matching(consultation, search, status)
    ids = bounded_ints(request.form.getlist("organisation"))
    return list(db.session.scalars(select(Organisation).where(Organisation.id.in_(ids))).all())


@bp.post("/consultations/<int:consultation_id>/invitations/send")
@requires("invite")
def send_invitations(consultation_id: int):
    """Invite the chosen organisations (none that has submitted: nothing is sent if one is
    chosen), or (once confirmed) remind every organisation matching the filters that has not
    submitted; then redirect to the batch's summary, so
    Back and reload never send again. A batch id already used (a double-click) sends
    nothing and leads to that batch's summary."""
    consultation = db.get_or_404(Consultation, consultation_id)
    if not EmptyForm().validate():
        abort(400)
    form = request.form
    unknown = unknown_filters(form, INVITATION_FILTERS)
    if unknown:  # the page sends only values it knows: a stale or hand-made form
        return _refused(consultation, unknown, "Nothing was sent.", form)
    search = _search_from(form)
    status = _status_from(form)
    back = _invitations_url(consultation, search, status)
    reminder = form.get("mode") == "remind"
    args = _query_args(search, status=status)
    if reminder and form.get("confirmed") != "yes":
        return redirect(url_for("staff.confirm_reminders", consultation_id=consultation.id, **args))
    if form.get("mode") == "invite_all" and form.get("confirmed") != "yes":
        return redirect(
            url_for("staff.confirm_invite_all", consultation_id=consultation.id, **args)
        )
    batch_id = batches.valid_id(form.get("batch")) or batches.new_id()
    summary = url_for("staff.invitations_sent", consultation_id=consultation.id, batch_id=batch_id)
    if batches.read(batch_id) is not None:
        return redirect(summary)
    refusal = _refusal(consultation, reminder)
    if refusal:
        flash_error(f"Nothing was sent. {refusal}")
        return redirect(back)
    chosen = _chosen(consultation, reminder, search, status)
    if not chosen:
        if reminder:
            flash_error("Nobody to remind.")
        elif form.get("mode") == "invite_all":
            flash_error("Nothing was sent: every organisation matching your filters is invited.")
        else:
            flash_error("Choose at least one organisation to invite.", field=CHOOSE_ORGANISATIONS)
        return redirect(back)
    submitted = [] if reminder else invites_logic.already_submitted(consultation, chosen)
    if submitted:  # ticked boxes are not offered for them: a stale page or a forged form
        # Back with the others still ticked, those that submitted unticked (review29).
        gone = {organisation.id for organisation in submitted}
        still = [o.id for o in chosen if o.id not in gone]
        capped = f" {ticks.over_cap(len(still))}" if len(still) > ticks.MAX_CARRIED else ""
        still = still[: ticks.MAX_CARRIED]  # the address back must stay under the limit
        refused = invites_logic.submitted_refusal(submitted, unticked=True)
        flash_error(f"Nothing was sent. {refused}{capped}")
        return redirect(
            url_for(
                "staff.invitations",
                consultation_id=consultation.id,
                **args,
                **({ticks.CHOSEN: still} if still else {}),
            )
        )
    if not batches.claim(batch_id, consultation.id, reminder, back):
        return redirect(summary)
    try:
        issued = invites_logic.issue(consultation, chosen, reminder=reminder)
        merge = invites_logic.write_mail_merge(issued)
    except Exception:
        batches.release(batch_id)
        raise
    not_sent = [item.organisation for item in issued if item.delivered == "not sent"]
    audit.record(
        "reminders_sent" if reminder else "invitations_sent",
        consultation.slug,
        count=len(issued),
        not_sent=len(not_sent),
    )
    db.session.commit()
    batches.finish(batch_id, issued, merge.name)
    # No success banner: the page it goes to is headed with what happened and says it
    # (the banner repeated its first sentence word for word, smoke26p).
    return redirect(summary)


@bp.get("/consultations/<int:consultation_id>/invitations/sent/<batch_id>")
@requires("invite")
def invitations_sent(consultation_id: int, batch_id: str):
    """What one press of Send did: every link and what happened to its email (safe to
    reload or come back to: nothing is sent from here)."""
    consultation = db.get_or_404(Consultation, consultation_id)
    record = batches.read(batch_id)
    if record is None or record.get("consultation_id") != consultation.id:
        abort(404)
    issued = record.get("issued", [])
    delivered = [str(item.get("delivered", "")) for item in issued]
    back = record.get("back") or url_for("staff.invitations", consultation_id=consultation.id)
    return render_template(
        "staff/invitations_sent.html",
        consultation=consultation,
        sending=record.get("state") != "sent",
        issued=issued,
        merge_file=record.get("merge_file", ""),
        reminder=bool(record.get("reminder")),
        heading=invites_logic.issued_heading(delivered, bool(record.get("reminder"))),
        summary=invites_logic.delivered_summary(delivered, bool(record.get("reminder"))),
        not_sent=[item["organisation"] for item in issued if item["delivered"] == "not sent"],
        back=safe_next(back),
        outbox_days=current_app.config.get("OUTBOX_DAYS"),
    )


@bp.get("/outbox/<name>")
@requires("invite")
def outbox_file(name: str):
    """Download a mail-merge file written to the outbox."""
    if not invites_logic.MAIL_MERGE_NAME.fullmatch(name):
        abort(404)
    path = Path(current_app.instance_path) / "outbox" / name
    if not path.exists():
        abort(404)
    return send_file(path, mimetype="text/csv", as_attachment=True, download_name=name)
