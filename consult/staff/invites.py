"""Organisations and invitations pages."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from sqlalchemy import select

from .. import audit
from .. import invitations as invites_logic
from ..extensions import db
from ..models import Consultation, Invitation, Organisation
from ..reference import AREA_LABELS, PARTNER_TYPE_LABELS
from . import bp
from .auth import safe_next
from .forms import EmptyForm, OrganisationForm, UploadForm
from .permissions import requires
from .views import form_errors


def _organisations_page(form: OrganisationForm, upload: UploadForm, problems: list[str]):
    """The organisations list with its add-one form and CSV upload form."""
    listed = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template(
        "staff/organisations.html",
        form=form,
        organisations=listed,
        upload=upload,
        errors=form_errors(form),
        problems=problems,
        partner_labels=PARTNER_TYPE_LABELS,
        area_labels=AREA_LABELS,
    )


@bp.route("/organisations", methods=["GET", "POST"])
@requires("invite")
def organisations():
    """All organisations; add one."""
    form = OrganisationForm()
    if request.method == "POST" and form.validate():
        name = form.name.data.strip()
        if db.session.scalar(select(Organisation).where(Organisation.name == name)):
            form.name.errors.append("An organisation with that name is already listed")
        else:
            db.session.add(
                Organisation(
                    name=name,
                    partner_type=form.partner_type.data,
                    area=form.area.data,
                    size_band=form.size_band.data or None,
                    contact_email=form.contact_email.data or None,
                )
            )
            audit.record("organisation_added", name)
            db.session.commit()
            flash(f"Added {name}.")
            return redirect(url_for("staff.organisations"))
    return _organisations_page(form, UploadForm(), problems=[])


@bp.post("/organisations/upload")
@requires("invite")
def upload_organisations():
    """Add organisations from a CSV: every row checked first, then all or nothing."""
    form = UploadForm()
    upload = request.files.get("file")
    if not form.validate() or upload is None or not upload.filename:
        problems = ["Choose a CSV file to upload."]
    else:
        result = invites_logic.parse_organisations(upload.read(), upload.filename)
        problems = result.problems
        if not problems:
            db.session.add_all(result.organisations)
            audit.record("organisations_imported", upload.filename, count=len(result.organisations))
            db.session.commit()
            flash(f"Added {len(result.organisations)} organisations.")
            return redirect(url_for("staff.organisations"))
    return _organisations_page(OrganisationForm(formdata=None), form, problems), 400


@bp.post("/organisations/<int:organisation_id>/bounced")
@requires("invite")
def mark_bounced(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    if not EmptyForm().validate():
        abort(400)
    organisation.bounced = request.form.get("bounced") == "yes"
    audit.record("email_bounced" if organisation.bounced else "email_unbounced", organisation.name)
    db.session.commit()
    back = request.form.get("back")
    return redirect(safe_next(back) if back else url_for("staff.organisations"))


@bp.get("/consultations/<int:consultation_id>/invitations")
@requires("invite")
def invitations(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    listed = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    by_org = {
        i.organisation_id: i
        for i in db.session.scalars(
            select(Invitation).where(Invitation.consultation_id == consultation.id)
        ).all()
    }
    rows = [(o, by_org.get(o.id), invites_logic.status_of(by_org.get(o.id))) for o in listed]
    counts: dict[str, int] = {}
    for _, _, status in rows:
        counts[status] = counts.get(status, 0) + 1
    return render_template(
        "staff/invitations.html",
        consultation=consultation,
        rows=rows,
        counts=counts,
        form=EmptyForm(),
        issued=None,
        partner_labels=PARTNER_TYPE_LABELS,
    )


@bp.post("/consultations/<int:consultation_id>/invitations/send")
@requires("invite")
def send_invitations(consultation_id: int):
    """Invite the chosen organisations, or remind everyone who has not submitted."""
    consultation = db.get_or_404(Consultation, consultation_id)
    if not EmptyForm().validate():
        abort(400)
    reminder = request.form.get("mode") == "remind"
    if reminder:
        chosen = [
            i.organisation
            for i in db.session.scalars(
                select(Invitation).where(Invitation.consultation_id == consultation.id)
            ).all()
            if invites_logic.status_of(i) != "submitted" and not i.organisation.bounced
        ]
    else:
        ids = [int(v) for v in request.form.getlist("organisation") if v.isdigit()]
        chosen = db.session.scalars(select(Organisation).where(Organisation.id.in_(ids))).all()
    if not chosen:
        flash("Choose at least one organisation." if not reminder else "Nobody to remind.")
        return redirect(url_for("staff.invitations", consultation_id=consultation.id))
    issued = invites_logic.issue(consultation, list(chosen), reminder=reminder)
    merge = invites_logic.write_mail_merge(issued)
    not_sent = [item.organisation for item in issued if item.delivered == "not sent"]
    audit.record(
        "reminders_sent" if reminder else "invitations_sent",
        consultation.slug,
        count=len(issued),
        not_sent=len(not_sent),
    )
    db.session.commit()
    return render_template(
        "staff/invitations_sent.html",
        consultation=consultation,
        issued=issued,
        merge_file=merge.name,
        reminder=reminder,
        not_sent=not_sent,
    )


@bp.get("/outbox/<name>")
@requires("invite")
def outbox_file(name: str):
    """Download a mail-merge file written to the outbox."""
    if "/" in name or not name.startswith("mail-merge-") or not name.endswith(".csv"):
        abort(404)
    path = Path(current_app.instance_path) / "outbox" / name
    if not path.exists():
        abort(404)
    return send_file(path, mimetype="text/csv", as_attachment=True, download_name=name)
