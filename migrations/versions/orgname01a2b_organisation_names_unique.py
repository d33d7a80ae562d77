"""organisation: one organisation a name, ignoring case and spaces (a unique index on
name_key), after merging the duplicates two simultaneous additions could store

Revision ID: orgname01a2b
Revises: codingbeat01
Create Date: 2026-12-03 20:30:00.000000

Before the index can exist, organisations whose names differ only by case or spaces are
merged into the oldest of them (the lowest id):

- each invitation of a duplicate moves to the kept organisation; where both were invited to
  the same consultation, the invitation with a response is kept (the kept organisation's
  when neither has one) and the other, which has no response, is deleted; its link keeps
  working as the kept invitation's earlier link when that place is free;
- the kept organisation takes a duplicate's contact email or business size if it had none;
- no response is ever deleted or moved off its invitation. When both were invited to one
  consultation and both invitations have a response, the two cannot be one organisation
  (an invitation has one response): the duplicate is kept and renamed "<name> (2)" (or the
  next free number) for staff to sort out.

Each merge or rename is written to the audit log. Downgrading drops the index and the key,
not the merges.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'orgname01a2b'
down_revision = 'codingbeat01'
branch_labels = None
depends_on = None

organisation = sa.table(
    'organisation',
    sa.column('id', sa.Integer),
    sa.column('name', sa.String),
    sa.column('name_key', sa.String),
    sa.column('contact_email', sa.String),
    sa.column('size_band', sa.String),
)
invitation = sa.table(
    'invitation',
    sa.column('id', sa.Integer),
    sa.column('consultation_id', sa.Integer),
    sa.column('organisation_id', sa.Integer),
    sa.column('token_hash', sa.String),
    sa.column('previous_token_hash', sa.String),
)
response = sa.table('response', sa.column('id', sa.Integer), sa.column('invitation_id', sa.Integer))
audit_event = sa.table(
    'audit_event',
    sa.column('at', sa.DateTime(timezone=True)),
    sa.column('actor', sa.String),
    sa.column('action', sa.String),
    sa.column('target', sa.String),
    sa.column('detail', sa.Text),
    sa.column('address', sa.String),
)


def organisation_key(name: str | None) -> str:
    """As consult.models.organisation_key (copied: a migration must not change later)."""
    return " ".join((name or "").split()).casefold()


def _invitations(connection, organisation_id: int) -> dict[int, dict]:
    """An organisation's invitations by consultation, each with whether it has a response."""
    answered = sa.select(sa.func.count(response.c.id)).where(
        response.c.invitation_id == invitation.c.id
    ).scalar_subquery()
    rows = connection.execute(
        sa.select(
            invitation.c.id,
            invitation.c.consultation_id,
            invitation.c.token_hash,
            invitation.c.previous_token_hash,
            answered.label('responses'),
        ).where(invitation.c.organisation_id == organisation_id)
    ).mappings()
    return {row['consultation_id']: dict(row) for row in rows}


def _audit(connection, action: str, target: str, **detail) -> None:
    connection.execute(
        audit_event.insert().values(
            at=datetime.now(UTC),
            actor='migration',
            action=action,
            target=target[:200],
            detail=json.dumps(detail, sort_keys=True),
            address='cli',
        )
    )


def _merge(connection, kept: dict, duplicate: dict) -> None:
    """Move the duplicate's invitations to the kept organisation, then delete it."""
    ours = _invitations(connection, kept['id'])
    for consultation_id, theirs in _invitations(connection, duplicate['id']).items():
        mine = ours.get(consultation_id)
        if mine is None:
            connection.execute(
                invitation.update()
                .where(invitation.c.id == theirs['id'])
                .values(organisation_id=kept['id'])
            )
            continue
        keep, drop = (theirs, mine) if theirs['responses'] else (mine, theirs)
        connection.execute(invitation.delete().where(invitation.c.id == drop['id']))
        values = {'organisation_id': kept['id']}
        if keep['previous_token_hash'] is None:
            values['previous_token_hash'] = drop['token_hash']
        connection.execute(
            invitation.update().where(invitation.c.id == keep['id']).values(**values)
        )
    filled = {
        column: duplicate[column]
        for column in ('contact_email', 'size_band')
        if not kept[column] and duplicate[column]
    }
    if filled:
        connection.execute(
            organisation.update().where(organisation.c.id == kept['id']).values(**filled)
        )
        kept.update(filled)
    connection.execute(organisation.delete().where(organisation.c.id == duplicate['id']))
    _audit(
        connection,
        'organisation_merged',
        kept['name'],
        merged=f"#{duplicate['id']} {duplicate['name']}",
        into=f"#{kept['id']}",
    )


def _cannot_merge(connection, kept: dict, duplicate: dict) -> bool:
    """True when both were invited to one consultation and both invitations have a response."""
    ours = _invitations(connection, kept['id'])
    return any(
        theirs['responses'] and ours.get(consultation_id, {}).get('responses')
        for consultation_id, theirs in _invitations(connection, duplicate['id']).items()
    )


def _free_name(name: str, keys: set[str]) -> str:
    """``name (2)``, or the next number whose name is free; within the 200 characters."""
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = name[: 200 - len(suffix)] + suffix
        if organisation_key(candidate) not in keys:
            return candidate
        number += 1


def resolve_duplicates(connection) -> None:
    """Merge (or, where a merge would lose a response, rename) organisations whose names
    are the same but for case and spaces, and fill in every name_key."""
    rows = connection.execute(
        sa.select(
            organisation.c.id,
            organisation.c.name,
            organisation.c.contact_email,
            organisation.c.size_band,
        ).order_by(organisation.c.id)
    ).mappings()
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(organisation_key(row['name']), []).append(dict(row))
    keys = set(groups)
    for key, members in groups.items():
        kept, *duplicates = members
        kept['name_key'] = key
        for duplicate in duplicates:
            if _cannot_merge(connection, kept, duplicate):
                new_name = _free_name(duplicate['name'], keys)
                new_key = organisation_key(new_name)
                keys.add(new_key)
                connection.execute(
                    organisation.update()
                    .where(organisation.c.id == duplicate['id'])
                    .values(name=new_name, name_key=new_key)
                )
                _audit(
                    connection,
                    'organisation_renamed',
                    new_name,
                    reason=f"same name as #{kept['id']}; both invitations have a response",
                    was=duplicate['name'],
                )
            else:
                _merge(connection, kept, duplicate)
        connection.execute(
            organisation.update().where(organisation.c.id == kept['id']).values(name_key=key)
        )


def upgrade():
    op.add_column(
        'organisation',
        sa.Column('name_key', sa.String(length=600), server_default='', nullable=False),
    )
    resolve_duplicates(op.get_bind())
    op.create_index('uq_organisation_name_key', 'organisation', ['name_key'], unique=True)


def downgrade():
    op.drop_index('uq_organisation_name_key', table_name='organisation')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('name_key')
