"""Synthetic signals in bulk, for benchmarks and load tests (never in production)."""

import random
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.ops.demo import DESCRIPTIONS
from signaalpunt.organisations.models import Area, AreaPostcode, Organisation, Partner
from signaalpunt.referrals.enums import HandoverAnswer, Landed
from signaalpunt.referrals.models import Referral
from signaalpunt.signals import tallies
from signaalpunt.signals.enums import (
    Channel,
    Observation,
    Outcome,
    PersonAwareness,
    ReferralTarget,
    RejectionReason,
    ReporterRole,
    SignalStatus,
)
from signaalpunt.signals.models import Signal, SignalObservation
from signaalpunt.signals.reference import ALPHABET, PREFIX
from signaalpunt.signals.sla import first_contact_due
from signaalpunt.socialmap.models import Initiative

# Signals per transaction: the rows are made before it, so SQLite's write lock is held only for the insert
# (about 0.2 ms a signal here), and reports keep being stored while a big set is generated.
BATCH = 250
# Addresses and words as varied as a real year's: streets from 106 names (the benchmark searches Teststraat, one
# of them), the demo's descriptions, postcodes with letters, so a search or an address matches what it would match
# in a real team, not every row.
STREET_NAMES = "Kerk Molen Dijk Haven School Beuken Eiken Linden Wilgen Rozen Tulpen Vogel Zee Noord Zuid Oost West"
STREETS = [name + kind for name in STREET_NAMES.split() for kind in ("straat", "weg", "laan", "plein", "kade", "hof")]
STREETS += ["Markt", "Stationsplein", "Prinsengracht", "Teststraat"]
POSTCODE_LETTERS = "ABCDEFGHJKLMNPRTVWXZ"
# As in a real team, open work is recent: a signal is picked up within days and finished within weeks.
FRESH = timedelta(days=5)
SETTLED = timedelta(weeks=6)
FRESH_STATUSES = [SignalStatus.NEW, SignalStatus.ASSIGNED, SignalStatus.IN_PROGRESS, SignalStatus.CLOSED]
RECENT_STATUSES = [SignalStatus.ASSIGNED, SignalStatus.IN_PROGRESS, SignalStatus.CLOSED, SignalStatus.CLOSED]
UNASSIGNED = (SignalStatus.NEW, SignalStatus.NOT_PURSUED)
SETTLED_STATUSES = [*[SignalStatus.CLOSED] * 9, SignalStatus.NOT_PURSUED]
# Referrals of signals closed as referred: most to an initiative on the team's social map (some of those handed over
# warmly and answered), the rest to help elsewhere; the worker calls back after six weeks.
ELSEWHERE = ["Huisarts", "Kerk in de wijk", "Buurtvereniging", "Schuldhulp van de bank"]
ON_THE_MAP = 0.8
HANDOVER = 0.4
ANSWERED = 0.8
CALL_BACK = timedelta(weeks=6)


def _status_for_age(rng: random.Random, age: timedelta) -> SignalStatus:
    if age <= FRESH:
        return rng.choice(FRESH_STATUSES)
    return rng.choice(RECENT_STATUSES if age <= SETTLED else SETTLED_STATUSES)


def generated_reference(signal_id: int) -> str:
    """A reference unique by construction: the id scrambled over 40 bits by an odd multiplier (a bijection), in
    the references' alphabet. A million random references would collide with a chance of about one in three."""
    scrambled = (signal_id * 0x9E3779B97F) % (1 << 40)
    chars = "".join(ALPHABET[(scrambled >> (5 * place)) & 31] for place in range(8))
    return f"{PREFIX}-{chars[:4]}-{chars[4:]}"


def generate_signals(
    count: int,
    organisation_id: int,
    seed: int = 7,
    advance: Callable[[int], None] = lambda done: None,
    years: int = 1,
) -> int:
    """Insert ``count`` plausible signals spread over the last ``years``, in batches (``advance`` told of each);
    returns how many."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    partners = list(db.session.scalars(sa.select(Partner.id)))
    workers = list(db.session.scalars(sa.select(User.id).where(User.organisation_id == organisation_id)))
    postcodes = list(
        db.session.execute(
            sa.select(AreaPostcode.area_id, AreaPostcode.pc4).join(Area).where(Area.organisation_id == organisation_id)
        )
    )
    initiatives = list(
        db.session.execute(
            sa.select(Initiative.id, Initiative.name, Initiative.kind).where(
                Initiative.organisation_id == organisation_id
            )
        )
    )
    now = utcnow()
    due_cache: dict = {}
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        signals, observations, referrals = [], [], []
        first_id = (db.session.scalar(sa.select(sa.func.max(Signal.id))) or 0) + 1
        for offset in range(size):
            created = now - timedelta(minutes=rng.randint(0, years * 365 * 24 * 60))
            day = created.replace(hour=12, minute=0, second=0, microsecond=0)
            due = due_cache.setdefault(day, first_contact_due(day, 3))
            status = _status_for_age(rng, now - created)
            area_id, number = rng.choice(postcodes) if postcodes else (None, rng.randint(1000, 9999))
            picked_up = status in (SignalStatus.IN_PROGRESS, SignalStatus.CLOSED)
            contacted = min(now, created + timedelta(hours=rng.uniform(1, 120))) if picked_up else None
            outcome = rng.choice(list(Outcome)) if status == SignalStatus.CLOSED else None
            closed = min(now, contacted + timedelta(days=rng.uniform(0, 14))) if outcome else None
            finished = closed or (created + timedelta(days=1) if status == SignalStatus.NOT_PURSUED else None)
            signals.append(
                {
                    "id": first_id + offset,
                    "organisation_id": organisation_id,
                    "reference": generated_reference(first_id + offset),
                    "version": 1,
                    "status": status,
                    "channel": Channel.WEB,
                    "urgent": rng.random() < 0.05,
                    "reporter_role": rng.choice(list(ReporterRole)),
                    "partner_id": rng.choice([*partners, None]) if partners else None,
                    "postcode": f"{number} {rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}",
                    "pc4": None,
                    "house_number": rng.randint(1, 200),
                    "street": rng.choice(STREETS),
                    "area_id": area_id,
                    "description": rng.choice(DESCRIPTIONS),
                    "person_aware": PersonAwareness.UNKNOWN,
                    "keep_informed": False,
                    "assignee_id": rng.choice(workers) if workers and status not in UNASSIGNED else None,
                    "due_at": due,
                    "first_contact_at": contacted,
                    # When it ended (closed, or not pursued): the retention period runs from then.
                    "closed_at": finished,
                    "outcome": outcome,
                    "referral_target": rng.choice(list(ReferralTarget)) if outcome == Outcome.REFERRED else None,
                    "rejection_reason": RejectionReason.NO_CONCERN if status == SignalStatus.NOT_PURSUED else None,
                    "created_at": created,
                    "updated_at": finished or contacted or created,
                }
            )
            signals[-1]["pc4"] = signals[-1]["postcode"][:4]
            if outcome == Outcome.REFERRED:
                referrals.append(_referral(rng, signals[-1], initiatives, now))
            for observation in rng.sample(list(Observation), k=rng.randint(1, 3)):
                observations.append({"signal_id": first_id + offset, "observation": observation})
        db.session.execute(sa.insert(Signal), signals)
        tallies.add_new(db.session.connection(), signals, referrals)
        db.session.execute(sa.insert(SignalObservation), observations)
        if referrals:
            db.session.execute(sa.insert(Referral), referrals)
        db.session.commit()
        made += size
        advance(size)
    return made


def _referral(rng: random.Random, signal: dict, initiatives: list[sa.Row], now: datetime) -> dict:
    """A referral made as the signal was closed: answered and called back as far as time has come."""
    closed = signal["closed_at"]
    if initiatives and rng.random() < ON_THE_MAP:
        initiative_id, name, kind = rng.choice(initiatives)
    else:
        # As the app refers to a place not on the map: by name, with no kind.
        initiative_id, name, kind = None, rng.choice(ELSEWHERE), None
    handover = initiative_id is not None and rng.random() < HANDOVER
    answered = closed + timedelta(days=rng.uniform(0.5, 10)) if handover and rng.random() < ANSWERED else None
    answered = answered if answered is not None and answered < now else None
    landed = rng.choice(list(Landed)) if closed + CALL_BACK < now else None
    answer = rng.choice(list(HandoverAnswer)) if answered else None
    return {
        "signal_id": signal["id"],
        "organisation_id": signal["organisation_id"],
        "initiative_id": initiative_id,
        "name": name,
        "kind": kind,
        "handover": handover,
        "answer": answer,
        "answer_reason": "Geen plek meer deze maand." if answer == HandoverAnswer.COULD_NOT_HELP else None,
        "answered_at": answered,
        "landed": landed,
        "landed_reason": "Wilde er toch niet heen." if landed == Landed.NO else None,
        "landed_at": closed + CALL_BACK if landed else None,
        "created_at": closed,
    }


def generated_teams(count: int, teams: int) -> list[tuple[int, int]]:
    """``(team id, signals)`` for ``count`` signals over ``teams`` teams: the existing ones first, then made-up
    teams, each with an area of ten PC4s of its own and a worker."""
    existing = list(db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id).limit(teams)))
    taken = set(db.session.scalars(sa.select(AreaPostcode.pc4)))
    free = (number for number in range(1000, 10000) if number not in taken)
    for index in range(len(existing), teams):
        team = Organisation(name=f"Gegenereerd team {index + 1}", slug=f"gegenereerd-{index + 1}")
        area = Area(organisation=team, name="Gebied")
        area.postcodes = [AreaPostcode(pc4=next(free)) for _ in range(10)]
        db.session.add_all([team, area])
        db.session.flush()
        db.session.add(
            User(organisation=team, email=f"werker{index + 1}@gegenereerd.invalid", name="Werker", role=Role.WORKER)
        )
        existing.append(team.id)
    db.session.commit()
    return [
        (team_id, count // teams + (1 if position < count % teams else 0)) for position, team_id in enumerate(existing)
    ]
