"""Every staff route (staff.* and reports.*) needs sign-in and the right role: proven by
walking app.url_map."""

from __future__ import annotations

import time

import pytest

from consult.models import AuditEvent
from consult.staff.permissions import PERMISSIONS
from tests.helpers import hidden_fields, make_consultation, make_invitation, soup
from tests.staff_helpers import PASSWORD, make_user, signed_in

SAMPLE_VALUES = {"fmt": "csv", "upload": "missing.csv", "name": "mail-merge-x.csv"}

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def staff_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("staff.", "reports.")):
            yield rule


def build_url(rule) -> str:
    values = {arg: SAMPLE_VALUES.get(arg, 1) for arg in rule.arguments}
    return rule.build(values)[1]


def method_of(rule) -> str:
    return "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"


@pytest.fixture
def world(app):
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF is tested on its own; here: roles
    consultation = make_consultation()
    make_invitation(consultation)
    return consultation


def test_every_staff_route_declares_a_permission(app):
    for rule in staff_rules(app):
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "permission"), f"{rule.rule} has no @requires or @public"
        if view.permission is None:
            assert rule.endpoint in {
                "staff.sign_in",
                "staff.sign_out",
                "staff.session_time",
                "staff.session_ended",
                "staff.keep_alive",
            }, rule.rule


def test_anonymous_is_sent_to_sign_in_everywhere(app, world, client):
    for rule in staff_rules(app):
        if app.view_functions[rule.endpoint].permission is None:
            continue
        response = client.open(build_url(rule), method=method_of(rule))
        assert response.status_code == 302, rule.rule
        assert "/staff/sign-in" in response.headers["Location"], rule.rule


@pytest.mark.parametrize("role", sorted(PERMISSIONS))
def test_role_matrix(app, world, role):
    client = signed_in(app, role)
    for rule in staff_rules(app):
        permission = app.view_functions[rule.endpoint].permission
        if permission is None or rule.endpoint == "staff.sign_out":
            continue
        response = client.open(build_url(rule), method=method_of(rule))
        if permission in PERMISSIONS[role]:
            assert response.status_code != 403, (role, rule.rule)
            assert response.status_code < 500, (role, rule.rule)
        else:
            assert response.status_code == 403, (role, rule.rule, response.status_code)


def test_sign_in_failure_throttle_and_audit(app, client):
    make_user("editor")
    page = client.get("/staff/sign-in")
    for _ in range(5):
        wrong = client.post(
            "/staff/sign-in",
            data={
                **hidden_fields(page),
                "email": "editor@example.org",
                "password": "wrong password!",
            },
        )
        assert "not right" in wrong.get_data(as_text=True)
    blocked = client.post(
        "/staff/sign-in",
        data={**hidden_fields(page), "email": "editor@example.org", "password": PASSWORD},
    )
    assert blocked.status_code == 429
    actions = [e.action for e in AuditEvent.query.order_by(AuditEvent.id)]
    assert actions.count("sign_in_failed") == 5 and "sign_in_throttled" in actions


def test_throttle_per_address_across_accounts(app, client):
    page = client.get("/staff/sign-in")
    for number in range(20):
        client.post(
            "/staff/sign-in",
            data={
                **hidden_fields(page),
                "email": f"guess{number}@example.org",
                "password": "nope nope nope",
            },
        )
    make_user("viewer")
    blocked = client.post(
        "/staff/sign-in",
        data={**hidden_fields(page), "email": "viewer@example.org", "password": PASSWORD},
    )
    assert blocked.status_code == 429


def test_successful_sign_in_is_audited_and_redirects_safely(app, client):
    make_user("viewer")
    page = client.get("/staff/sign-in?next=//evil.example/")
    done = client.post(
        "/staff/sign-in?next=//evil.example/",
        data={**hidden_fields(page), "email": "viewer@example.org", "password": PASSWORD},
    )
    assert done.headers["Location"] == "/staff/"
    assert AuditEvent.query.filter_by(action="sign_in").count() == 1


def test_idle_session_expires(app):
    client = signed_in(app, "viewer")
    assert client.get("/staff/").status_code == 200
    with client.session_transaction() as session:
        session["staff_seen"] = time.time() - app.config["STAFF_IDLE_SECONDS"] - 1
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]
    assert client.get("/staff/").status_code == 302  # signed out for good


def test_export_and_delete_need_the_password_again(app):
    consultation = make_consultation()
    client = signed_in(app, "admin")
    with client.session_transaction() as session:
        session["reauth_at"] = time.time() - app.config["STAFF_REAUTH_SECONDS"] - 1
    url = f"/staff/consultations/{consultation.id}/export.csv"
    response = client.get(url)
    assert response.status_code == 302 and "/staff/confirm-password" in response.headers["Location"]
    confirm = client.get(response.headers["Location"])
    wrong = client.post(
        response.headers["Location"], data={**hidden_fields(confirm), "password": "not it at all"}
    )
    assert "not right" in wrong.get_data(as_text=True)
    right = client.post(
        response.headers["Location"], data={**hidden_fields(confirm), "password": PASSWORD}
    )
    ready = client.get(right.headers["Location"])
    assert soup(ready).find(id="download-again").find("a")["href"] == url
    assert client.get(url).status_code == 200


def test_audit_log_is_append_only(app):
    from consult import audit
    from consult.extensions import db

    audit.record("test_event", "x", actor="tester")
    db.session.commit()
    event = AuditEvent.query.one()
    event.action = "changed"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(PermissionError):
        db.session.delete(AuditEvent.query.one())
        db.session.commit()
    db.session.rollback()


def test_staff_forms_need_csrf(app):
    client = signed_in(app, "admin")
    response = client.post(
        "/staff/users",
        data={"email": "x@example.org", "role": "viewer", "password": "long enough password"},
    )
    assert response.status_code == 400
