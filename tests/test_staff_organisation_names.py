"""One organisation a name, held by the database: two people adding the same name (by the
form or the CSV import) at the same moment store it once, and the one who lost the race is
told why; the migration that adds the unique index first merges duplicates already stored,
without losing a response or a working link.

The races are real: two threads post through the app to the real database (SQLite file or
PostgreSQL server), and a barrier holds each one just before it commits, after the app's own
"is the name taken?" check has passed for both, which is the interleaving that stored two
rows before the index existed."""

from __future__ import annotations

import contextlib
import io
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from consult import create_app
from consult.extensions import db
from consult.models import AuditEvent, Organisation, organisation_key, utcnow
from consult.tokens import hash_token
from tests.conftest import postgres_url, reset_postgres
from tests.helpers import hidden_fields, soup
from tests.staff_helpers import PASSWORD, make_user

pytestmark = [
    pytest.mark.backends("sqlite", "postgresql"),
    pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning"),
]

BEFORE = "codingbeat01"  # the migration before the unique index


def signed_in_client(app, email: str):
    client = app.test_client()
    page = client.get("/staff/sign-in")
    done = client.post(
        "/staff/sign-in", data={**hidden_fields(page), "email": email, "password": PASSWORD}
    )
    assert done.status_code == 302
    return client


class CommitBarrier:
    """Hold every commit that adds an organisation until ``parties`` threads reach it, so
    each has passed its own check of the name before any of them has stored it."""

    def __init__(self, parties: int) -> None:
        self.barrier = threading.Barrier(parties, timeout=20)

    def _hold(self, session: Session) -> None:
        if any(isinstance(item, Organisation) for item in session.new):
            # (broken: the other thread finished without committing; carry on)
            with contextlib.suppress(threading.BrokenBarrierError):
                self.barrier.wait()

    def __enter__(self) -> CommitBarrier:
        event.listen(Session, "before_commit", self._hold)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(Session, "before_commit", self._hold)


def race(*posts) -> list:
    """Run each post (a function returning a response) in its own thread at once."""
    results: list = [None] * len(posts)
    errors: list[BaseException] = []

    def run(index, post):
        try:
            results[index] = post()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(posts)]
    with CommitBarrier(len(posts)):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not errors, errors
    return results


def stored_like(name: str) -> list[str]:
    db.session.remove()
    names = db.session.scalars(select(Organisation.name)).all()
    return [n for n in names if " ".join(n.split()).lower() == " ".join(name.split()).lower()]


def add_form_post(client, name: str):
    page = client.get("/staff/organisations/new")
    data = {
        **hidden_fields(page),
        "name": name,
        "partner_type": "business",
        "area": "coventry",
        "size_band": "small",
        "contact_email": "",
    }
    return lambda: client.post("/staff/organisations/new", data=data)


def upload_post(client, rows: bytes):
    page = client.get("/staff/organisations/upload")
    data = {**hidden_fields(page), "file": (io.BytesIO(rows), "orgs.csv")}
    return lambda: client.post("/staff/organisations/upload", data=data)


def test_two_simultaneous_additions_of_one_name_store_it_once(app):
    first = signed_in_client(app, make_user("editor", "one@example.org").email)
    second = signed_in_client(app, make_user("editor", "two@example.org").email)
    answers = race(add_form_post(first, "Acme Ltd"), add_form_post(second, "  ACME   ltd "))
    assert stored_like("Acme Ltd") and len(stored_like("Acme Ltd")) == 1
    assert sorted(a.status_code for a in answers) == [200, 302]
    refused = next(a for a in answers if a.status_code == 200)
    page = soup(refused)
    assert "An organisation with that name is already listed" in page.get_text()
    assert page.find("input", attrs={"name": "name"})["value"].strip() in ("ACME   ltd", "Acme Ltd")
    added = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "organisation_added")
    ).all()
    assert len(added) == 1  # the refused addition left nothing behind


def test_an_import_racing_the_form_adds_nothing_and_names_the_row(app):
    editor = signed_in_client(app, make_user("editor", "one@example.org").email)
    importer = signed_in_client(app, make_user("editor", "two@example.org").email)
    rows = (
        b"name,partner_type,area,contact_email\n"
        b"Brand New Org,business,coventry,a@new.example\n"
        b"acme ltd,business,coventry,b@acme.example\n"
    )
    answers = race(add_form_post(editor, "Acme Ltd"), upload_post(importer, rows))
    statuses = sorted(a.status_code for a in answers)
    assert len(stored_like("Acme Ltd")) == 1
    if statuses == [302, 400]:  # the form won: the import says which row and adds nothing
        problems = soup(answers[1]).find(id="upload-problems").get_text(" ")
        assert "someone else added organisations at the same time" in problems
        assert (
            "Row 3 (line 3 of the file): 'acme ltd' is already in the list of organisations"
            in problems
        )
        assert stored_like("Brand New Org") == []
    else:  # the import won: the form says the name is listed
        assert statuses == [200, 302]
        assert "An organisation with that name is already listed" in answers[0].get_data(
            as_text=True
        )
        assert stored_like("Brand New Org") == ["Brand New Org"]


def test_renaming_onto_a_name_added_at_the_same_moment_is_refused(app):
    other = Organisation(name="Old Name", partner_type="business", area="coventry")
    db.session.add(other)
    db.session.commit()
    renamer = signed_in_client(app, make_user("editor", "one@example.org").email)
    adder = signed_in_client(app, make_user("editor", "two@example.org").email)
    url = f"/staff/organisations/{other.id}/edit"
    page = renamer.get(url)
    data = {
        **hidden_fields(page),
        "name": "Shared Name",
        "partner_type": "business",
        "area": "coventry",
        "size_band": "",
        "contact_email": "",
    }

    class HoldRename(CommitBarrier):
        def _hold(self, session: Session) -> None:
            if any(isinstance(i, Organisation) for i in [*session.new, *session.dirty]):
                with contextlib.suppress(threading.BrokenBarrierError):
                    self.barrier.wait()

    results: dict[str, object] = {}
    threads = [
        threading.Thread(target=lambda: results.update(rename=renamer.post(url, data=data))),
        threading.Thread(target=lambda: results.update(add=add_form_post(adder, "shared name")())),
    ]
    with HoldRename(2):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert len(stored_like("Shared Name")) == 1
    codes = sorted(r.status_code for r in results.values())
    assert codes == [200, 302]
    refused = next(r for r in results.values() if r.status_code == 200)
    assert "An organisation with that name is already listed" in refused.get_data(as_text=True)


def test_the_name_key_follows_every_change_of_name(app):
    organisation = Organisation(name=" Ça\u00a0Va  ÉCOLE ", partner_type="school", area="coventry")
    db.session.add(organisation)
    db.session.commit()
    assert organisation.name_key == "ça va école"
    organisation.name = "Straße"
    db.session.commit()
    assert organisation.name_key == organisation_key("STRASSE") == "strasse"
    db.session.add(Organisation(name="strasse ", partner_type="school", area="coventry"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


# The migration, on a database that already holds duplicates.


def _tables(connection) -> dict[str, sa.Table]:
    metadata = sa.MetaData()
    metadata.reflect(connection)
    return metadata.tables


def _insert(connection, table: sa.Table, **values) -> int:
    return connection.execute(table.insert().values(**values).returning(table.c.id)).scalar_one()


def _seed_duplicates(connection) -> dict[str, int]:
    """Organisations stored before the index: 'Acme Ltd' three times over (one with a
    submitted response, one with a draft in another consultation, one invited to the first
    consultation with no response) and 'Twin' twice with a response on each side."""
    t = _tables(connection)
    now = utcnow()
    consultations = [
        _insert(
            connection,
            t["consultation"],
            slug=f"c{n}",
            title=f"C{n}",
            summary="",
            audience="",
            status="open",
            privacy_notice="",
            minutes_to_complete=10,
            allow_open_link=True,
            allow_invitations=True,
            created_at=now,
        )
        for n in (1, 2)
    ]

    def organisation(name, email=None, size=None):
        return _insert(
            connection,
            t["organisation"],
            name=name,
            partner_type="business",
            area="coventry",
            contact_email=email,
            size_band=size,
            bounced=False,
            created_at=now,
        )

    def invitation(consultation, org, token, previous=None):
        return _insert(
            connection,
            t["invitation"],
            consultation_id=consultation,
            organisation_id=org,
            token_hash=hash_token(token),
            previous_token_hash=hash_token(previous) if previous else None,
            expires_at=now + timedelta(days=30),
            created_at=now,
            sent_at=now,
            reminders=0,
        )

    def response(consultation, invitation_id, reference, status):
        return _insert(
            connection,
            t["response"],
            consultation_id=consultation,
            invitation_id=invitation_id,
            reference=reference,
            status=status,
            version=1,
            last_page="organisation",
            created_at=now,
            updated_at=now,
            submitted_at=now if status == "submitted" else None,
            source="web",
        )

    c1, c2 = consultations
    acme = organisation("Acme Ltd")
    acme_upper = organisation("ACME  LTD", email="team@acme.example", size="small")
    acme_spaced = organisation(" acme ltd")
    other = organisation("Other Org")
    # c1: the kept one invited, no response; the second copy invited with a submitted one.
    invitation(c1, acme, "kept-c1")
    answered = invitation(c1, acme_upper, "upper-c1")
    sent = response(c1, answered, "WM-SENT", "submitted")
    # c2: only the third copy invited, with a draft.
    drafted = invitation(c2, acme_spaced, "spaced-c2")
    draft = response(c2, drafted, "WM-DRAFT", "draft")
    # Twins both answered c1: cannot be one organisation.
    twin = organisation("Twin")
    twin_too = organisation("twin")
    response(c1, invitation(c1, twin, "twin-1"), "WM-T1", "submitted")
    response(c1, invitation(c1, twin_too, "twin-2"), "WM-T2", "submitted")
    return {
        "acme": acme,
        "acme_upper": acme_upper,
        "acme_spaced": acme_spaced,
        "other": other,
        "twin": twin,
        "twin_too": twin_too,
        "sent": sent,
        "draft": draft,
        "c1": c1,
        "c2": c2,
    }


@pytest.fixture
def old_schema(backend, tmp_path, monkeypatch):
    """An app whose database is migrated up to the migration before the index."""
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    if backend == "postgresql":
        url = postgres_url()
        reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    app = create_app({"TESTING": True, "DATABASE_URL": url})
    with app.app_context():
        upgrade(revision=BEFORE)
        yield app
        db.session.remove()
        db.engine.dispose()
    if backend == "postgresql":
        reset_postgres(url)  # the next test's session fixture migrates it again


def test_the_migration_merges_stored_duplicates_and_loses_no_response(old_schema):
    with db.engine.begin() as connection:
        ids = _seed_duplicates(connection)
    upgrade()
    with db.engine.connect() as connection:
        t = _tables(connection)
        orgs = {row.id: row for row in connection.execute(select(t["organisation"])).all()}
        invitations = connection.execute(select(t["invitation"])).all()
        responses = connection.execute(select(t["response"])).all()
        audit = connection.execute(select(t["audit_event"])).all()
    # Acme: one row left, the oldest, with the contact email and size of a merged copy.
    assert ids["acme_upper"] not in orgs and ids["acme_spaced"] not in orgs
    acme = orgs[ids["acme"]]
    assert (acme.name, acme.name_key) == ("Acme Ltd", "acme ltd")
    assert (acme.contact_email, acme.size_band) == ("team@acme.example", "small")
    # Every response is still there, on its own invitation, now Acme's.
    assert len(responses) == 4
    by_id = {row.id: row for row in invitations}
    for reference in ("WM-SENT", "WM-DRAFT"):
        response = next(r for r in responses if r.reference == reference)
        assert by_id[response.invitation_id].organisation_id == ids["acme"]
    acme_invites = {
        row.consultation_id: row for row in invitations if row.organisation_id == ids["acme"]
    }
    assert set(acme_invites) == {ids["c1"], ids["c2"]}
    # c1 keeps the answered invitation; the dropped one's link still reaches it.
    assert acme_invites[ids["c1"]].token_hash == hash_token("upper-c1")
    assert acme_invites[ids["c1"]].previous_token_hash == hash_token("kept-c1")
    # The twins both answered one consultation: kept apart, the younger renamed.
    assert orgs[ids["twin"]].name == "Twin"
    assert orgs[ids["twin_too"]].name == "twin (2)"
    assert orgs[ids["other"]].name_key == "other org"
    assert sorted(row.action for row in audit) == [
        "organisation_merged",
        "organisation_merged",
        "organisation_renamed",
    ]
    # And the index holds from now on.
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
        connection.execute(
            t["organisation"]
            .insert()
            .values(
                name="ACME LTD",
                name_key="acme ltd",
                partner_type="business",
                area="coventry",
                bounced=False,
                created_at=utcnow(),
            )
        )
    # Down and up again on the merged data.
    downgrade(revision=BEFORE)
    upgrade()
    with db.engine.connect() as connection:
        table = _tables(connection)["organisation"]
        count = connection.scalar(select(func.count()).select_from(table))
    assert count == len(orgs)
