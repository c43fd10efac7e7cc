"""The anonymous CSV export: one row per signal, categories and dates only."""

import csv
import io
from collections.abc import Iterator

import sqlalchemy as sa

from signaalpunt.core.cells import neutralise
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


def _day(moment: object) -> str:
    return moment.date().isoformat() if moment is not None else ""


def export_rows(organisation_ids: tuple[int, ...], period: Period, area_id: int | None) -> Iterator[list[str]]:
    """The rows, streamed from the database in batches; the header first."""
    observations = (
        sa.select(
            SignalObservation.signal_id, sa.func.aggregate_strings(SignalObservation.observation, "|").label("list")
        )
        .group_by(SignalObservation.signal_id)
        .subquery()
    )
    # The kinds of the initiatives referred to: the person's data never, the initiative's name neither (a small
    # initiative could point to a person).
    kinds = (
        sa.select(
            Referral.signal_id,
            sa.func.aggregate_strings(sa.func.coalesce(Referral.kind, ELSEWHERE), "|").label("list"),
        )
        .group_by(Referral.signal_id)
        .subquery()
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
            observations.c.list,
            Signal.outcome,
            Signal.referral_target,
            kinds.c.list,
            Organisation.name,
        )
        .join(Organisation, Organisation.id == Signal.organisation_id)
        .outerjoin(Partner, Partner.id == Signal.partner_id)
        .outerjoin(Area, Area.id == Signal.area_id)
        .outerjoin(observations, observations.c.signal_id == Signal.id)
        .outerjoin(kinds, kinds.c.signal_id == Signal.id)
        .where(Signal.organisation_id.in_(organisation_ids))
        .where(Signal.created_at >= period.start, Signal.created_at < period.end)
        .order_by(Signal.created_at, Signal.id)
    )
    if area_id:
        query = query.where(Signal.area_id == area_id)
    yield COLUMNS
    for row in db.session.execute(query.execution_options(yield_per=1000)):
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
            str(SignalStatus(status).label),
            str(ReporterRole(role).label),
            partner or "",
            area or "",
            "|".join(str(Observation(o).label) for o in sorted((observed or "").split("|")) if o),
            str(Outcome(outcome).label) if outcome else "",
            str(ReferralTarget(referral).label) if referral else "",
            "|".join(_kind_label(kind) for kind in sorted(set((kinds_of or "").split("|"))) if kind),
            team,
        ]


def _kind_label(kind: str) -> str:
    return ELSEWHERE if kind == ELSEWHERE else str(InitiativeKind(kind).label)


def csv_stream(rows: Iterator[list[str]], delimiter: str) -> Iterator[str]:
    """UTF-8 with a byte-order mark, so Excel reads the accents right; every cell neutralised and quoted.

    Quoted, because a spreadsheet may split on the other delimiter than the one chosen: unquoted,
    ``Bakker;=1+1;x`` in a comma file becomes three cells in a Dutch Excel, the middle one a formula.
    """
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
