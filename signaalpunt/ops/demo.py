"""Demo data for a local run: fictional partners, areas, staff and about sixty signals in every state."""

import random
from datetime import timedelta

import sqlalchemy as sa

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.accounts.service import create_user
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.organisations.areas import set_area_ranges
from signaalpunt.organisations.enums import PartnerKind
from signaalpunt.organisations.models import Area, Organisation, Partner
from signaalpunt.signals.enums import ContactMethod, Observation, Outcome, ReferralTarget, RejectionReason, ReporterRole
from signaalpunt.signals.intake import Report, submit_report
from signaalpunt.signals.models import Signal
from signaalpunt.signals.sla import first_contact_due_for
from signaalpunt.signals.workflow import (
    add_note,
    assign_signal,
    close_signal,
    mark_duplicate,
    record_contact_attempt,
    reject_signal,
)

DEMO_PASSWORD = "zon-fiets-regen-demo"  # noqa: S105 - printed on purpose; demo data is refused in production
DEMO_PARTNERS = [
    ("Snelpakket Bezorgdiensten", "snelpakket", PartnerKind.PARCEL_CARRIER),
    ("Buurtsuper De Markt", "buurtsuper-de-markt", PartnerKind.RETAIL),
    ("Spaarbank Lokaal, adviseurs", "spaarbank-lokaal", PartnerKind.BANK),
    ("Apotheek Het Kruispunt", "apotheek-het-kruispunt", PartnerKind.PHARMACY),
]
DEMO_AREAS = [("Centrum", [(4531, 4532)]), ("Noord", [(4533, 4535)]), ("Zuid", [(4536, 4538)])]
DEMO_STAFF = [
    ("beheer@demo.signaalpunt.nl", "Bram Beheer", Role.ADMIN, None),
    ("coordinator@demo.signaalpunt.nl", "Fatima El Amrani", Role.COORDINATOR, None),
    ("sanne@demo.signaalpunt.nl", "Sanne de Vries", Role.WORKER, "Centrum"),
    ("joost@demo.signaalpunt.nl", "Joost Verhoeven", Role.WORKER, "Noord"),
    ("priya@demo.signaalpunt.nl", "Priya Ramdin", Role.WORKER, "Zuid"),
    ("beleid@demo.signaalpunt.nl", "Wim Beleid", Role.VIEWER, None),
]
DESCRIPTIONS = [
    "De brievenbus puilt al twee weken uit en de gordijnen blijven dicht.",
    "Meneer komt elke ochtend in de winkel, ziet er steeds verwaarloosder uit en zoekt een praatje.",
    "Mevrouw deed om twaalf uur 's middags open in nachtkleding en leek verward.",
    "Al weken geen licht aan in huis; de tuin groeit dicht.",
    "Klant vertelde bij het adviesgesprek dat hij niemand meer spreekt sinds zijn vrouw overleed.",
    "Bij het bezorgen reageert mevrouw nooit meer, terwijl ik haar wel binnen zie.",
]
STREETS = ["Markt", "Noordstraat", "Dijkweg", "Kerkplein", "Molenlaan", "Havenkade"]


def load_demo_partners() -> int:
    """Add the demo partners that are missing; returns how many were added. Does not commit."""
    organisation = _organisation()
    existing = set(db.session.scalars(sa.select(Partner.slug)))
    added = 0
    for name, slug, kind in DEMO_PARTNERS:
        if slug not in existing:
            db.session.add(Partner(organisation=organisation, name=name, slug=slug, kind=kind))
            added += 1
    return added


def load_demo_casework(signal_count: int = 60, seed: int = 2026) -> list[tuple[str, str, Role]]:
    """Areas, staff and signals in every state, once; returns the demo logins. Commits: first the team, then
    each report as the form stores it, then the casework on top."""
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        return []
    organisation = _organisation()
    areas = {}
    for name, ranges in DEMO_AREAS:
        area = Area(organisation=organisation, name=name)
        set_area_ranges(area, ranges)
        db.session.add(area)
        areas[name] = area
    staff = {}
    for email, name, role, area_name in DEMO_STAFF:
        user = create_user(organisation, email, name, role, DEMO_PASSWORD)
        if area_name:
            user.areas = [areas[area_name]]
        staff[role, area_name] = user
    db.session.commit()
    _demo_signals(random.Random(seed), signal_count, staff)  # noqa: S311 - demo data, not security
    return [(email, DEMO_PASSWORD, role) for email, _name, role, _area in DEMO_STAFF]


def _demo_signals(rng: random.Random, count: int, staff: dict) -> None:
    coordinator = staff[Role.COORDINATOR, None]
    partners = list(db.session.scalars(sa.select(Partner.slug)))
    signals = []
    for index in range(count):
        report = Report(
            reporter_role=rng.choice(list(ReporterRole)),
            description=rng.choice(DESCRIPTIONS),
            observations=tuple(rng.sample(list(Observation), k=rng.randint(1, 3))),
            partner_slug=rng.choice([*partners, None, None]),
            postcode=f"{rng.randint(4531, 4539)} {rng.choice(['AB', 'CD', 'GH', 'KL'])}",
            house_number=rng.randint(1, 120),
            street=rng.choice(STREETS),
            town="Terneuzen",
            urgent=rng.random() < 0.1,
            reporter_email="melder@example.nl" if index % 4 == 0 else None,
            keep_informed=index % 4 == 0,
        )
        signals.append(db.session.get(Signal, submit_report(report, submission_token=None).signal_id))
    for signal in signals:
        _backdate(signal, timedelta(days=rng.uniform(0, 56)))
    for index, signal in enumerate(signals):
        _advance(rng, signal, index, coordinator, staff, signals)
    db.session.commit()


def _advance(rng: random.Random, signal: Signal, index: int, coordinator: User, staff: dict, signals: list) -> None:
    stage = index % 6
    if stage == 0:
        return
    if stage == 5 and index % 12 == 5:
        reject_signal(signal, coordinator, RejectionReason.SPAM)
        return
    if stage == 5 and index > 10:
        mark_duplicate(signal, coordinator, signals[index - 5])
        return
    worker = staff.get((Role.WORKER, signal.area.name if signal.area else None)) or staff[Role.WORKER, "Centrum"]
    assign_signal(signal, coordinator, worker)
    if stage == 1:
        return
    attempts = 3 if stage == 4 else rng.randint(1, 2)
    for number in range(attempts):
        when = signal.created_at + timedelta(hours=20 * (number + 1))
        record_contact_attempt(signal, worker, rng.choice(list(ContactMethod)), min(when, utcnow()), number == 1)
    add_note(signal, worker, "Kennismaking gehad; mevrouw staat open voor een maatje.")
    if stage == 3:
        close_signal(signal, worker, Outcome.REFERRED, ReferralTarget.BUDDY)
    elif stage == 4:
        close_signal(signal, worker, Outcome.UNREACHABLE)


def _backdate(signal: Signal, age: timedelta) -> None:
    signal.created_at -= age
    signal.due_at = first_contact_due_for(signal.created_at, signal.urgent)
    for event in signal.events:
        event.created_at -= age


def _organisation() -> Organisation:
    return db.session.scalar(sa.select(Organisation).order_by(Organisation.id).limit(1))
