"""Figures about referrals: per initiative and per kind, how many were handed over warmly and confirmed by the
initiative, how many landed at the call-back, and the median days from a report to the first help. Counts only;
never who was referred, nor the words a worker typed for a place not on the map (those count together as
"elsewhere").

The median days to help comes from the running totals' histogram (``signals.tallies``): off by less than an hour
below two days, by less than a tenth of a day from there.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from signaalpunt.extensions import db
from signaalpunt.referrals.enums import HandoverAnswer, Landed
from signaalpunt.referrals.models import Referral
from signaalpunt.signals import tallies
from signaalpunt.signals.figures import Period, PeriodSums, sums_and_median_days
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
    # From the report to the first initiative that said it made contact, in days (from a histogram).
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


def referral_figures(sums: PeriodSums) -> ReferralFigures:
    """The referrals of signals reported in ``sums``' period, of its teams (optionally one area), from the
    running totals (``signals.tallies``)."""
    per_key, median_days = sums_and_median_days(sums, tallies.REFERRAL_MEASURES, tallies.Measure.HELP_HOURS)
    elsewhere = _("Elders, niet op de sociale kaart")
    named = _initiatives(int(key[1:]) for key in per_key if key[0] == tallies.INITIATIVE_KEY and key[1:])
    several = len(sums.organisation_ids) > 1
    by_initiative: dict[str, Counter] = defaultdict(Counter)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for key, counts in per_key.items():
        if key[0] == tallies.KIND_KEY:
            by_kind[str(InitiativeKind(key[1:]).label) if key[1:] else elsewhere] += counts
            continue
        # An initiative no longer on the map (or none) counts as elsewhere.
        name, team_id = named.get(int(key[1:] or 0), (elsewhere, None))
        by_initiative[f"{name} ({sums.team_names[team_id]})" if several and team_id else name] += counts
    return ReferralFigures(
        total=_as_counts(_("Alle doorverwijzingen"), sum(by_kind.values(), Counter())),
        by_initiative=_most_referred_first(by_initiative),
        by_kind=_most_referred_first(by_kind),
        median_days_to_help=median_days,
    )


def _initiatives(ids: Iterable[int]) -> dict[int, tuple[str, int]]:
    """Each initiative's name and team."""
    chosen = sa.select(Initiative.id, Initiative.name, Initiative.organisation_id).where(Initiative.id.in_(list(ids)))
    return {initiative_id: (name, team_id) for initiative_id, name, team_id in db.session.execute(chosen)}


def _as_counts(name: str, counts: Counter) -> ReferralCounts:
    return ReferralCounts(name, *(counts[counter] for counter in tallies.REFERRAL_COUNTERS))


def _most_referred_first(per_name: dict[str, Counter]) -> list[ReferralCounts]:
    rows = [_as_counts(name, counts) for name, counts in per_name.items()]
    return sorted((row for row in rows if row.referred), key=lambda row: (-row.referred, row.name))


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
    counts = db.session.execute(sa.select(*_counted()).where(*scope)).one()
    refused = db.session.scalar(
        sa.select(sa.func.count(Referral.id)).where(*scope, Referral.answer == HandoverAnswer.COULD_NOT_HELP)
    )
    return InitiativeReport(initiative, year, ReferralCounts(initiative.name, *counts), refused)
