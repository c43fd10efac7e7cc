"""The audit trail: every staff action, refused access, signal view and login attempt, append-only."""

import sqlalchemy as sa
from flask import Flask, has_request_context
from flask_login import current_user
from sqlalchemy.orm import Session, joinedload

from signaalpunt.accounts.models import AuditEvent, User
from signaalpunt.core.database import write_transaction
from signaalpunt.core.request_input import client_address
from signaalpunt.extensions import db

OK = "ok"
REFUSED = "refused"
FAILED = "failed"


def record(
    action: str,
    result: str = OK,
    *,
    actor: User | None = None,
    object_type: str | None = None,
    object_key: str | None = None,
) -> AuditEvent:
    """Add an audit event to the session; the caller's commit makes it part of the same transaction."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=object_type,
        object_key=(object_key or None) and object_key[:254],
        result=result,
        origin=client_address(),
    )
    db.session.add(event)
    return event


def record_refusal(action: str, object_type: str | None = None, object_key: str | None = None) -> None:
    """A refused access is kept even though the request itself fails, so it is committed at once."""
    db.session.rollback()
    with write_transaction():
        record(action, REFUSED, object_type=object_type, object_key=object_key)


def record_reading(*actions: str, object_type: str, object_key: str) -> None:
    """What a reading request (a page, a download) let someone see, committed at once in a write of its own: a GET
    reads without SQLite's write lock, and upgrading that reading transaction fails when someone else wrote."""
    with write_transaction():
        for action in actions:
            record(action, object_type=object_type, object_key=object_key)


def search(
    organisation_id: int | None, actor_id: int | None, action: str, text: str, limit: int, offset: int
) -> tuple[list[AuditEvent], int]:
    """Audit events of one team (what its members did), or with ``None`` of the region (what its own roles did,
    and what nobody logged in did); newest first, filtered by actor, action prefix and object key."""
    members = sa.select(User.id).where(User.organisation_id == organisation_id)
    in_scope = AuditEvent.actor_id.in_(members)
    if organisation_id is None:
        in_scope = sa.or_(in_scope, AuditEvent.actor_id.is_(None))
    clauses = [in_scope]
    if actor_id:
        clauses.append(AuditEvent.actor_id == actor_id)
    if action:
        clauses.append(AuditEvent.action.startswith(action, autoescape=True))
    if text:
        clauses.append(AuditEvent.object_key.contains(text, autoescape=True))
    total = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(*clauses))
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(*clauses)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(events), total


def guard_append_only(session: Session, flush_context: object, instances: object) -> None:
    """Refuse, inside the application too, any change to or removal of an audit event."""
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, AuditEvent):
            raise PermissionError("Audit events are append-only")


def init_app(app: Flask) -> None:
    """Guard every session of the app (once: the guard is on the Session class)."""
    if not sa.event.contains(Session, "before_flush", guard_append_only):
        sa.event.listen(Session, "before_flush", guard_append_only)
