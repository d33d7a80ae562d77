"""Staff home, users and the audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from .. import audit
from ..extensions import db
from ..models import AuditEvent, Consultation, Invitation, Response, User
from ..templating import form_errors
from . import accounts, bp
from .flashes import flash_error
from .forms import RoleForm, UserForm
from .paging import misplaced, page_number, paginate, pagination
from .permissions import ROLE_LABELS, requires


@bp.get("/")
@requires("reports")
def home():
    """Every consultation with its response counts."""
    consultations = db.session.scalars(
        select(Consultation).order_by(Consultation.created_at.desc(), Consultation.id.desc())
    ).all()
    counts = dict(
        db.session.execute(
            select(Response.consultation_id, func.count(Response.id))
            .where(Response.status == "submitted")
            .group_by(Response.consultation_id)
        ).all()
    )
    invited = dict(
        db.session.execute(
            select(Invitation.consultation_id, func.count(Invitation.id)).group_by(
                Invitation.consultation_id
            )
        ).all()
    )
    return render_template(
        "staff/home.html", consultations=consultations, counts=counts, invited=invited
    )


@bp.route("/users", methods=["GET", "POST"])
@requires("users")
def users():
    """List users and add one."""
    form = UserForm()
    if request.method == "POST" and form.validate():
        try:
            user = accounts.create_user(
                form.email.data, form.role.data, form.password.data, form.name.data or ""
            )
        except ValueError as error:
            form.email.errors.append(str(error).capitalize())
        else:
            audit.record("user_created", user.email, role=user.role)
            db.session.commit()
            flash(f"Added {user.email} as {user.role}.", "success")
            return redirect(url_for("staff.users"))
    people = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template(
        "staff/users.html",
        form=form,
        people=people,
        roles=ROLE_LABELS,
        role_form=RoleForm(),
        errors=form_errors(form),
    )


@bp.post("/users/<int:user_id>/role")
@requires("users")
def change_role(user_id: int):
    """Change a user's role (recorded in the audit log)."""
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate():
        if user.id == current_user.id and form.role.data != "admin":
            flash_error("You cannot remove your own admin role.", field=f"role-{user.id}")
        elif user.role != form.role.data:
            audit.record("role_changed", user.email, old=user.role, new=form.role.data)
            user.role = form.role.data
            db.session.commit()
            flash(f"{user.email} is now {user.role}.", "success")
        else:
            flash(f"{user.email} is already {user.role}: nothing changed.")
    return redirect(url_for("staff.users"))


@bp.get("/audit")
@requires("audit")
def audit_log():
    """The audit log, newest first, 50 a page, filterable by action."""
    actions = db.session.scalars(
        select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).all()
    action = request.args.get("action", "")
    action = action if action in actions else ""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    page = paginate(query, page_number(request.args.get("page")))
    args = {"action": action} if action else {}

    def href(number: int) -> str:
        return url_for("staff.audit_log", **args, page=number)

    if misplaced(request.args.get("page"), page.number):
        return redirect(href(page.number))
    return render_template(
        "staff/audit.html",
        page=page,
        pagination=pagination(page, href),
        actions=[(a, audit.action_label(a)) for a in actions],
        action=action,
        readable=audit.readable,
        action_label=audit.action_label,
    )
