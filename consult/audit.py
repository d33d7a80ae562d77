"""The audit log: append-only records of sign-ins, builder changes, exports, deletions,
imports and role changes."""

from __future__ import annotations

import json
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event

from .extensions import db
from .models import AuditEvent


def record(action: str, target: str = "", actor: str | None = None, **detail: Any) -> None:
    """Add an audit event to the session (committed with the change it describes)."""
    user = current_user if has_request_context() else None
    signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
    db.session.add(
        AuditEvent(
            user_id=user.id if signed_in else None,
            actor=actor if actor is not None else (user.email if signed_in else ""),
            action=action,
            target=target,
            detail=json.dumps(detail, sort_keys=True, default=str) if detail else "",
            address=(request.remote_addr or "") if has_request_context() else "cli",
        )
    )


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _append_only(mapper, connection, target) -> None:  # pragma: no cover - a guard
    raise PermissionError("the audit log is append-only")
