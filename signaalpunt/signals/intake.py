"""Turning a valid report into a stored signal, exactly once per submitted form."""

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from signaalpunt.accounts.models import AuditEvent, User
from signaalpunt.core.clock import utcnow
from signaalpunt.core.database import write_transaction
from signaalpunt.core.mail import render_mail
from signaalpunt.core.models import OutboxMessage
from signaalpunt.core.request_input import client_address
from signaalpunt.extensions import db
from signaalpunt.organisations.enums import PartnerKind
from signaalpunt.organisations.models import Organisation, Partner
from signaalpunt.organisations.routing import destination, organisation_for_slug
from signaalpunt.signals import tallies
from signaalpunt.signals.enums import (
    AgeBand,
    CallTime,
    Channel,
    EventKind,
    Observation,
    PersonAwareness,
    PublicStatus,
    ReporterRole,
    SignalStatus,
)
from signaalpunt.signals.models import Signal, SignalObservation, TimelineEvent
from signaalpunt.signals.postcode import pc4
from signaalpunt.signals.reference import generate_reference, normalise_reference
from signaalpunt.signals.sla import first_contact_due
from signaalpunt.signals.urgent import coordinator_alerts
from signaalpunt.signals.workflow import public_status

_REFERENCE_ATTEMPTS = 5
PHONE_INTAKE_AUDIT = "signal.phone_intake"
# Column values of one row to insert.
Row = dict[str, object]
# Who a partner's people usually are, so that a partner's link fills in the reporter's role (still editable).
REPORTER_ROLE_OF_PARTNER = {
    PartnerKind.PARCEL_CARRIER: ReporterRole.COURIER,
    PartnerKind.RETAIL: ReporterRole.BUSINESS,
    PartnerKind.BANK: ReporterRole.FINANCIAL_ADVISER,
    PartnerKind.PHARMACY: ReporterRole.CARE_PROFESSIONAL,
    PartnerKind.HOUSING: ReporterRole.BUSINESS,
    PartnerKind.CARE: ReporterRole.CARE_PROFESSIONAL,
}


@dataclass(frozen=True)
class Report:
    """What a reporter told us, already validated and normalised."""

    reporter_role: ReporterRole
    description: str
    observations: tuple[Observation, ...] = ()
    partner_slug: str | None = None
    # The municipality the reporter chose, which only decides when there is no postcode.
    municipality_slug: str | None = None
    postcode: str | None = None
    house_number: int | None = None
    house_number_suffix: str | None = None
    street: str | None = None
    town: str | None = None
    place_description: str | None = None
    person_name: str | None = None
    age_band: AgeBand | None = None
    person_aware: PersonAwareness = PersonAwareness.UNKNOWN
    urgent: bool = False
    reporter_name: str | None = None
    reporter_phone: str | None = None
    reporter_email: str | None = None
    keep_informed: bool = False
    channel: Channel = Channel.WEB
    language: str = "nl"
    call_time: CallTime | None = None
    # The partner app's key it came with (Open311), so that app can list its own requests.
    api_key_id: int | None = None


def new_submission_token() -> str:
    """A random token for one rendering of the form, so a second post of it is recognised."""
    return secrets.token_urlsafe(24)


def active_partners() -> list[sa.Row[tuple[str, str, PartnerKind]]]:
    """Partners a reporter can choose on the form, slug, name and kind, by name. Rows, not objects: the public form
    asks for them on every post."""
    query = sa.select(Partner.slug, Partner.name, Partner.kind).where(Partner.active).order_by(Partner.name)
    return list(db.session.execute(query))


def public_status_for(raw_reference: str) -> PublicStatus | None:
    """The coarse status for a reference as typed; ``None`` alike for unknown and malformed references."""
    reference = normalise_reference(raw_reference)
    if reference is None:
        return None
    signal = db.session.scalar(sa.select(Signal).where(Signal.reference == reference))
    return public_status(signal) if signal else None


@dataclass(frozen=True)
class StoredReport:
    """What the reporter is told once their report is stored: also who follows it up, how soon, and their phone."""

    signal_id: int
    reference: str
    urgent: bool
    organisation_name: str
    organisation_phone: str | None
    working_days: int


def submit_report(report: Report, submission_token: str | None, taken_by: User | None = None) -> StoredReport:
    """Store the report as a new signal and queue the acknowledgement, in one transaction.

    When a signal already exists for ``submission_token`` (a double tap, a resubmitted page), that
    signal is returned and nothing new is stored. ``taken_by`` is the staff member who typed in a
    report taken by phone. Everything is looked up and the mail rendered first; the write itself is
    a short transaction of plain inserts, because on SQLite every report waits for the one before it
    to commit (and the ORM's unit of work would cost more than the inserts themselves).
    """
    # Read now: after the first commit the staff member's attributes would be loaded again, under the lock.
    event = {
        "kind": EventKind.REPORTED,
        "actor_id": taken_by.id if taken_by else None,
        "data": {"channel": report.channel.value},
    }
    # A report typed in by staff is audited in the same transaction: stored with its audit record, or not at all.
    audited = None if taken_by is None else {"actor_id": taken_by.id, "origin": client_address()}
    taker_organisation_id = taken_by.organisation_id if taken_by else None
    refused: IntegrityError | None = None
    for _attempt in range(_REFERENCE_ATTEMPTS):
        organisation, row = _signal_row(report, submission_token, taker_organisation_id)
        mails = _acknowledgement(row, organisation)
        if row["urgent"]:
            mails += coordinator_alerts(organisation.id, row["reference"])
        # Read now: the commits below expire the organisation, and reading it afterwards costs a query.
        told = _told(organisation, row["urgent"])
        try:
            with write_transaction():
                signal_id = _insert_signal(row, report.observations, event, mails, audited)
        except IntegrityError as error:
            # The token is unique: this form was stored before (a double tap, a page sent again; looked up only
            # now, so that a first post costs no look-up), or the reference collided (a new one next time round).
            db.session.rollback()
            existing = _signal_for_token(submission_token)
            if existing is not None:
                return existing
            refused = error
            continue
        return StoredReport(signal_id, row["reference"], row["urgent"], *told)
    raise RuntimeError("Could not store the report after several attempts") from refused


def _insert_signal(
    row: Row,
    observations: tuple[Observation, ...],
    event: Row,
    mails: list[dict[str, str]],
    audited: Row | None,
) -> int:
    """The signal, what was observed, its first timeline event, its mails and (phone intake) the audit record,
    as plain inserts."""
    # Values as parameters, not in the statements: each statement is then compiled once per process.
    connection = db.session.connection()
    signal_id = connection.execute(sa.insert(Signal), row).inserted_primary_key[0]
    tallies.add_new(connection, [row])
    if observations:
        rows = [{"signal_id": signal_id, "observation": seen} for seen in dict.fromkeys(observations)]
        connection.execute(sa.insert(SignalObservation), rows)
    connection.execute(sa.insert(TimelineEvent), {"signal_id": signal_id, **event})
    if mails:
        connection.execute(sa.insert(OutboxMessage), [{"signal_id": signal_id, **mail} for mail in mails])
    if audited is not None:
        connection.execute(
            sa.insert(AuditEvent),
            {
                **audited,
                "created_at": row["created_at"],
                "action": PHONE_INTAKE_AUDIT,
                "object_type": "signal",
                "object_key": row["reference"],
                "result": "ok",
            },
        )
    return signal_id


def _acknowledgement(row: Row, organisation: Organisation) -> list[dict[str, str]]:
    """The mail that tells the reporter their report arrived (none without an address), rendered now."""
    if not row["reporter_email"]:
        return []
    subject = _("Uw melding %(reference)s is ontvangen", reference=row["reference"])
    # A Signal never added to the session: the template reads it as it reads a stored one.
    mail = render_mail(
        row["reporter_email"],
        subject,
        "acknowledgement",
        signal=Signal(**row),
        organisation=organisation,
        sla_days=organisation.working_days(row["urgent"]),
    )
    return [mail]


def _told(organisation: Organisation, urgent: bool) -> tuple[str, str | None, int]:
    """Who follows the report up, their phone, and within how many working days."""
    return organisation.name, organisation.phone, organisation.working_days(urgent)


def _signal_for_token(submission_token: str | None) -> StoredReport | None:
    if not submission_token:
        return None
    found = db.session.execute(
        sa.select(Signal.id, Signal.reference, Signal.urgent, Organisation)
        .join(Organisation, Signal.organisation_id == Organisation.id)
        .where(Signal.submission_token == submission_token)
    ).first()
    if found is None:
        return None
    signal_id, reference, urgent, organisation = found
    return StoredReport(signal_id, reference, urgent, *_told(organisation, urgent))


def _signal_row(
    report: Report, submission_token: str | None, taker_organisation_id: int | None
) -> tuple[Organisation, Row]:
    now = utcnow()
    postcode_area = pc4(report.postcode) if report.postcode else None
    routed = destination(postcode_area, organisation_for_slug(report.municipality_slug) or taker_organisation_id)
    organisation = db.session.get(Organisation, routed.organisation_id)
    partner_id = None
    if report.partner_slug:
        partner_id = db.session.scalar(sa.select(Partner.id).where(Partner.slug == report.partner_slug, Partner.active))
    return organisation, {
        "organisation_id": organisation.id,
        "created_at": now,
        "updated_at": now,
        "due_at": first_contact_due(now, organisation.working_days(report.urgent)),
        "area_id": routed.area_id,
        "reference": generate_reference(),
        "submission_token": submission_token,
        "status": SignalStatus.NEW,
        "channel": report.channel,
        "urgent": report.urgent,
        "reporter_role": report.reporter_role,
        "partner_id": partner_id,
        "postcode": report.postcode,
        "pc4": postcode_area,
        "house_number": report.house_number,
        "house_number_suffix": report.house_number_suffix,
        "street": report.street,
        "town": report.town,
        "place_description": report.place_description,
        "description": report.description,
        "person_name": report.person_name,
        "age_band": report.age_band,
        "person_aware": report.person_aware,
        "reporter_name": report.reporter_name,
        "reporter_phone": report.reporter_phone,
        "reporter_email": report.reporter_email,
        "keep_informed": report.keep_informed and bool(report.reporter_email),
        "reporter_language": report.language,
        "call_time": report.call_time,
        "api_key_id": report.api_key_id,
    }
