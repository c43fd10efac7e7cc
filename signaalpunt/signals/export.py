"""The anonymous CSV export: one row per signal, categories and dates only."""

import csv
import io
from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa

from signaalpunt.core.cells import neutralise
from signaalpunt.core.clock import dutch_day
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area, Organisation, Partner
from signaalpunt.referrals.models import Referral
from signaalpunt.signals.enums import Observation, Outcome, ReferralTarget, ReporterRole, SignalStatus
from signaalpunt.signals.figures import Period
from signaalpunt.signals.models import Signal, SignalObservation
from signaalpunt.socialmap.enums import InitiativeKind

COLUMNS = [
    "pc4",
    "gemeld_op",
    "eerste_contact_op",
    "afgerond_op",
    "status",
    "melder",
    "partner",
    "werkgebied",
    "signalen",
    "uitkomst",
    "doorverwezen_naar",
    "soort_initiatief",
    "team",
]
# A referral to a place not on the social map has no kind of initiative.
ELSEWHERE = "elders"


def _day(moment: datetime | None) -> str:
    return dutch_day(moment).isoformat() if moment is not None else ""


def _labels(enum: type) -> dict[str, str]:
    """Each value's label in the language in force, looked up once per export rather than once per row."""
    return {member.value: str(member.label) for member in enum}


def export_rows(organisation_ids: tuple[int, ...], period: Period, area_id: int | None) -> Iterator[list[str]]:
    """The header, then the rows, read as they are sent: team by team (each from its own index range, so the
    first rows go out at once however long the history), by date within a team."""
    # Per row, from the index on the signal's id.
    observations = (
        sa.select(sa.func.aggregate_strings(SignalObservation.observation, "|"))
        .where(SignalObservation.signal_id == Signal.id)
        .scalar_subquery()
    )
    # The kinds of the initiatives referred to: the person's data never, the initiative's name neither (a small
    # initiative could point to a person).
    kinds = (
        sa.select(sa.func.aggregate_strings(sa.func.coalesce(Referral.kind, ELSEWHERE), "|"))
        .where(Referral.signal_id == Signal.id)
        .scalar_subquery()
    )
    query = (
        sa.select(
            Signal.pc4,
            Signal.created_at,
            Signal.first_contact_at,
            Signal.closed_at,
            Signal.status,
            Signal.reporter_role,
            Partner.name,
            Area.name,
            observations,
            Signal.outcome,
            Signal.referral_target,
            kinds,
            Organisation.name,
        )
        .join(Organisation, Organisation.id == Signal.organisation_id)
        .outerjoin(Partner, Partner.id == Signal.partner_id)
        .outerjoin(Area, Area.id == Signal.area_id)
        .where(Signal.created_at >= period.start, Signal.created_at < period.end)
        .order_by(Signal.created_at, Signal.id)
    )
    if area_id:
        query = query.where(Signal.area_id == area_id)
    statuses, roles, outcomes = _labels(SignalStatus), _labels(ReporterRole), _labels(Outcome)
    targets, observed_labels = _labels(ReferralTarget), _labels(Observation)
    kind_labels = {**_labels(InitiativeKind), ELSEWHERE: ELSEWHERE}
    yield COLUMNS
    for organisation_id in sorted(organisation_ids):
        team_rows = query.where(Signal.organisation_id == organisation_id).execution_options(yield_per=1000)
        for row in db.session.execute(team_rows):
            (
                pc4,
                created,
                first_contact,
                closed,
                status,
                role,
                partner,
                area,
                observed,
                outcome,
                referral,
                kinds_of,
                team,
            ) = row
            yield [
                pc4 or "",
                _day(created),
                _day(first_contact),
                _day(closed),
                statuses[status],
                roles[role],
                partner or "",
                area or "",
                "|".join(observed_labels[o] for o in sorted((observed or "").split("|")) if o),
                outcomes[outcome] if outcome else "",
                targets[referral] if referral else "",
                "|".join(kind_labels[kind] for kind in sorted(set((kinds_of or "").split("|"))) if kind),
                team,
            ]


# Rows sent to the browser together: one write per row would cost more than the row.
ROWS_PER_CHUNK = 500


def csv_stream(rows: Iterator[list[str]], delimiter: str) -> Iterator[str]:
    """UTF-8 with a byte-order mark, so Excel reads the accents right; every cell neutralised and quoted.

    Quoted, because a spreadsheet may split on the other delimiter than the one chosen: unquoted,
    ``Bakker;=1+1;x`` in a comma file becomes three cells in a Dutch Excel, the middle one a formula.
    """
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for number, row in enumerate(rows):
        writer.writerow([neutralise(cell) for cell in row])
        # The header at once, so the download starts; then the rows in chunks.
        if number % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
