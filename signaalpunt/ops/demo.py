"""Demo data for a local run: a region of two municipal teams, each with its areas, staff and about thirty
signals in every state; partners active in both; and the region's administrator and policy viewer."""

import random
from dataclasses import dataclass
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
from signaalpunt.signals.enums import ContactMethod, Observation, Outcome, RejectionReason, ReporterRole
from signaalpunt.signals.intake import Report, submit_report
from signaalpunt.signals.models import Signal
from signaalpunt.signals.sla import first_contact_due
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


@dataclass(frozen=True)
class DemoTeam:
    name: str
    slug: str
    phone: str
    town: str
    areas: tuple[tuple[str, tuple[tuple[int, int], ...]], ...]
    # (e-mail, name, role, area)
    staff: tuple[tuple[str, str, Role, str | None], ...]

    @property
    def postcodes(self) -> list[int]:
        return [number for _name, ranges in self.areas for first, last in ranges for number in range(first, last + 1)]


DEMO_TEAMS = (
    DemoTeam(
        "Signaalpunt Terneuzen",
        "terneuzen",
        "+31115000100",
        "Terneuzen",
        (("Centrum", ((4531, 4532),)), ("Noord", ((4533, 4535),)), ("Zuid", ((4536, 4538),))),
        (
            ("beheer@terneuzen.demo.signaalpunt.nl", "Bram Beheer", Role.ADMIN, None),
            ("coordinator@terneuzen.demo.signaalpunt.nl", "Fatima El Amrani", Role.COORDINATOR, None),
            ("sanne@terneuzen.demo.signaalpunt.nl", "Sanne de Vries", Role.WORKER, "Centrum"),
            ("joost@terneuzen.demo.signaalpunt.nl", "Joost Verhoeven", Role.WORKER, "Noord"),
            ("priya@terneuzen.demo.signaalpunt.nl", "Priya Ramdin", Role.WORKER, "Zuid"),
            ("beleid@terneuzen.demo.signaalpunt.nl", "Wim Beleid", Role.VIEWER, None),
        ),
    ),
    DemoTeam(
        "Signaalpunt Goeree-Overflakkee",
        "goeree-overflakkee",
        "+31187000100",
        "Middelharnis",
        (
            ("Middelharnis en Sommelsdijk", ((3241, 3246),)),
            ("Westhoek", ((3251, 3253),)),
            ("Oostflakkee", ((3255, 3258),)),
        ),
        (
            ("beheer@goeree-overflakkee.demo.signaalpunt.nl", "Ineke Beheer", Role.ADMIN, None),
            ("coordinator@goeree-overflakkee.demo.signaalpunt.nl", "Kees Mijnders", Role.COORDINATOR, None),
            (
                "lotte@goeree-overflakkee.demo.signaalpunt.nl",
                "Lotte Breeman",
                Role.WORKER,
                "Middelharnis en Sommelsdijk",
            ),
            ("ahmet@goeree-overflakkee.demo.signaalpunt.nl", "Ahmet Yilmaz", Role.WORKER, "Westhoek"),
            ("marieke@goeree-overflakkee.demo.signaalpunt.nl", "Marieke Tanis", Role.WORKER, "Oostflakkee"),
            ("beleid@goeree-overflakkee.demo.signaalpunt.nl", "Anton Beleid", Role.VIEWER, None),
        ),
    ),
)
DEMO_REGION_STAFF = (
    ("regio@demo.signaalpunt.nl", "Regina Regio", Role.REGION_ADMIN),
    ("regiocijfers@demo.signaalpunt.nl", "Ruud Regiocijfers", Role.REGION_VIEWER),
)
# Hulst: no team's area has it, so these signals go to the fallback team marked "buiten werkgebied".
OUTSIDE_EVERY_AREA = 4561
DESCRIPTIONS = [
    "De brievenbus puilt al twee weken uit en de gordijnen blijven dicht.",
    "Meneer komt elke ochtend in de winkel, ziet er steeds verwaarloosder uit en zoekt een praatje.",
    "Mevrouw deed om twaalf uur 's middags open in nachtkleding en leek verward.",
    "Al weken geen licht aan in huis; de tuin groeit dicht.",
    "Klant vertelde bij het adviesgesprek dat hij niemand meer spreekt sinds zijn vrouw overleed.",
    "Bij het bezorgen reageert mevrouw nooit meer, terwijl ik haar wel binnen zie.",
]
STREETS = ["Markt", "Noordstraat", "Dijkweg", "Kerkplein", "Molenlaan", "Havenkade"]
# A login to print: (team name or "Regio", e-mail, role).
Login = tuple[str, str, Role]


def load_demo_partners() -> int:
    """Add the demo partners that are missing; returns how many were added. Does not commit."""
    existing = set(db.session.scalars(sa.select(Partner.slug)))
    added = 0
    for name, slug, kind in DEMO_PARTNERS:
        if slug not in existing:
            db.session.add(Partner(name=name, slug=slug, kind=kind))
            added += 1
    return added


def load_demo_casework(signals_per_team: int = 48, seed: int = 2026) -> list[Login]:
    """The two teams with their areas and staff, the region's roles, and signals in every state, once; returns
    the demo logins. Commits: first the teams, then each report as the form stores it, then the casework."""
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        return []
    logins: list[Login] = []
    teams = []
    for team, organisation in zip(DEMO_TEAMS, _organisations(), strict=True):
        staff = _team(team, organisation)
        teams.append((team, staff))
        logins += [(team.name, email, role) for email, _name, role, _area in team.staff]
    for email, name, role in DEMO_REGION_STAFF:
        create_user(None, email, name, role, DEMO_PASSWORD)
        logins.append(("Regio", email, role))
    db.session.commit()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    for team, staff in teams:
        _demo_signals(rng, team, signals_per_team, staff)
    return logins


def _organisations() -> list[Organisation]:
    """The installation's first team becomes Terneuzen (and stays the fallback); Goeree-Overflakkee is added."""
    first = db.session.scalar(sa.select(Organisation).order_by(Organisation.id).limit(1))
    made = [first, Organisation()]
    db.session.add(made[1])
    for organisation, team in zip(made, DEMO_TEAMS, strict=True):
        organisation.name, organisation.slug, organisation.phone = team.name, team.slug, team.phone
    return made


def _team(team: DemoTeam, organisation: Organisation) -> dict:
    areas = {}
    for name, ranges in team.areas:
        area = Area(organisation=organisation, name=name)
        set_area_ranges(area, list(ranges))
        db.session.add(area)
        areas[name] = area
    staff = {}
    for email, name, role, area_name in team.staff:
        user = create_user(organisation, email, name, role, DEMO_PASSWORD)
        if area_name:
            user.areas = [areas[area_name]]
        staff[role, area_name] = user
    return staff


def _demo_signals(rng: random.Random, team: DemoTeam, count: int, staff: dict) -> None:
    coordinator = staff[Role.COORDINATOR, None]
    partners = list(db.session.scalars(sa.select(Partner.slug)))
    postcodes = team.postcodes + ([OUTSIDE_EVERY_AREA] if team is DEMO_TEAMS[0] else [])
    signals = []
    for index in range(count):
        report = Report(
            reporter_role=rng.choice(list(ReporterRole)),
            description=rng.choice(DESCRIPTIONS),
            observations=tuple(rng.sample(list(Observation), k=rng.randint(1, 3))),
            partner_slug=rng.choice([*partners, None, None]),
            postcode=f"{rng.choice(postcodes)} {rng.choice(['AB', 'CD', 'GH', 'KL'])}",
            house_number=rng.randint(1, 120),
            street=rng.choice(STREETS),
            town=team.town,
            urgent=rng.random() < 0.1,
            reporter_email="melder@example.nl" if index % 4 == 0 else None,
            keep_informed=index % 4 == 0,
        )
        signals.append(db.session.get(Signal, submit_report(report, submission_token=None).signal_id))
    for signal in signals:
        _backdate(signal, timedelta(days=rng.uniform(0, 56)))
    workers = {area: user for (role, area), user in staff.items() if role == Role.WORKER}
    for index, signal in enumerate(signals):
        _advance(rng, signal, index, coordinator, workers, signals)
    db.session.commit()


def _advance(rng: random.Random, signal: Signal, index: int, coordinator: User, workers: dict, signals: list) -> None:
    stage = index % 6
    if stage == 0:
        return
    if stage == 5 and index % 12 == 5:
        reject_signal(signal, coordinator, RejectionReason.SPAM)
        return
    if stage == 5 and index > 10:
        mark_duplicate(signal, coordinator, signals[index - 5])
        return
    worker = workers.get(signal.area.name if signal.area else None) or next(iter(workers.values()))
    assign_signal(signal, coordinator, worker)
    if stage == 1:
        return
    # Stage 3 reached the person, who is then referred once the social map is there (demo_referrals).
    attempts = {3: 2, 4: 3}.get(stage) or rng.randint(1, 2)
    for number in range(attempts):
        when = signal.created_at + timedelta(hours=20 * (number + 1))
        record_contact_attempt(signal, worker, rng.choice(list(ContactMethod)), min(when, utcnow()), number == 1)
    add_note(signal, worker, "Kennismaking gehad; mevrouw staat open voor een maatje.")
    if stage == 4:
        close_signal(signal, worker, Outcome.UNREACHABLE)


def _backdate(signal: Signal, age: timedelta) -> None:
    signal.created_at -= age
    signal.due_at = first_contact_due(signal.created_at, signal.organisation.working_days(signal.urgent))
    for event in signal.events:
        event.created_at -= age
