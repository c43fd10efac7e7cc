"""Figures about referrals: per initiative and per kind, how many were handed over warmly and confirmed by the
initiative, how many landed at the call-back, and the median days from a report to the first help. Counts only;
never who was referred."""

import statistics
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from signaalpunt.extensions import db
from signaalpunt.organisations.models import Organisation
from signaalpunt.referrals.enums import HandoverAnswer, Landed
from signaalpunt.referrals.models import Referral
from signaalpunt.signals.figures import Period, as_datetime, scope_of_joined_signals
from signaalpunt.signals.models import Signal
from signaalpunt.socialmap.enums import InitiativeKind
from signaalpunt.socialmap.models import Initiative


@dataclass(frozen=True)
class ReferralCounts:
    name: str
    referred: int = 0
    handovers: int = 0
    # The initiative answered "we made contact".
    confirmed: int = 0
    # The worker called back, and heard whether help landed.
    followed_up: int = 0
    landed: int = 0
    partly: int = 0


@dataclass(frozen=True)
class ReferralFigures:
    total: ReferralCounts
    by_initiative: list[ReferralCounts]
    by_kind: list[ReferralCounts]
    # From the report to the first initiative that said it made contact, in days (exact median).
    median_days_to_help: float | None


def _counted() -> list[sa.ColumnElement]:
    return [
        sa.func.count(Referral.id),
        sa.func.count(Referral.id).filter(Referral.handover.is_(True)),
        sa.func.count(Referral.id).filter(Referral.answer == HandoverAnswer.CONTACT_MADE),
        sa.func.count(Referral.id).filter(Referral.landed.is_not(None)),
        sa.func.count(Referral.id).filter(Referral.landed == Landed.YES),
        sa.func.count(Referral.id).filter(Referral.landed == Landed.PARTLY),
    ]


def _rows(scope: list, *keys: sa.ColumnElement) -> list[tuple]:
    query = sa.select(*keys, *_counted()).join(Signal, Signal.id == Referral.signal_id).where(*scope)
    if keys:
        query = query.group_by(*keys).order_by(sa.func.count(Referral.id).desc(), *keys)
    return list(db.session.execute(query))


def referral_figures(organisation_ids: tuple[int, ...], period: Period, area_id: int | None) -> ReferralFigures:
    """The referrals of signals reported in the period, of these teams (optionally one area)."""
    scope = scope_of_joined_signals(organisation_ids, period, area_id)
    elsewhere = _("Elders, niet op de sociale kaart")
    several = len(organisation_ids) > 1
    teams = dict(db.session.execute(sa.select(Organisation.id, Organisation.name)).all()) if several else {}
    by_initiative = []
    for initiative_id, name, team_id, *counts in _rows(
        scope, Referral.initiative_id, Referral.name, Referral.organisation_id
    ):
        label = name if initiative_id is not None else f"{elsewhere}: {name}"
        by_initiative.append(ReferralCounts(f"{label} ({teams[team_id]})" if several else label, *counts))
    per_kind = _rows(scope, Referral.kind)
    by_kind = [
        ReferralCounts(str(InitiativeKind(kind).label) if kind else elsewhere, *counts) for kind, *counts in per_kind
    ]
    # Every referral has one kind (or none): the totals are the sums of the kinds'.
    totals = [sum(column) for column in zip(*(counts for _kind, *counts in per_kind), strict=True)]
    total = ReferralCounts(_("Alle doorverwijzingen"), *totals)
    return ReferralFigures(total, by_initiative, by_kind, _median_days_to_help(scope))


def _median_days_to_help(scope: list) -> float | None:
    first_help = (
        sa.select(Signal.created_at, sa.func.min(Referral.answered_at))
        .join(Signal, Signal.id == Referral.signal_id)
        .where(*scope, Referral.answer == HandoverAnswer.CONTACT_MADE)
        .group_by(Signal.id, Signal.created_at)
    )
    days = [
        (as_datetime(helped) - as_datetime(reported)).total_seconds() / 86400
        for reported, helped in db.session.execute(first_help)
    ]
    return statistics.median(days) if days else None


@dataclass(frozen=True)
class InitiativeReport:
    initiative: Initiative
    year: int
    counts: ReferralCounts
    could_not_help: int


def initiative_report(initiative: Initiative, year: int) -> InitiativeReport:
    """What one initiative received from the team in a year, to send it: counts only."""
    whole_year = Period(date(year, 1, 1), date(year, 12, 31))
    scope = [
        Referral.initiative_id == initiative.id,
        Referral.created_at >= whole_year.start,
        Referral.created_at < whole_year.end,
    ]
    [counts] = _rows(scope)
    refused = db.session.scalar(
        sa.select(sa.func.count(Referral.id)).where(*scope, Referral.answer == HandoverAnswer.COULD_NOT_HELP)
    )
    return InitiativeReport(initiative, year, ReferralCounts(initiative.name, *counts), refused)
